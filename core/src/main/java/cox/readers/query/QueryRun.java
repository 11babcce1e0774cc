package cox.readers.query;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.ShortRuns;
import cox.readers.SummaryRows;
import cox.readers.filter.FilterBudgetException;
import cox.readers.filter.RunFilter;
import cox.readers.query.QueryResult.Level;
import cox.readers.summary.Goal;
import cox.readers.summary.RunSummaries;
import cox.readers.summary.Statistic;
import cox.readers.summary.TypedColumns;
import cox.store.Store;
import cox.store.TableSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * One execution of a {@link RunQuery}: reads the table, works out each run's fields and
 * summaries when a name asks for them, filters, reduces and groups. Not thread-safe; used once.
 */
final class QueryRun {
    private final RunQuery q;
    private final CollectionReader reader;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> warned = new LinkedHashSet<>();
    private final Map<String, Object[]> runColumns = new HashMap<>();

    private DataFrame rows;
    private List<String> rowColumns;
    private List<String> params;
    private Set<String> numericRowColumns;
    /** Each run's id and rows in {@link #rows}, runs in order of their first row. */
    private String[] expIds;
    private int[][] runRows;
    private int[] runOfRow;
    /**
     * Each run's summary of the table, by exp_id, when {@link #rows} holds only the rows the
     * summaries keep (a per-run answer, {@link CollectionReader#summaryRows}); null when it holds
     * every row.
     */
    private Map<String, TableSummary> summaries;

    QueryRun(RunQuery q, CollectionReader reader) {
        this.q = q;
        this.reader = reader;
    }

    QueryResult run() {
        read();
        if (q.reduction == RunQuery.Reduction.NONE && q.groupBy.isEmpty()) {
            if (q.baseline != null) {
                throw new QueryException("baseline", "a baseline compares groups: group the runs as well (--group-by)");
            }
            Frame f = filter(new Frame(rows, runOfRow), false);
            return new QueryResult(withShown(ordered(f.df), f), Level.ROWS, warnings);
        }
        Frame all = perRun();
        Frame perRun = filter(all, q.reduction == RunQuery.Reduction.SUMMARY);
        if (q.groupBy.isEmpty()) {
            if (q.baseline != null) {
                throw new QueryException("baseline", "a baseline compares groups: group the runs as well (--group-by)");
            }
            return new QueryResult(withShown(ordered(perRun.df), perRun), Level.RUNS, warnings);
        }
        return new QueryResult(groups(perRun, numericColumns(all.df)), Level.GROUPS, warnings);
    }

    /** A frame and, for each of its rows, the index of its run. */
    private record Frame(DataFrame df, int[] runOf) {
    }

    // ------------------------------------------------------------------ reading

    private void read() {
        String meta = q.metadataTable == null || q.metadataTable.equals(q.table) ? null : q.metadataTable;
        DfOptions options = DfOptions.defaults().metadataTable(meta).keepSerialized(q.keepSerialized.toArray(new String[0]));
        boolean perRun = q.reduction != RunQuery.Reduction.NONE || !q.groupBy.isEmpty();
        // --best needs each run's row of its column's best number: where a summary did not keep it, that run is read
        Set<String> least = Set.of();
        Set<String> greatest = Set.of();
        if (q.reduction == RunQuery.Reduction.BEST) {
            if (goal(q.bestColumn) == Goal.MAX) {
                greatest = Set.of(q.bestColumn);
            } else {
                least = Set.of(q.bestColumn);
            }
        }
        SummaryRows kept = perRun ? reader.summaryRows(q.table, options, least, greatest) : null;
        if (kept != null) {
            rows = kept.rows();
            summaries = kept.tables();
        } else {
            rows = reader.df(q.table, options);
        }
        if (rows.height() == 0) {
            Set<String> tables = reader.tables();
            if (!tables.contains(q.table)) {
                throw new QueryException("table", "no run in " + reader.directory() + " has a table '" + q.table + "'"
                        + (tables.isEmpty() ? " (it holds no runs)" : "; the tables are " + String.join(", ", tables)));
            }
        }
        List<String> names = Arrays.asList(rows.getColumnsIndex().toArray());
        int at = names.indexOf(CollectionReader.EXP_ID);
        rowColumns = at < 0 ? names : names.subList(0, at);
        params = at < 0 ? List.of() : names.subList(at + 1, names.size());
        numericRowColumns = new LinkedHashSet<>();
        for (String c : rowColumns) {
            if (TypedColumns.isNumeric(rows.getColumn(c))) {
                numericRowColumns.add(c);
            }
        }
        // each row's run (a run's rows are contiguous in df's frame, so the map is asked once per run), then each run's rows
        Series<?> ids = at < 0 ? null : rows.getColumn(CollectionReader.EXP_ID);
        int n = rows.height();
        runOfRow = new int[n];
        Map<Object, Integer> index = new LinkedHashMap<>();
        List<int[]> counts = new ArrayList<>();
        Object previous = null;
        int run = -1;
        for (int i = 0; i < n; i++) {
            Object id = ids == null ? "" : ids.get(i);
            if (run < 0 || !Objects.equals(id, previous)) {
                Integer known = index.get(id);
                if (known == null) {
                    known = index.size();
                    index.put(id, known);
                    counts.add(new int[1]);
                }
                run = known;
                previous = id;
            }
            runOfRow[i] = run;
            counts.get(run)[0]++;
        }
        expIds = new String[index.size()];
        runRows = new int[index.size()][];
        for (Map.Entry<Object, Integer> e : index.entrySet()) {
            expIds[e.getValue()] = String.valueOf(e.getKey());
            runRows[e.getValue()] = new int[counts.get(e.getValue())[0]];
        }
        int[] filled = new int[expIds.length];
        for (int i = 0; i < n; i++) {
            runRows[runOfRow[i]][filled[runOfRow[i]]++] = i;
        }
    }

