package cox.exceptions;

/**
 * A store cannot do what was asked of it: it exists already, is missing, or could not be
 * opened, read or written. The message names the store (its folder).
 */
public class StoreException extends CoxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
