package cox.store;

/** Another writer (in this process or another) has the store open for writing. */
public class StoreLockedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** @param message names the store and its lock file */
    public StoreLockedException(String message) {
        super(message);
    }
}
