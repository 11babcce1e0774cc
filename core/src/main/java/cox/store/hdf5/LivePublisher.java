package cox.store.hdf5;

import cox.exceptions.CoxIOException;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Makes what a writable {@link PandasStoreFile} appended visible to live readers as the rules of
 * docs/live-reads.md allow: raises the end-of-file address over length the file has had for the
 * delay Δ (W3), then has each table's {@link TableAppender} switch roots and grow extents once Δ has
 * passed (W4), and schedules itself for what becomes due when no more rows come. At close it waits
 * until everything is published, unless the file is small enough that a rewrite beats waiting (W6).
 *
 * <p>Time comes from a {@link Ticker}, the background publication from a {@link Scheduler}, both
 * given by the file's {@link PandasStoreFile.Options}.
 *
 * <p>Every method is called, and the scheduled publication runs, holding the lock of the owning
 * file, which serialises it with appends.
 */
final class LivePublisher {
    /**
     * Δ: how long after the end-of-file address covering new space is published the space may be
     * linked in: a reader (the HDF5 library) cannot read beyond the end-of-file address it found
     * when it opened the file, so it must be done with its lookups before then.
     */
    static final long PUBLISH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** A closing file smaller than this is rewritten rather than waited on until its last rows may be published. */
    static final long REWRITE_RATHER_THAN_WAIT = 64L << 20;
    /** As {@link #REWRITE_RATHER_THAN_WAIT}, for a sync (which a writer may call often). */
    static final long SYNC_REWRITE_RATHER_THAN_WAIT = 4L << 20;
    /** How much later than due a scheduled publication runs, so that it finds the delay passed. */
    private static final long SCHEDULE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Object lock;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final boolean rewriteRatherThanWait;
    private FileSpace space;
    private List<TableAppender> appenders = List.of();
    /** Length kept beyond the allocated space: a chunk and two index nodes per table. */
    private long slack;
    private Future<?> publishTask;
    private boolean stopped;

    /**
     * @param lock the owning file, whose lock the scheduled publication takes
     * @param options the file's time source, scheduler and whether small files are rewritten rather
     *     than waited on
     */
    LivePublisher(Object lock, PandasStoreFile.Options options) {
        this.lock = lock;
        this.ticker = options.ticker();
        this.scheduler = options.scheduler();
        this.rewriteRatherThanWait = options.rewriteRatherThanWait();
    }

    /** The current time of the file's ticker. */
    long now() {
        return ticker.read();
    }

    /**
     * Publishes from now on into {@code space}, for the tables of {@code appenders}: what the file
     * holds after it was (re)loaded.
     *
     * @param chunkK the file's chunk B-tree K, which sizes the index nodes a table may add
     */
    void track(FileSpace space, List<TableAppender> appenders, int chunkK) {
        this.space = space;
        this.appenders = List.copyOf(appenders);
        long s = 0;
        for (TableAppender a : appenders) {
            s += a.chunkBytes + 2L * ChunkIndex.nodeSize(chunkK, 2);
        }
        this.slack = s;
    }

    /** Publishes the end-of-file address, then whatever the delays allow; schedules the rest. */
    void publishDue() {
        long now = ticker.read();
        space.extend(slack);
        space.publishEnd(now);
        long next = space.endPublished() ? -1 : space.coveredAt(space.end());
        for (TableAppender a : appenders) {
            a.endCycle();
            a.publish(space, now);
            long due = a.nextDue(space);
            if (due >= 0 && (next < 0 || due < next)) {
                next = due;
            }
        }
        schedule(next);
    }

    /** The earliest time something waits to be published, or -1. */
    private long nextDue() {
        long next = space.endPublished() ? -1 : space.coveredAt(space.end());
        for (TableAppender a : appenders) {
            long due = a.nextDue(space);
            if (due >= 0 && (next < 0 || due < next)) {
                next = due;
            }
        }
        return next;
    }

    /**
     * Whether rows wait for publication in a file small enough that rewriting it (so that readers
     * see every row at once) beats waiting for the delays: under 64 MiB when closing, 4 MiB when
     * syncing.
     */
    boolean rewriteRatherThanWait(boolean closing) {
        if (!rewriteRatherThanWait || nextDue() < 0) {
            return false;
        }
        long threshold = closing ? REWRITE_RATHER_THAN_WAIT : SYNC_REWRITE_RATHER_THAN_WAIT;
        return space.end() < threshold;
    }

    /**
     * Waits until everything appended is published, publishing as it becomes due (a closing file).
     *
     * @throws CoxIOException if interrupted meanwhile
     */
    void awaitAll() {
        long next = nextDue();
        while (next >= 0) {
            long now = ticker.read();
            long sleep = Math.max(1, Math.min(next, now + PUBLISH_DELAY_NANOS) - now);
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoxIOException("interrupted while publishing the last rows of " + space.path(), null);
            }
            publishDue();
            next = nextDue();
        }
    }

    /** Cancels the scheduled publication and keeps any from running again: the file closes. */
    void stop() {
        stopped = true;
        if (publishTask != null) {
            publishTask.cancel(false);
            publishTask = null;
        }
    }

    private void schedule(long due) {
        if (publishTask != null) {
            publishTask.cancel(false);
            publishTask = null;
        }
        if (due < 0) {
            return;
        }
        long delay = Math.max(1, due - ticker.read());
        publishTask = scheduler.schedule(this::publishLater, delay + SCHEDULE_MARGIN_NANOS);
    }

    private void publishLater() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            try {
                publishDue();
            } catch (RuntimeException e) {
                // the next flush or close reports it; nothing the writer acknowledged depends on this
                publishTask = null;
            }
        }
    }
}
