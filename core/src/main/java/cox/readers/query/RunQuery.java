package cox.readers.query;

import cox.readers.CollectionReader;
import cox.readers.summary.Goal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A question about the runs of a folder, asked once for every front end: {@code cox df}, the web
 * page's tables and {@code /api/df} and {@code /api/groups} all build one and {@link #run} it, so
 * that a name, a filter, "last", "best" and a group mean the same everywhere. The meaning is
 * written down in {@code docs/querying.md}; in short:
 *
 * <ul>
 *   <li>A name is a row column, a parameter (the metadata table's row), a run field
 *     ({@value CollectionReader#EXP_ID}, {@value #STATUS}, {@value #ROWS}, {@value #SHORT},
 *     {@value #LAST_WRITE}) or a
 *     run summary {@code COLUMN.STAT} ({@code val_acc.max}; see
 *     {@link cox.readers.summary.Statistic}), looked up in that order.</li>
 *   <li>Without {@link #last}, {@link #best} or {@link #summary} the answer is rows, and
 *     {@link #where} keeps rows (a condition on a run-level name keeps all of a run's rows or none);
 *     with one of them each run is reduced to one row first, and {@link #where} then keeps runs.</li>
 *   <li>{@link #groupBy} groups the runs (their last rows unless reduced otherwise) and gives, for
 *     each numeric column {@code C}, {@code C.mean C.std C.sem C.ci95_low C.ci95_high C.min C.max};
 *     {@link #baseline} adds {@code C.diff} and {@code C.p_welch}.</li>
 * </ul>
 *
 * <pre>{@code
 * QueryResult r = RunQuery.of("results").metadataTable("metadata")
 *         .best("val_acc", Goal.MAX).groupBy(List.of("lr", "optimizer"))
 *         .baseline("lr == 0.1 and optimizer == sgd").run(reader);
 * }</pre>
 *
 * <p>Python cox has none of this: its users write the pandas {@code merge}, {@code groupby} and
 * {@code scipy.stats} calls by hand. Immutable and thread-safe; {@link #run} reads the runs anew
 * each time.
 */
public final class RunQuery {
    /** The run field of a run's status: running, interrupted, closed, active or idle. */
    public static final String STATUS = "status";
    /** The run field of how many rows a run has in the table asked for. */
    public static final String ROWS = "rows";
    /** The run field that is true for a run with fewer rows than another of its seed group. */
    public static final String SHORT = "short";
    /** The run field of when a run's files last changed, as ISO-8601 UTC text. */
    public static final String LAST_WRITE = "last_write";
    /** The run fields, in the order they are listed. */
    public static final List<String> RUN_FIELDS = List.of(CollectionReader.EXP_ID, STATUS, ROWS, SHORT, LAST_WRITE);

    /** How each run is reduced to one row. */
    enum Reduction {
        NONE, LAST, BEST, SUMMARY
    }

    final String table;
    final String metadataTable;
    final List<String> where;
    final Reduction reduction;
    final String bestColumn;
    final Goal bestGoal;
    final List<String> groupBy;
    final String baseline;
    final List<String> shown;
    final List<String> keepSerialized;

    private RunQuery(String table, String metadataTable, List<String> where, Reduction reduction, String bestColumn,
            Goal bestGoal, List<String> groupBy, String baseline, List<String> shown, List<String> keepSerialized) {
        this.table = table;
        this.metadataTable = metadataTable;
        this.where = List.copyOf(where);
        this.reduction = reduction;
        this.bestColumn = bestColumn;
        this.bestGoal = bestGoal;
        this.groupBy = List.copyOf(groupBy);
        this.baseline = baseline;
        this.shown = List.copyOf(shown);
        this.keepSerialized = List.copyOf(keepSerialized);
    }

    /**
     * @param table the table whose rows are asked about, e.g. {@code results}
     * @return a query of every row of that table, without parameters joined
     */
    public static RunQuery of(String table) {
        Objects.requireNonNull(table, "table");
        return new RunQuery(table, null, List.of(), Reduction.NONE, null, null, List.of(), null, List.of(), List.of());
    }

    /**
     * @param metadata the table of each run's parameters (conventionally {@code metadata}), or null
     *     for none; ignored when it is the table asked about
     * @return this query with each run's parameters joined
     */
    public RunQuery metadataTable(String metadata) {
        return new RunQuery(table, metadata, where, reduction, bestColumn, bestGoal, groupBy, baseline, shown,
                keepSerialized);
    }

    /**
     * @param expression a filter ({@link cox.readers.filter.RunFilter}'s grammar); several are
     *     combined with AND
     * @return this query keeping only what passes it as well
     * @throws QueryException if it does not parse
     */
    public RunQuery where(String expression) {
        QueryRun.parse("where", expression);
        List<String> w = new ArrayList<>(where);
        w.add(expression);
        return new RunQuery(table, metadataTable, w, reduction, bestColumn, bestGoal, groupBy, baseline, shown,
                keepSerialized);
    }

    /** @return this query reducing each run to its last row */
    public RunQuery last() {
        return new RunQuery(table, metadataTable, where, Reduction.LAST, null, null, groupBy, baseline, shown,
                keepSerialized);
    }

    /**
     * @param column a numeric column of the table
     * @param goal whether its least or greatest value is best; null to {@link Goal#guess guess}
     *     from its name
     * @return this query reducing each run to its best row by {@code column}
     */
    public RunQuery best(String column, Goal goal) {
        Objects.requireNonNull(column, "column");
        return new RunQuery(table, metadataTable, where, Reduction.BEST, column, goal, groupBy, baseline, shown,
                keepSerialized);
    }

    /**
     * {@link #best(String, Goal)} from {@code COL[:min|max]} as a user writes it ({@code val_acc:max},
     * {@code loss}; the goal in any case); a column whose own name ends in {@code :min} or
     * {@code :max} cannot be named this way.
     *
     * @param columnAndGoal the column, optionally followed by {@code :min} or {@code :max}
     * @return this query reducing each run to its best row
     * @throws QueryException (part {@code best}) for another suffix that looks like a goal ({@code :maxx})
     */
    public RunQuery best(String columnAndGoal) {
        Objects.requireNonNull(columnAndGoal, "columnAndGoal");
        int i = columnAndGoal.lastIndexOf(':');
        if (i < 0) {
            return best(columnAndGoal, null);
        }
        String suffix = columnAndGoal.substring(i + 1).strip();
        if (!suffix.isEmpty() && !suffix.chars().allMatch(Character::isLetter)) {
            return best(columnAndGoal, null); // a column named with a ':', such as time:12h
        }
        try {
            return best(columnAndGoal.substring(0, i), Goal.of(suffix));
        } catch (IllegalArgumentException e) {
            throw new QueryException("best", columnAndGoal + ": " + e.getMessage(), e);
        }
    }

    /** @return this query reducing each run to the summaries {@code C.STAT} of its numeric columns */
    public RunQuery summary() {
        return new RunQuery(table, metadataTable, where, Reduction.SUMMARY, null, null, groupBy, baseline, shown,
                keepSerialized);
    }

    /**
     * @param names the names whose values make a group (parameters, run fields, columns of the
     *     per-run rows); empty for no groups
     * @return this query answering one row per group
     * @throws QueryException (part {@code group-by}) if a name is given twice
     */
    public RunQuery groupBy(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new QueryException("group-by", "names '" + n + "' twice");
            }
        }
        return new RunQuery(table, metadataTable, where, reduction, bestColumn, bestGoal, names, baseline, shown,
                keepSerialized);
    }

    /**
     * @param expression a filter choosing the baseline runs among the per-run rows, or null
     * @return this query comparing each group with the baseline (needs {@link #groupBy})
     * @throws QueryException if it does not parse
     */
    public RunQuery baseline(String expression) {
        if (expression != null) {
            QueryRun.parse("baseline", expression);
        }
        return new RunQuery(table, metadataTable, where, reduction, bestColumn, bestGoal, groupBy, expression, shown,
                keepSerialized);
    }

    /**
     * @param names names the caller will show or sort by: those that are run fields or summaries
     *     and not already columns of the answer are added as columns (for rows and runs; groups
     *     ignore them)
     * @return this query adding them
     */
    public RunQuery show(List<String> names) {
        return new RunQuery(table, metadataTable, where, reduction, bestColumn, bestGoal, groupBy, baseline, names,
                keepSerialized);
    }

    /**
     * @param columns OBJECT or PICKLE columns to leave serialized
     * @return this query leaving them as stored text
     */
    public RunQuery keepSerialized(List<String> columns) {
        return new RunQuery(table, metadataTable, where, reduction, bestColumn, bestGoal, groupBy, baseline, shown,
                columns);
    }

    /**
     * Reads the table of every run of {@code reader} and answers.
     *
     * @param reader the runs
     * @return the answer and its warnings
     * @throws QueryException if the query is at fault: a filter that does not parse or compares a
     *     number column with text, an unknown table, column or group name, a baseline that matches
     *     no run, a regex that needs too many steps
     * @throws cox.exceptions.CoxException if a run cannot be read (unless the reader skips errors)
     */
    public QueryResult run(CollectionReader reader) {
        Objects.requireNonNull(reader, "reader");
        return new QueryRun(this, reader).run();
    }

    /** @return the query as a command line would write it */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(table);
        if (metadataTable != null) {
            b.append(" --metadata-table ").append(metadataTable);
        }
        for (String w : where) {
            b.append(" --where '").append(w).append('\'');
        }
        switch (reduction) {
            case LAST -> b.append(" --last");
            case BEST -> b.append(" --best ").append(bestColumn).append(bestGoal == null ? "" : ":" + bestGoal.name().toLowerCase(
                    java.util.Locale.ROOT));
            case SUMMARY -> b.append(" --summary");
            default -> { }
        }
        if (!groupBy.isEmpty()) {
            b.append(" --group-by ").append(String.join(",", groupBy));
        }
        if (baseline != null) {
            b.append(" --baseline '").append(baseline).append('\'');
        }
        return b.toString();
    }
}