    // ------------------------------------------------------------------ one row per run

    private Frame perRun() {
        DataFrame df;
        switch (q.reduction) {
            case BEST -> {
                if (!rowColumns.contains(q.bestColumn)) {
                    throw new QueryException("best", "no column '" + q.bestColumn + "' in table '" + q.table
                            + "'; its columns are " + String.join(", ", rowColumns));
                }
                if (!numericRowColumns.contains(q.bestColumn) && rows.height() > 0) {
                    throw new QueryException("best", "column '" + q.bestColumn + "' of table '" + q.table
                            + "' holds no numbers, so no row of it is best");
                }
                df = RunSummaries.bestRows(rows, q.bestColumn, goal(q.bestColumn));
            }
            case SUMMARY -> {
                List<String> names = new ArrayList<>();
                List<Series<?>> columns = new ArrayList<>();
                names.add(CollectionReader.EXP_ID);
                columns.add(Series.of(expIds.clone()));
                for (String metric : numericRowColumns) {
                    for (Statistic stat : Statistic.values()) {
                        names.add(stat.label(metric));
                        columns.add(TypedColumns.of(statisticPerRun(metric, stat)));
                    }
                }
                DataFrame summary = TypedColumns.frame(names, columns);
                df = params.isEmpty() ? summary
                        : summary.hConcat(RunSummaries.firstRows(rows).cols(params.toArray(new String[0])).select());
            }
            default -> df = RunSummaries.lastRows(rows);
        }
        int[] runOf = new int[df.height()];
        Arrays.setAll(runOf, i -> i);
        return new Frame(df, runOf);
    }

    private Goal goal(String column) {
        if (column.equals(q.bestColumn) && q.bestGoal != null) {
            return q.bestGoal;
        }
        return Goal.guess(column);
    }

    // ------------------------------------------------------------------ names

    /**
     * How to read {@code name} for each row of {@code frame}: its column, else (per-run summaries)
     * a row column's last value, else a run field or summary; null if nothing has that name.
     */
    private IntFunction<Object> getter(Frame frame, String name, boolean summaries) {
        if (frame.df.getColumnsIndex().contains(name)) {
            Series<?> s = frame.df.getColumn(name);
            return s::get;
        }
        if (summaries && rowColumns.contains(name) && !numericRowColumns.contains(name)) {
            throw new QueryException("where", "'" + name + "' is a text column of table '" + q.table + "': --summary"
                    + " summarizes the numeric columns, so filter it with --last (its last value) or without a reduction");
        }
        String n = summaries && rowColumns.contains(name) ? Statistic.LAST.label(name) : name;
        Object[] perRun = runColumn(n);
        if (perRun == null) {
            return null;
        }
        int[] runOf = frame.runOf;
        return i -> perRun[runOf[i]];
    }

