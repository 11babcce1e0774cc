package cox.torch;

import cox.store.StoreFormatException;

/**
 * A {@code torch.save} file that cannot be read: not a zip, truncated, a missing or damaged
 * entry, or a {@code data.pkl} that is not a state dict. The message names the file and what is
 * wrong.
 */
public class TorchFormatException extends StoreFormatException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the file and the problem. */
    public TorchFormatException(String message) {
        super(message);
    }

    /** With a message naming the file and the problem, and the underlying cause. */
    public TorchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
