package cox.exceptions;

/**
 * A {@code torch.save} file (a zip of {@code data.pkl} and storages) is not as its format says.
 */
public class TorchFormatException extends CoxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public TorchFormatException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public TorchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
