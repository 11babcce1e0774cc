package cox.exceptions;

/**
 * A Python pickle cannot be read: it is truncated, malformed, or builds something cox4j does
 * not know. The message names the opcode or global and the offset.
 */
public class UnpicklingException extends CoxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public UnpicklingException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public UnpicklingException(String message, Throwable cause) {
        super(message, cause);
    }
}
