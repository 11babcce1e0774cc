package cox.exceptions;

/**
 * A store cannot be brought to a consistent state: its journal is damaged before its end, or
 * {@code store.h5} cannot be rebuilt from it. Nothing was deleted: the store is refused rather
 * than lose an acknowledged row.
 */
public class StoreRecoveryException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public StoreRecoveryException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public StoreRecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
