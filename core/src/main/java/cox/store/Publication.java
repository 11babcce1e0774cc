package cox.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Store#publish(Path, Path, boolean)} did: where the run went, whether it was new
 * there, and which of its files were copied. Not in Python cox.
 *
 * @param expId the run's experiment id (its folder's name, at the source and at the target)
 * @param target the run's folder at the target, {@code COLLECTION/EXP_ID}
 * @param outcome what the target held before, and so what was done
 * @param copied the files copied, relative to the run's folder with {@code /} between names, in the
 *     order they were placed ({@code store.h5} after every file of the run's data but the journal
 *     and checkpoint, see {@link Store#publish(Path, Path, boolean)})
 * @param skipped the files already at the target (same size, and the same SHA-256 in the target's
 *     manifest {@code .cox.push}), not copied again
 * @param deleted the files deleted at the target: leftovers of an interrupted push, files it then
 *     copied again, or the files of the run a push with {@code replace} replaced
 * @param bytesCopied the bytes of the files copied
 */
public record Publication(String expId, Path target, Outcome outcome, List<String> copied, List<String> skipped,
        List<String> deleted, long bytesCopied) {
    /** What the target held before a push, and so what the push did. */
    public enum Outcome {
        /** No run and no file of one: every file was copied. */
        PUBLISHED,
        /**
         * This same state of the run (its store files hold the same bytes), with files missing, of
         * another size or with other bytes: a push that was interrupted, or files added to or
         * rewritten in the run's folder since. Those were copied.
         */
        RESUMED,
        /**
         * Another run with the same experiment id (replaced because {@code replace} was asked for;
         * an unfinished push of another state of this run that had placed {@code store.h5}, and so
         * was readable, is one), or an unfinished push of another state of this run that stopped
         * before it placed {@code store.h5} (never readable, so replaced without asking).
         */
        REPLACED,
        /** This run, complete and unchanged: nothing was written. */
        UNCHANGED
    }

    /**
     * Checks the components and copies the lists.
     *
     * @param expId the run's experiment id
     * @param target the run's folder at the target
     * @param outcome what was done
     * @param copied the files copied, in the order they were placed
     * @param skipped the files already there
     * @param deleted the files deleted at the target
     * @param bytesCopied the bytes of the files copied
     * @throws NullPointerException for a null argument
     */
    public Publication {
        Objects.requireNonNull(expId, "expId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        copied = List.copyOf(copied);
        skipped = List.copyOf(skipped);
        deleted = List.copyOf(deleted);
    }
}
