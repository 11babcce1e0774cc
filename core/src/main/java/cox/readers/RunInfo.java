package cox.readers;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cox ls} shows of one experiment: its tables with their row counts, when it was last
 * written, its {@link RunStatus}, or why it cannot be read. Not in Python cox.
 *
 * @param expId the experiment id (its folder name)
 * @param rows each table's row count, in the store's table order; empty if the store could not be read
 * @param lastWrite when the store's files last changed
 * @param status where the run stands; null if its files could not be looked at (then {@code error} says why)
 * @param error why the store could not be read, or null
 */
public record RunInfo(String expId, Map<String, Long> rows, Instant lastWrite, RunStatus status, String error) {
    /**
     * Checks the components.
     *
     * @param expId the experiment id
     * @param rows each table's row count
     * @param lastWrite when the store's files last changed
     * @param status where the run stands, or null if unknown
     * @param error why the store could not be read, or null
     * @throws NullPointerException for a required component that is null
     */
    public RunInfo {
        Objects.requireNonNull(expId, "expId");
        Objects.requireNonNull(lastWrite, "lastWrite");
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(rows, "rows")));
    }

    /** @return whether a cox4j writer on this machine holds the store open now ({@link RunStatus#RUNNING}) */
    public boolean running() {
        return status == RunStatus.RUNNING;
    }
}
