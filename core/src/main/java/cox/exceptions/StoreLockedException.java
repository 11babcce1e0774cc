package cox.exceptions;

/**
 * Another writer holds the store (its lock file {@code .cox.lock}); open it in read mode to
 * read it meanwhile.
 */
public class StoreLockedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public StoreLockedException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
