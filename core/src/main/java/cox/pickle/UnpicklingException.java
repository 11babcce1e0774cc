package cox.pickle;

import cox.store.StoreFormatException;

/**
 * A pickle that cannot be loaded: truncated, corrupt, too large or too deep, or using a feature
 * cox4j does not read. The message names the opcode or value and the offset.
 */
public class UnpicklingException extends StoreFormatException {
    private static final long serialVersionUID = 1L;

    /** With a message naming what is wrong. */
    public UnpicklingException(String message) {
        super(message);
    }

    /** With a message naming what is wrong and the underlying cause. */
    public UnpicklingException(String message, Throwable cause) {
        super(message, cause);
    }
}
