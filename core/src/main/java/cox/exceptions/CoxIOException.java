package cox.exceptions;

/**
 * Reading or writing a file failed in the operating system (the cause is the {@link
 * java.io.IOException}); the message names the file and what was being done.
 */
public class CoxIOException extends CoxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public CoxIOException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public CoxIOException(String message, Throwable cause) {
        super(message, cause);
    }
}
