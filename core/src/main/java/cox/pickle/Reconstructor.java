package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;

/**
 * Builds the value of a call a pickle makes ({@code REDUCE}, {@code NEWOBJ}, {@code INST},
 * {@code OBJ}) to a global on an {@link AllowList}: a few lines of Java that make plain data
 * from the arguments, never code chosen by the pickle. Called from the loading thread.
 */
@FunctionalInterface
public interface Reconstructor {
    /**
     * The value of {@code callable(*args)}.
     *
     * @param args the call's positional arguments, as loaded
     * @param site the opcode making the call, for messages
     * @return the value: plain data, or a {@link PendingValue} that a later opcode completes
     * @throws UnpicklingException if the arguments do not fit (use {@link LoadSite#corrupt})
     * @throws PickleSecurityException if the arguments ask for something that is not data
     */
    Object reconstruct(Object[] args, LoadSite site);
}
