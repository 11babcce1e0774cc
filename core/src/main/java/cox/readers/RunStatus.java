package cox.readers;

import cox.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a run stands, as {@code cox ls}, the page and the {@code runs} table show it. A cox4j
 * store (one with a journal {@code .cox.journal}) says whether a writer holds it
 * ({@link #RUNNING}), was closed cleanly ({@link #CLOSED}) or neither ({@link #INTERRUPTED}: a
 * crash or {@code kill -9}); a store Python cox or pandas wrote carries no such marks, so it is
 * {@link #ACTIVE} if its files changed within {@link #ACTIVE_WINDOW}, else {@link #IDLE}. Not in
 * Python cox.
 *
 * <p>A run that is not on a local file system ({@code s3://}, {@code hdfs://}) is never
 * {@link #RUNNING}: its writer, on another machine, cannot be seen, so a cox4j run still being
 * written there shows as {@link #INTERRUPTED} until its writer closes it.
 */
public enum RunStatus {
    /** A cox4j writer on this machine holds the store's lock now (never for a store that is not local). */
    RUNNING,
    /**
     * A cox4j store no writer holds, whose last writer did not close it cleanly (or rows came after
     * its close); also a remote cox4j store being written now, whose writer cannot be seen.
     */
    INTERRUPTED,
    /** A cox4j store whose last writer closed it cleanly ({@link Store#close()}), nothing written since. */
    CLOSED,
    /** A store without a cox4j journal whose files changed within {@link #ACTIVE_WINDOW}. */
    ACTIVE,
    /** A store without a cox4j journal whose files did not change within {@link #ACTIVE_WINDOW}. */
    IDLE;

    /** How recently a store without a cox4j journal must have been written to be {@link #ACTIVE}. */
    public static final Duration ACTIVE_WINDOW = Duration.ofMinutes(2);

    /** @return the word shown for it: {@code running}, {@code interrupted}, {@code closed}, {@code active} or {@code idle} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status of a run from what was seen of its folder.
     *
     * @param running whether a cox4j writer holds its lock
     * @param journal whether it has a cox4j journal
     * @param closedCleanly whether {@link Store#isClosedCleanly} says so
     * @param lastWrite when its files last changed
     * @param now the time now
     * @return its status
     */
    public static RunStatus of(boolean running, boolean journal, boolean closedCleanly, Instant lastWrite, Instant now) {
        Objects.requireNonNull(lastWrite, "lastWrite");
        Objects.requireNonNull(now, "now");
        if (running) {
            return RUNNING;
        }
        if (journal) {
            return closedCleanly ? CLOSED : INTERRUPTED;
        }
        return lastWrite.isAfter(now.minus(ACTIVE_WINDOW)) ? ACTIVE : IDLE;
    }

    /**
     * The status of the run in {@code folder} now, as seen by looking at its files (without
     * opening the store).
     *
     * @param folder an experiment folder
     * @param now the time now
     * @return its status
     * @throws cox.exceptions.CoxIOException if its files cannot be looked at
     */
    public static RunStatus of(Path folder, Instant now) {
        return of(folder, now, Store::isOpenForWriting);
    }

    /**
     * {@link #of(Path, Instant)} with a test of the writer lock made for many runs
     * ({@link Store#openForWritingProbe()}).
     *
     * @param folder an experiment folder
     * @param now the time now
     * @param openForWriting whether a writer holds a folder's store
     * @return its status
     * @throws cox.exceptions.CoxIOException if its files cannot be looked at
     */
    public static RunStatus of(Path folder, Instant now, java.util.function.Predicate<Path> openForWriting) {
        Instant lastWrite = Store.lastWriteTime(folder);
        boolean running = openForWriting.test(folder);
        boolean journal = Store.hasJournal(folder);
        return of(running, journal, !running && journal && Store.isClosedCleanly(folder), lastWrite, now);
    }

    /**
     * @param label {@code running}, {@code interrupted}, {@code closed}, {@code active} or {@code idle}, in any case
     * @return the status
     * @throws IllegalArgumentException for another word
     */
    public static RunStatus ofLabel(String label) {
        for (RunStatus s : values()) {
            if (s.label().equalsIgnoreCase(label.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + label
                + "': expected running, interrupted, closed, active or idle");
    }
}
