package cox.readers.summary;

import cox.readers.CollectionReader;
import cox.store.TableSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;

/**
 * Reduces the rows of many runs (a frame with an {@value CollectionReader#EXP_ID} column, as
 * {@link CollectionReader#df} returns it) to one row per run: the first, the last, the best by a
 * column, the row at a step, or statistics of each metric. And picks the columns worth showing
 * ({@link #changedColumns}). What {@code cox df --last/--best/--summary/--only-changed}, the web
 * page's runs table and the SQL/Spark exports share. Python cox has none of these: its users
 * write the pandas {@code groupby} themselves.
 *
 * <p>Runs come out in the order of their first row. A frame without an
 * {@value CollectionReader#EXP_ID} column is one run. Stateless and thread-safe; the frames it
 * returns are new.
 */
public final class RunSummaries {
    private RunSummaries() {
    }

    /**
     * @param rows rows of one or more runs
     * @return each run's first row
     */
    public static DataFrame firstRows(DataFrame rows) {
        Groups g = Groups.of(rows);
        int[] pick = new int[g.size()];
        for (int r = 0; r < pick.length; r++) {
            pick[r] = g.rows.get(r)[0];
        }
        return rows.rows(pick).select();
    }

    /**
     * The latest logged row of each run, as MLflow's {@code latest_metrics} and
     * {@code cox df --last}.
     *
     * @param rows rows of one or more runs
     * @return each run's last row
     */
    public static DataFrame lastRows(DataFrame rows) {
        Groups g = Groups.of(rows);
        int[] pick = new int[g.size()];
        for (int r = 0; r < pick.length; r++) {
            int[] rs = g.rows.get(r);
            pick[r] = rs[rs.length - 1];
        }
        return rows.rows(pick).select();
    }

    /**
     * The best row of each run by {@code column}: the first row holding its least ({@link Goal#MIN})
     * or greatest ({@link Goal#MAX}) value. NaN and missing values are never best; a run with no
     * number in {@code column} at all contributes its last row, so that every run is listed.
     *
     * @param rows rows of one or more runs
     * @param column a numeric column of {@code rows}
     * @param goal whether smaller or greater is better
     * @return one row per run
     * @throws IllegalArgumentException if {@code rows} has no column {@code column}, or it is not numeric
     */
    public static DataFrame bestRows(DataFrame rows, String column, Goal goal) {
        Objects.requireNonNull(goal, "goal");
        Series<?> s = numericColumn(rows, column);
        Groups g = Groups.of(rows);
        int[] pick = new int[g.size()];
        for (int r = 0; r < pick.length; r++) {
            int[] rs = g.rows.get(r);
            int best = -1;
            double bestValue = 0;
            for (int i : rs) {
                double v = number(s, i);
                if (Double.isNaN(v)) {
                    continue;
                }
                if (best < 0 || (goal == Goal.MIN ? v < bestValue : v > bestValue)) {
                    best = i;
                    bestValue = v;
                }
            }
            pick[r] = best >= 0 ? best : rs[rs.length - 1];
        }
        return rows.rows(pick).select();
    }

    /**
     * The row of each run at a step: the last row whose {@code stepColumn} is at most {@code step}
     * (the step itself when it was logged). Runs that logged no row at or before {@code step} are
     * left out.
     *
     * @param rows rows of one or more runs
     * @param stepColumn a numeric column that counts steps or epochs
     * @param step the step
     * @return one row per run that reached {@code step}
     * @throws IllegalArgumentException if {@code rows} has no numeric column {@code stepColumn}
     */
    public static DataFrame rowsAtStep(DataFrame rows, String stepColumn, double step) {
        Series<?> s = numericColumn(rows, stepColumn);
        Groups g = Groups.of(rows);
        int[] pick = new int[g.size()];
        int k = 0;
        for (int[] rs : g.rows) {
            int at = -1;
            double atStep = Double.NEGATIVE_INFINITY;
            for (int i : rs) {
                double v = number(s, i);
                if (v <= step && v >= atStep) {
                    at = i;
                    atStep = v;
                }
            }
            if (at >= 0) {
                pick[k++] = at;
            }
        }
        return rows.rows(Arrays.copyOf(pick, k)).select();
    }

