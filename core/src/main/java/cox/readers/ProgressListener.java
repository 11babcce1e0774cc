package cox.readers;

/**
 * Told how far a {@link CollectionReader} has got through the experiments of one step, so a user
 * interface can draw a progress bar (the {@code cox} command does, on steps over a second). Python
 * cox shows a {@code tqdm} bar while it opens the stores.
 *
 * <p>Called from the reader's threads, never two calls at once, with {@code done} increasing from
 * 0 to {@code total} for each step; it should return quickly and must not call the reader.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every call. */
    ProgressListener NONE = (step, done, total) -> { };

    /**
     * @param step what is being done, e.g. {@code "reading results"}
     * @param done how many experiments are done
     * @param total how many experiments the step reads
     */
    void progress(String step, int done, int total);
}
