package cox.readers.query;

import java.util.List;
import java.util.Objects;
import org.dflib.DataFrame;

/**
 * What a {@link RunQuery} answers: a frame of rows, of runs or of groups, and the warnings a user
 * should see beside it (a filter naming a column no run has). Immutable.
 *
 * @param frame the answer
 * @param level what one row of {@code frame} is
 * @param warnings one line each, in the order found
 */
public record QueryResult(DataFrame frame, Level level, List<String> warnings) {
    /** What one row of the answer is (see {@code docs/querying.md}). */
    public enum Level {
        /** A row of a run's table. */
        ROWS,
        /** A run: its last or best row, or its summaries. */
        RUNS,
        /** A group of runs ({@code --group-by}): its values, {@code n} and statistics. */
        GROUPS
    }

    /**
     * Checks and copies the components.
     *
     * @param frame the answer
     * @param level what one row is
     * @param warnings the warnings
     */
    public QueryResult {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(level, "level");
        warnings = List.copyOf(warnings);
    }
}
