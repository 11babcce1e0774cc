package cox.web;

import cox.readers.RunStatus;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A run the {@link RunScanner} found in the folder: its exp_id and folder, and what the last scan
 * saw of it as one immutable {@link State}, replaced whole by the scanner (the only writer) and
 * read without a lock, so a reader never sees the stamp of one scan with the status of another.
 */
final class ListedRun {
    /**
     * What a scan saw of a run.
     *
     * @param stamp its files' sizes and times
     * @param running whether a writer has it open
     * @param closed whether its last cox4j writer closed it cleanly ({@link cox.store.Store#isClosedCleanly}),
     *     looked at when its stamp or {@code running} changed
     * @param version the listing version at which its stamp or status last changed
     * @param changedNanos when that was ({@code System.nanoTime}), or {@link #NEVER_CHANGED}
     * @param lockKey its lock file's key in /proc/locks, once known (null until then)
     */
    record State(RunStamp stamp, boolean running, boolean closed, long version, long changedNanos, String lockKey) {
        /** The state of a run no scan has seen yet. */
        static final State UNSEEN = new State(RunStamp.NONE, false, false, 0, NEVER_CHANGED, null);

        /**
         * @param now the time now, which tells an active store without a cox4j journal from an idle one
         * @return the run's status
         */
        RunStatus status(Instant now) {
            return RunStatus.of(running, stamp.journalSize() >= 0, closed, Instant.ofEpochMilli(stamp.lastWriteMillis()), now);
        }
    }

    /** {@link State#changedNanos} of a run not changed since the server started: never hot, and no overflow in {@code now - it}. */
    static final long NEVER_CHANGED = Long.MIN_VALUE / 2;

    final String expId;
    final Path dir;
    private volatile State state = State.UNSEEN;

    ListedRun(String expId, Path dir) {
        this.expId = expId;
        this.dir = dir;
    }

    /** @return what the last scan saw; read once and use its fields, rather than reading twice */
    State state() {
        return state;
    }

    /** Replaces the state; called by the scanner only, under its lock. */
    void update(State next) {
        state = next;
    }

    /** @return its stamp at the last scan */
    RunStamp stamp() {
        return state.stamp();
    }
}