    /**
     * Statistics of metrics, one row per run: the {@value CollectionReader#EXP_ID} column, then for
     * each metric the statistics in the order given, named {@code metric.stat}
     * ({@link Statistic#label}), e.g. {@code loss.first loss.last loss.min loss.max loss.mean}.
     * {@link Statistic#BEST} follows each metric's {@link Goal#guess guessed goal}. FIRST, LAST,
     * MIN, MAX and BEST of an INT column stay INT unless a run has no number in it (they are then
     * NaN, and the column FLOAT, as pandas does); MEAN is FLOAT (NaN for a run with no number);
     * COUNT is INT.
     *
     * @param rows rows of one or more runs
     * @param metrics numeric columns of {@code rows}; see {@link #metricColumns}
     * @param statistics the statistics to compute
     * @return one row per run
     * @throws IllegalArgumentException if a metric is not a numeric column of {@code rows}
     */
    public static DataFrame summary(DataFrame rows, List<String> metrics, List<Statistic> statistics) {
        return summary(rows, metrics, statistics, Goal::guess);
    }

    /**
     * {@link #summary(DataFrame, List, List)} with each metric's goal given, for
     * {@link Statistic#BEST}.
     *
     * @param rows rows of one or more runs
     * @param metrics numeric columns of {@code rows}
     * @param statistics the statistics to compute
     * @param goals each metric's goal
     * @return one row per run
     * @throws IllegalArgumentException if a metric is not a numeric column of {@code rows}
     */
    public static DataFrame summary(DataFrame rows, List<String> metrics, List<Statistic> statistics,
            Function<String, Goal> goals) {
        return summary(rows, metrics, statistics, goals, null);
    }

