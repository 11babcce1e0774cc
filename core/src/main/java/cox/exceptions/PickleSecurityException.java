package cox.exceptions;

/**
 * A pickle asks for something that is not plain data: a global outside the allow-list, a
 * reduce of a callable cox4j does not reconstruct. Loading never runs code; this is raised
 * instead.
 */
public class PickleSecurityException extends UnpicklingException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public PickleSecurityException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public PickleSecurityException(String message, Throwable cause) {
        super(message, cause);
    }
}