    /** Every name a filter can use, and those whose values are numbers. */
    private record Names(Set<String> all, Set<String> numeric) {
    }

    private Names names(Frame frame, boolean summaries) {
        Set<String> all = new LinkedHashSet<>();
        Set<String> numeric = new LinkedHashSet<>();
        for (String c : frame.df.getColumnsIndex().toArray()) {
            all.add(c);
            if (TypedColumns.isNumeric(frame.df.getColumn(c))) {
                numeric.add(c);
            }
        }
        Set<String> stored = new LinkedHashSet<>(all); // a stored column hides a run field or summary of its name
        for (String field : RunQuery.RUN_FIELDS) {
            if (all.add(field) && field.equals(RunQuery.ROWS)) {
                numeric.add(field);
            }
        }
        for (String c : rowColumns) {
            if (summaries && all.add(c) && numericRowColumns.contains(c)) {
                numeric.add(c);
            }
            if (numericRowColumns.contains(c)) {
                for (Statistic s : Statistic.values()) {
                    if (!stored.contains(s.label(c))) {
                        all.add(s.label(c));
                        numeric.add(s.label(c));
                    }
                }
            }
        }
        return new Names(all, numeric);
    }

    /** A run field or a run summary {@code C.STAT}, one value per run; null for another name. */
    private Object[] runColumn(String name) {
        Object[] cached = runColumns.get(name);
        if (cached != null || runColumns.containsKey(name)) {
            return cached;
        }
        Object[] values = computeRunColumn(name);
        runColumns.put(name, values);
        return values;
    }

