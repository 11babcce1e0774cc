package cox.readers;

import java.util.List;
import java.util.Objects;

/**
 * What {@link CollectionReader#listRuns} returns: every run as {@link CollectionReader#runs()}
 * lists it, and the rows of a table the runs' summaries keep, as
 * {@link CollectionReader#summaryRows(String, DfOptions)} gathers them, both from one look at each
 * run's files. Not in Python cox.
 *
 * @param runs one entry per experiment, in id order
 * @param rows the kept rows and summaries, or null when they cannot answer for every run (then
 *     read the table with {@link CollectionReader#df(String, DfOptions)})
 */
public record RunListing(List<RunInfo> runs, SummaryRows rows) {
    /**
     * Checks and copies the components.
     *
     * @param runs the runs
     * @param rows the kept rows, or null
     */
    public RunListing {
        runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
    }
}
