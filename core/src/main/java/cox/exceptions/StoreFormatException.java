package cox.exceptions;

/**
 * A file of a store ({@code store.h5}, the journal {@code .cox.journal} or the checkpoint
 * {@code .cox.checkpoint}) is not as its format says, or uses a feature cox4j does not handle.
 * The message names the file, the object or offset, and what was expected.
 */
public class StoreFormatException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public StoreFormatException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public StoreFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