    private Object[] computeRunColumn(String name) {
        int n = expIds.length;
        switch (name) {
            case CollectionReader.EXP_ID:
                return expIds.clone();
            case RunQuery.ROWS: {
                Object[] v = new Object[n];
                for (int r = 0; r < n; r++) {
                    v[r] = rowCount(r);
                }
                return v;
            }
            case RunQuery.STATUS:
                return statuses();
            case RunQuery.LAST_WRITE:
                return lastWrites();
            case RunQuery.SHORT:
                return shortRuns();
            default:
                break;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String column = name.substring(0, dot);
        Statistic stat = statistic(name.substring(dot + 1));
        if (stat == null || !numericRowColumns.contains(column)) {
            return null;
        }
        return statisticPerRun(column, stat);
    }

    /**
     * One statistic of numeric row column {@code column} per run. With {@link #summaries}, the
     * mean and count come from them (sum / count over all rows), the least and greatest from them
     * when no kept row holds it, the first and last values are cells of the kept rows: so both
     * ways agree exactly ({@link RunSummaries#statistic(Series, int[], Statistic, Goal, TableSummary, String)}).
     */
    private Object[] statisticPerRun(String column, Statistic stat) {
        int n = expIds.length;
        Object[] v = new Object[n];
        Series<?> s = rows.getColumn(column);
        Goal goal = goal(column);
        for (int r = 0; r < n; r++) {
            v[r] = summaries == null ? RunSummaries.statistic(s, runRows[r], stat, goal)
                    : RunSummaries.statistic(s, runRows[r], stat, goal, summaries.get(expIds[r]), column);
        }
        return v;
    }

    /** How many rows run {@code r} has in the table (all of them, whether or not {@link #rows} holds them all). */
    private long rowCount(int r) {
        return summaries == null ? runRows[r].length : summaries.get(expIds[r]).rows();
    }

    private static Statistic statistic(String name) {
        for (Statistic s : Statistic.values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Each run's {@link cox.readers.RunStatus} label, from its files ({@code unreadable} if they cannot be looked at). */
    private Object[] statuses() {
        Instant now = reader.clock().instant();
        Object[] v = new Object[expIds.length];
        java.util.function.Predicate<java.nio.file.Path> locked = Store.openForWritingProbe();
        for (int r = 0; r < v.length; r++) {
            v[r] = RunSelection.statusOf(reader, expIds[r], now, locked);
        }
        return v;
    }

    /** When each run's files last changed, as ISO-8601 UTC text ({@code 2026-12-07T09:30:00Z}). */
    private Object[] lastWrites() {
        Object[] v = new Object[expIds.length];
        for (int r = 0; r < v.length; r++) {
            try {
                v[r] = Store.lastWriteTime(reader.directory().resolve(expIds[r])).toString();
            } catch (CoxException e) {
                v[r] = null;
            }
        }
        return v;
    }

    /** Whether each run is {@link ShortRuns short}: fewer rows than another of its seed group. */
    private Object[] shortRuns() {
        Map<String, Map<String, Object>> parameters = new HashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        DataFrame firsts = params.isEmpty() ? null : RunSummaries.firstRows(rows);
        for (int r = 0; r < expIds.length; r++) {
            counts.put(expIds[r], rowCount(r));
            if (firsts != null) {
                Map<String, Object> p = new HashMap<>();
                for (String name : params) {
                    p.put(name, firsts.getColumn(name).get(r));
                }
                parameters.put(expIds[r], p);
            }
        }
        Set<String> shortOnes = ShortRuns.of(parameters, counts);
        Object[] v = new Object[expIds.length];
        for (int r = 0; r < v.length; r++) {
            v[r] = shortOnes.contains(expIds[r]);
        }
        return v;
    }

    // ------------------------------------------------------------------ filters

    private Frame filter(Frame frame, boolean summaries) {
        if (q.where.isEmpty()) {
            return frame;
        }
        RunFilter f = RunFilter.all();
        for (String w : q.where) {
            f = f.and(parse("where", w));
        }
        boolean[] keep = test("where", f, frame, summaries);
        int k = 0;
        int[] pick = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                pick[k++] = i;
            }
        }
        if (k == keep.length) {
            return frame;
        }
        pick = Arrays.copyOf(pick, k);
        int[] runOf = new int[k];
        for (int i = 0; i < k; i++) {
            runOf[i] = frame.runOf[pick[i]];
        }
        return new Frame(frame.df.rows(pick).select(), runOf);
    }

    /** Parses a filter, its syntax errors as a {@link QueryException} of {@code part}. */
    static RunFilter parse(String part, String expression) {
        Objects.requireNonNull(expression, part);
        try {
            return RunFilter.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new QueryException(part, e.getMessage(), e);
        }
    }

    /** Which rows of {@code frame} pass {@code f}, bound to the names they have. */
    private boolean[] test(String part, RunFilter f, Frame frame, boolean summaries) {
        Names names = names(frame, summaries);
        RunFilter bound;
        try {
            bound = f.bind(names.all(), names.numeric());
        } catch (IllegalArgumentException e) {
            throw new QueryException(part, e.getMessage(), e);
        }
        warnUnknownStatus(part, bound);
        Map<String, IntFunction<Object>> getters = new HashMap<>();
        for (String c : bound.columns()) {
            IntFunction<Object> g = getter(frame, c, summaries);
            if (g == null) {
                warnUnknown(part, c, frame);
            } else {
                getters.put(c, g);
            }
        }
        int[] row = new int[1];
        Function<String, Object> cells = name -> {
            IntFunction<Object> g = getters.get(name);
            return g == null ? null : g.apply(row[0]);
        };
        boolean[] keep = new boolean[frame.df.height()];
        try {
            for (int i = 0; i < keep.length; i++) {
                row[0] = i;
                keep[i] = bound.test(cells);
            }
        } catch (FilterBudgetException e) {
            throw new QueryException(part, e.getMessage(), e);
        }
        return keep;
    }

    /** Warns when the run field status is compared with a word no status is ({@code status == runing}). */
    private void warnUnknownStatus(String part, RunFilter bound) {
        if (!bound.columns().contains(RunQuery.STATUS) || rowColumns.contains(RunQuery.STATUS)
                || params.contains(RunQuery.STATUS)) {
            return;
        }
        for (Object v : bound.valuesComparedWith(RunQuery.STATUS)) {
            if (!STATUS_WORDS.contains(String.valueOf(v)) && warned.add("status=" + v)) {
                warnings.add("--" + part + " compares status with '" + v + "', which no run's status is (a status is one of "
                        + String.join(", ", STATUS_WORDS) + "): it is false for every run");
            }
        }
    }

    /** The words {@link cox.readers.RunStatus} labels a run with, and {@code unreadable}. */
    private static final List<String> STATUS_WORDS = statusWords();

    private static List<String> statusWords() {
        List<String> out = new ArrayList<>();
        for (cox.readers.RunStatus s : cox.readers.RunStatus.values()) {
            out.add(s.label());
        }
        out.add("unreadable");
        return List.copyOf(out);
    }

    private void warnUnknown(String part, String name, Frame frame) {
        if (warned.add(name)) {
            List<String> fields = new ArrayList<>(RunQuery.RUN_FIELDS);
            fields.removeAll(Arrays.asList(frame.df.getColumnsIndex().toArray()));
            warnings.add("--" + part + " names '" + name + "', which no run has (the columns are "
                    + String.join(", ", frame.df.getColumnsIndex().toArray()) + "; the run fields "
                    + String.join(", ", fields) + "; and summaries such as "
                    + (numericRowColumns.isEmpty() ? "loss.last" : Statistic.LAST.label(numericRowColumns.iterator().next()))
                    + "): it is missing in every row");
        }
    }

    // ------------------------------------------------------------------ output

    /** exp_id first, then the parameters, then the rest, as MLflow and guild list runs. */
    private DataFrame ordered(DataFrame df) {
        Set<String> order = new LinkedHashSet<>();
        List<String> names = Arrays.asList(df.getColumnsIndex().toArray());
        if (names.contains(CollectionReader.EXP_ID)) {
            order.add(CollectionReader.EXP_ID);
        }
        for (String p : params) {
            if (names.contains(p)) {
                order.add(p);
            }
        }
        order.addAll(names);
        return df.cols(order.toArray(new String[0])).select();
    }

    /** {@code df} with a column for each shown name that is a run field or summary it lacks. */
    private DataFrame withShown(DataFrame df, Frame frame) {
        return withColumns(df, frame, q.shown, false);
    }

    private DataFrame withColumns(DataFrame df, Frame frame, List<String> names, boolean required) {
        DataFrame out = df;
        for (String name : names) {
            if (out.getColumnsIndex().contains(name)) {
                continue;
            }
            IntFunction<Object> g = getter(new Frame(out, frame.runOf), name, q.reduction == RunQuery.Reduction.SUMMARY);
            if (g == null) {
                if (required) {
                    throw new QueryException("group-by", "no column, parameter, run field or summary '" + name
                            + "'; the columns are " + String.join(", ", out.getColumnsIndex().toArray()) + " and the run fields "
                            + String.join(", ", RunQuery.RUN_FIELDS));
                }
                continue;
            }
            Object[] cells = new Object[out.height()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = g.apply(i);
            }
            List<String> colNames = new ArrayList<>(Arrays.asList(out.getColumnsIndex().toArray()));
            List<Series<?>> cols = new ArrayList<>();
            for (String c : colNames) {
                cols.add(out.getColumn(c));
            }
            colNames.add(name);
            cols.add(TypedColumns.of(cells));
            out = TypedColumns.frame(colNames, cols);
        }
        return out;
    }

    // ------------------------------------------------------------------ groups

    private static Set<String> numericColumns(DataFrame df) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : df.getColumnsIndex().toArray()) {
            if (TypedColumns.isNumeric(df.getColumn(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The groups of the per-run rows that passed {@code --where}; {@code numeric} are the numeric
     * columns of all per-run rows, so that the columns do not depend on which runs pass.
     */
    private DataFrame groups(Frame perRun, Set<String> numeric) {
        // statistics in the per-run rows' order: the parameters, then the table's columns
        DataFrame df = withColumns(ordered(perRun.df), perRun, q.groupBy, true);
        boolean[] baseline = null;
        if (q.baseline != null) {
            baseline = test("baseline", parse("baseline", q.baseline), new Frame(df, perRun.runOf),
                    q.reduction == RunQuery.Reduction.SUMMARY);
            boolean any = false;
            for (boolean b : baseline) {
                any |= b;
            }
            if (!any) {
                throw new QueryException("baseline", "'" + q.baseline + "' matches none of the " + df.height()
                        + " runs" + (q.where.isEmpty() ? "" : " that pass --where"));
            }
        }
        List<String> stats = new ArrayList<>();
        for (String c : df.getColumnsIndex().toArray()) {
            if (!q.groupBy.contains(c) && !c.equals(CollectionReader.EXP_ID) && numeric.contains(c)) {
                stats.add(c);
            }
        }
        return GroupTable.of(df, q.groupBy, stats, baseline);
    }
}
