package cox.store;

/** A store file does not hold what its format promises (a damaged or foreign {@code store.h5}, journal or object file). */
public class StoreFormatException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public StoreFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause the underlying failure
     */
    public StoreFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
