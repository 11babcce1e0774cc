package cox.io.internal;

import cox.io.PositionalInputs;
import java.nio.file.Path;
import java.time.Instant;

/**
 * When a file's size and modification time can be trusted to change with its bytes: the one rule
 * for every cache of the engine that is keyed by them ({@link ReusedInput}, the run index).
 *
 * <p>A file rewritten within its file system's clock tick may keep both its size and its time, so
 * a file is "settled" only once it has not changed for longer than that tick. Two ways tell it:
 * <ul>
 *   <li>by the local clock ({@link #byClock}): the file's time is older than the tick; for a file
 *       that is not local the margin is widened by {@link #REMOTE_SKEW_NANOS}, as its time is the
 *       remote server's clock, not this machine's;</li>
 *   <li>without any clock but this JVM's ({@link #sinceFirstSeen}): the same size, time and file
 *       key were first seen at least {@link #TICK_NANOS} before the file was opened.</li>
 * </ul>
 */
public final class Settling {
    /**
     * A file system's time resolution, with margin: a Linux clock tick of a few milliseconds, 1 s
     * for S3, 2 s for some file systems.
     */
    public static final long TICK_NANOS = 2_000_000_000L;

    /**
     * How far a remote server's clock is taken to be from this machine's: 15 minutes (S3 refuses
     * requests signed by a clock further off).
     */
    public static final long REMOTE_SKEW_NANOS = 15L * 60 * 1_000_000_000L;

    private Settling() {
    }

    /**
     * Whether {@code file}, last modified at {@code modifiedNanos}, settled by the local clock.
     *
     * @param file the file (its file system picks the margin)
     * @param modifiedNanos its modification time, nanoseconds since the epoch
     * @return true if it was modified longer ago than its margin
     */
    public static boolean byClock(Path file, long modifiedNanos) {
        long margin = PositionalInputs.isLocal(file) ? TICK_NANOS : TICK_NANOS + REMOTE_SKEW_NANOS;
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return modifiedNanos < nowNanos - margin;
    }

    /**
     * Whether a file opened at {@code openedAt} is known to hold its settled bytes because its
     * stamp (size, time, file key) was first seen at {@code firstSeen} and is unchanged since.
     *
     * @param firstSeen {@link System#nanoTime()} when the stamp was first seen
     * @param openedAt {@link System#nanoTime()} just before the file was opened
     * @return true if the file was opened at least {@link #TICK_NANOS} after its stamp was first seen
     */
    public static boolean sinceFirstSeen(long firstSeen, long openedAt) {
        return openedAt - firstSeen >= TICK_NANOS;
    }
}