    /**
     * {@link #summary(DataFrame, List, List, Function)} of rows that are, for some runs, only those
     * their {@link TableSummary} keeps ({@link CollectionReader#summaryRows}): each statistic is taken
     * as {@link #statistic(Series, int[], Statistic, Goal, TableSummary, String)} takes it.
     *
     * @param rows rows of one or more runs
     * @param metrics numeric columns of {@code rows}
     * @param statistics the statistics to compute
     * @param goals each metric's goal
     * @param summaries each run's summary of the table, by {@value CollectionReader#EXP_ID}; null,
     *     or a run it lacks, when {@code rows} holds every row of the run
     * @return one row per run
     * @throws IllegalArgumentException if a metric is not a numeric column of {@code rows}
     */
    public static DataFrame summary(DataFrame rows, List<String> metrics, List<Statistic> statistics,
            Function<String, Goal> goals, Map<String, TableSummary> summaries) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(goals, "goals");
        Groups g = Groups.of(rows);
        List<String> names = new ArrayList<>();
        List<Series<?>> columns = new ArrayList<>();
        names.add(CollectionReader.EXP_ID);
        columns.add(Series.of(g.expIds.toArray(new String[0])));
        for (String metric : metrics) {
            Series<?> s = numericColumn(rows, metric);
            Goal goal = goals.apply(metric);
            for (Statistic stat : statistics) {
                Object[] cells = new Object[g.size()];
                for (int r = 0; r < cells.length; r++) {
                    TableSummary t = summaries == null ? null : summaries.get(g.expIds.get(r));
                    cells[r] = t == null ? statistic(s, g.rows.get(r), stat, goal)
                            : statistic(s, g.rows.get(r), stat, goal, t, metric);
                }
                names.add(stat.label(metric));
                columns.add(TypedColumns.of(cells));
            }
        }
        return TypedColumns.frame(names, columns);
    }

    /**
     * One statistic of one run's cells.
     *
     * @param column a numeric column
     * @param rows the run's rows in it, in order (at least one)
     * @param stat the statistic
     * @param goal the column's goal, for {@link Statistic#BEST}
     * @return the value: a Long or a Double as {@link #summary} describes
     */
    public static Object statistic(Series<?> column, int[] rows, Statistic stat, Goal goal) {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(stat, "stat");
        Statistic s = stat == Statistic.BEST ? (goal == Goal.MAX ? Statistic.MAX : Statistic.MIN) : stat;
        return statistic(column, rows, s);
    }

    /**
     * One statistic of one run's cells when they are only the rows its summary keeps (the first,
     * the last, some rows of least and greatest numbers): the mean and count from {@code summary}
     * (its sum / count over every row); the least, greatest and best from the kept row that holds
     * it, else from {@code summary}'s least or greatest number, typed as the run's cells in
     * {@code column} are (a {@code Long} where they are, else a {@code Double}); the first and last
     * from the rows. The same value {@link #statistic(Series, int[], Statistic, Goal)} finds over
     * every row of the run.
     *
     * @param column a numeric column
     * @param rows the run's rows in it, in order (at least one)
     * @param stat the statistic
     * @param goal the column's goal, for {@link Statistic#BEST}
     * @param summary the run's summary of the table the rows are of
     * @param name the column's name in the table
     * @return the value: a Long or a Double as {@link #summary} describes
     */
    public static Object statistic(Series<?> column, int[] rows, Statistic stat, Goal goal, TableSummary summary,
            String name) {
        Objects.requireNonNull(summary, "summary");
        boolean has = summary.schema().containsKey(name) && summary.isNumeric(name);
        if (stat == Statistic.COUNT) {
            return has ? summary.count(name) : 0L;
        }
        if (stat == Statistic.MEAN) {
            return summary.mean(name);
        }
        Statistic s = stat == Statistic.BEST ? (goal == Goal.MAX ? Statistic.MAX : Statistic.MIN) : stat;
        if (has && summary.count(name) > 0 && (s == Statistic.MIN || s == Statistic.MAX)) {
            long row = s == Statistic.MIN ? summary.minRow(name) : summary.maxRow(name);
            if (!summary.keeps(row)) {
                Object any = column.get(rows[0]);
                if (any instanceof Long) {
                    return s == Statistic.MIN ? summary.minCell(name) : summary.maxCell(name);
                }
                return s == Statistic.MIN ? summary.min(name) : summary.max(name);
            }
        }
        return statistic(column, rows, stat, goal);
    }

    /**
     * The metric columns of a frame: the numeric ones (INT or FLOAT cells, nulls allowed) other
     * than {@value CollectionReader#EXP_ID}, in frame order.
     *
     * @param rows a frame
     * @return its numeric column names
     */
    public static List<String> metricColumns(DataFrame rows) {
        List<String> out = new ArrayList<>();
        for (String c : rows.getColumnsIndex().toArray()) {
            if (!c.equals(CollectionReader.EXP_ID) && TypedColumns.isNumeric(rows.getColumn(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The columns whose value is not the same in every row (what MLflow's and W&amp;B's users ask for
     * as "show only differing columns"), in frame order. Values are equal as
     * {@link java.util.Objects#deepEquals} says, so NaN equals NaN and null equals null. Applied to
     * one row per run it hides the parameters every run shares; applied to all rows also the
     * metrics that never changed. A frame of fewer than two rows keeps every column.
     *
     * @param df a frame
     * @return the names of the columns that differ between rows
     */
    public static List<String> changedColumns(DataFrame df) {
        List<String> out = new ArrayList<>();
        for (String c : df.getColumnsIndex().toArray()) {
            if (df.height() < 2 || varies(df.getColumn(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * {@code df} with only its {@link #changedColumns changed columns}, plus those named in
     * {@code keep} that it has (such as {@value CollectionReader#EXP_ID}), in frame order.
     *
     * @param df a frame
     * @param keep columns to keep even if they do not change
     * @return a new frame
     */
    public static DataFrame onlyChanged(DataFrame df, String... keep) {
        List<String> changed = changedColumns(df);
        List<String> keepList = Arrays.asList(keep);
        List<String> cols = new ArrayList<>();
        for (String c : df.getColumnsIndex().toArray()) {
            if (changed.contains(c) || keepList.contains(c)) {
                cols.add(c);
            }
        }
        return df.cols(cols.toArray(new String[0])).select();
    }

    private static boolean varies(Series<?> s) {
        int n = s.size();
        if (s instanceof DoubleSeries d) {
            long first = Double.doubleToLongBits(d.getDouble(0));
            for (int i = 1; i < n; i++) {
                if (Double.doubleToLongBits(d.getDouble(i)) != first) {
                    return true;
                }
            }
            return false;
        }
        if (s instanceof LongSeries l) {
            long first = l.getLong(0);
            for (int i = 1; i < n; i++) {
                if (l.getLong(i) != first) {
                    return true;
                }
            }
            return false;
        }
        Object first = s.get(0);
        for (int i = 1; i < n; i++) {
            if (!Objects.deepEquals(first, s.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static Object statistic(Series<?> s, int[] rs, Statistic stat) {
        switch (stat) {
            case COUNT: {
                long count = 0;
                for (int i : rs) {
                    if (!Double.isNaN(number(s, i))) {
                        count++;
                    }
                }
                return count;
            }
            case FIRST:
                return s.get(rs[0]);
            case LAST:
                return s.get(rs[rs.length - 1]);
            case MEAN: {
                double sum = 0;
                int count = 0;
                for (int i : rs) {
                    double v = number(s, i);
                    if (!Double.isNaN(v)) {
                        sum += v;
                        count++;
                    }
                }
                return count == 0 ? Double.NaN : sum / count;
            }
            default: {
                Object best = null;
                double bestValue = 0;
                for (int i : rs) {
                    double v = number(s, i);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (best == null || (stat == Statistic.MIN ? v < bestValue : v > bestValue)) {
                        best = s.get(i);
                        bestValue = v;
                    }
                }
                return best == null ? Double.NaN : best;
            }
        }
    }

    /** The cell as a double; NaN for a NaN, a null or a non-number. */
    private static double number(Series<?> s, int i) {
        if (s instanceof DoubleSeries d) {
            return d.getDouble(i);
        }
        if (s instanceof LongSeries l) {
            return l.getLong(i);
        }
        Object v = s.get(i);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Series<?> numericColumn(DataFrame rows, String column) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(column, "column");
        if (!rows.getColumnsIndex().contains(column)) {
            throw new IllegalArgumentException("no column '" + column + "': the columns are "
                    + Arrays.toString(rows.getColumnsIndex().toArray()));
        }
        Series<?> s = rows.getColumn(column);
        if (s.size() > 0 && !TypedColumns.isNumeric(s)) {
            throw new IllegalArgumentException("column '" + column + "' is not numeric");
        }
        return s;
    }

    /** The rows of each run, runs in order of their first row. */
    private record Groups(List<String> expIds, List<int[]> rows) {
        int size() {
            return expIds.size();
        }

        static Groups of(DataFrame df) {
            Objects.requireNonNull(df, "rows");
            int n = df.height();
            if (!df.getColumnsIndex().contains(CollectionReader.EXP_ID)) {
                int[] all = new int[n];
                Arrays.setAll(all, i -> i);
                return n == 0 ? new Groups(List.of(), List.of()) : new Groups(List.of(""), List.<int[]>of(all));
            }
            Series<?> ids = df.getColumn(CollectionReader.EXP_ID);
            Map<Object, int[]> counts = new LinkedHashMap<>();
            Object last = null;
            int[] lastCount = null;
            for (int i = 0; i < n; i++) {
                Object id = ids.get(i);
                if (lastCount == null || !Objects.equals(id, last)) {
                    lastCount = counts.computeIfAbsent(id, k -> new int[1]);
                    last = id;
                }
                lastCount[0]++;
            }
            Map<Object, int[]> members = new LinkedHashMap<>();
            Map<Object, int[]> fill = new LinkedHashMap<>();
            for (Map.Entry<Object, int[]> e : counts.entrySet()) {
                members.put(e.getKey(), new int[e.getValue()[0]]);
                fill.put(e.getKey(), new int[1]);
            }
            last = null;
            int[] lastMembers = null;
            int[] lastFill = null;
            for (int i = 0; i < n; i++) {
                Object id = ids.get(i);
                if (lastMembers == null || !Objects.equals(id, last)) {
                    lastMembers = members.get(id);
                    lastFill = fill.get(id);
                    last = id;
                }
                lastMembers[lastFill[0]++] = i;
            }
            List<String> expIds = new ArrayList<>();
            for (Object id : members.keySet()) {
                expIds.add(id == null ? null : id.toString());
            }
            return new Groups(expIds, new ArrayList<>(members.values()));
        }
    }
}
