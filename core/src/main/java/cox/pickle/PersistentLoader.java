package cox.pickle;

import cox.exceptions.UnpicklingException;

/**
 * Resolves the persistent ids of a pickle ({@code PERSID}, {@code BINPERSID}): Python's
 * {@code Unpickler.persistent_load}. A format that stores data beside its pickle (torch.save's
 * storages) supplies one for each load; without one, a persistent id is refused. Called from the
 * loading thread.
 */
@FunctionalInterface
public interface PersistentLoader {
    /**
     * The object a persistent id stands for.
     *
     * @param pid the id as loaded (a tuple is an {@code Object[]})
     * @param site the opcode, for messages
     * @return the object: plain data or a {@link PendingValue}
     * @throws UnpicklingException if the id is not one this loader knows
     */
    Object load(Object pid, LoadSite site);
}
