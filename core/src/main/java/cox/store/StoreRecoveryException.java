package cox.store;

/** A store could not be brought back to a consistent state on open; the message says what was tried. */
public class StoreRecoveryException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @param message what was tried and why it failed, naming the files */
    public StoreRecoveryException(String message) {
        super(message);
    }

    /**
     * @param message what was tried and why it failed, naming the files
     * @param cause the underlying failure
     */
    public StoreRecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
