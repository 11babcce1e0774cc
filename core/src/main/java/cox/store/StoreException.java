package cox.store;

/**
 * The root of the exceptions a store raises for problems with its files (as opposed to caller
 * mistakes, which are {@link IllegalArgumentException}, {@link IllegalStateException} and
 * {@link NullPointerException}). Messages name the store and what was expected.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the store
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the store
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
