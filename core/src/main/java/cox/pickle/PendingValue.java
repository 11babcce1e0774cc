package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;

/**
 * A value that exists only while a pickle loads: what a {@link Reconstructor} or
 * {@link PersistentLoader} returns when the pickle has more to say about it (a numpy array
 * waiting for its {@code BUILD} state, a dtype, a torch storage that a tensor will view). It may
 * not be a dict key or set member, and a pickle whose result still holds one is refused.
 */
public interface PendingValue {
    /**
     * What it is, for messages.
     *
     * @return e.g. {@code "numpy dtype"}
     */
    String typeName();

    /**
     * Why a result that still holds this value is refused.
     *
     * @return e.g. {@code "numpy array without its BUILD state"}
     */
    String whyUnfinished();

    /**
     * Applies a {@code BUILD} opcode's state ({@code obj.__setstate__(state)}). Refuses by
     * default.
     *
     * @param state the loaded state
     * @param site the BUILD opcode, for messages
     * @return the value that replaces this one on the stack and in the memo (may be this one)
     * @throws PickleSecurityException if this value takes no state
     * @throws UnpicklingException if the state does not fit
     */
    default Object build(Object state, LoadSite site) {
        throw new PickleSecurityException("refused to set the state (BUILD) of a " + typeName() + " at offset "
                + site.offset());
    }
}
