package cox.readers;

import cox.store.TableSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dflib.DataFrame;

/**
 * What {@link CollectionReader#summaryRows} returns: for each run, the rows of a table its
 * {@link cox.store.RunSummary summary} keeps (the first, the last, and some of those holding a
 * numeric column's least or greatest number: every one asked for), gathered as
 * {@link CollectionReader#df} gathers all rows, and each run's {@link TableSummary}, which knows
 * its true row count and each numeric column's sum, count, least and greatest number.
 *
 * @param rows the kept rows, runs in id order, each run's rows in row order
 * @param tables each run's summary of the table, by experiment id, runs in id order (runs with
 *     the table, rows or not)
 */
public record SummaryRows(DataFrame rows, Map<String, TableSummary> tables) {
    /**
     * Checks and copies the components.
     *
     * @param rows the kept rows
     * @param tables each run's summary of the table
     */
    public SummaryRows {
        Objects.requireNonNull(rows, "rows");
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }
}
