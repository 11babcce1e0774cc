package cox.web;

import cox.readers.ShortRuns;
import cox.store.ColumnType;
import cox.store.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /api/runs} and {@code /api/filter} work out over every listed run: the columns of
 * the table ({@link ColumnUnion}), which runs are short ({@link ShortRuns}), and each metric's
 * least and greatest value over the runs ({@code min} and {@code max} in the answer's
 * {@code metrics}: the page lays the curves of many runs on a grid of x over this range).
 *
 * <p>At 100,000 runs a poll must not redo this from scratch whenever one run changes, so what
 * each run's contents give is worked out once per contents (kept while the run's contents are
 * the same object) and the passes over the runs only combine small numbers: a run's <b>shape</b>
 * (its tables, their columns, its parameters' types, in order) and its <b>group</b> (its
 * parameters apart from seed, {@link ShortRuns#groupKey}) are numbered, the column union is made
 * from the first run of each shape in listing order (a union over runs of one shape repeats
 * itself: the answer is the one over every run), and the short runs are found from the group
 * numbers. The result equals a fresh computation over the runs; it is kept while the listing and
 * what is known of the runs are the same. Thread-safe.
 */
final class RunAggregates {
    /**
     * The aggregates of one table over the listed runs.
     *
     * @param key the listing version, run count, table and summary generation they were made for
     * @param columns the columns of the table over the runs
     * @param shortRuns whether each summarized run is short in the table, by exp_id (runs not summarized are left out)
     * @param ranges each metric's least and greatest value over the runs, where any run has a value
     */
    record Aggregates(List<Object> key, ColumnUnion columns, Map<String, Boolean> shortRuns, Map<String, double[]> ranges) {
    }

    /** What one run's contents give: its shape's and its group's number; kept while its contents are this object. */
    private record Derived(RunContents contents, int shape, int group) {
    }

    /** Numbers are handed out afresh (everything worked out again) when this many more than the runs are held. */
    private static final int SLACK = 1024;

    private final SummaryCache summaries;
    private final Map<String, Derived> derived = new HashMap<>(); // under this
    private final Map<Object, Integer> shapes = new HashMap<>(); // under this
    private final Map<Object, Integer> groups = new HashMap<>(); // under this
    private volatile Aggregates last;
    /** The maps of the last shape numbered, and its number: runs loaded together share their maps. Under this. */
    private Object lastTables;
    private Object lastTypes;
    private int lastShape;

    RunAggregates(SummaryCache summaries) {
        this.summaries = summaries;
    }

    /**
     * @param snap the listing
     * @param table the table, or null
     * @return the aggregates of {@code table} over the listed runs as known now
     */
    Aggregates of(RunScanner.Listing snap, String table) {
        List<Object> key = Arrays.asList(table, snap.version(), snap.runs().size(), summaries.generation());
        Aggregates a = last;
        if (a != null && a.key().equals(key)) {
            return a;
        }
        synchronized (this) {
            a = last;
            if (a != null && a.key().equals(key)) {
                return a;
            }
            a = compute(key, snap.runs(), table);
            last = a;
            return a;
        }
    }

    private Aggregates compute(List<Object> key, List<ListedRun> runs, String table) {
        if (shapes.size() + groups.size() > 2 * runs.size() + SLACK) {
            derived.clear(); // numbers of runs long gone: start again
            shapes.clear();
            groups.clear();
            lastTables = null;
            lastTypes = null;
        }
        // the union over the first run of each shape, in listing order, and the ranges, from what is known
        List<RunContents> firstOfShape = new ArrayList<>();
        BitSet seen = new BitSet();
        Map<String, double[]> ranges = new HashMap<>();
        for (ListedRun r : runs) {
            RunContents c = summaries.knownContents(r);
            if (c != null) {
                int shape = derived(r.expId, c).shape();
                if (!seen.get(shape)) {
                    seen.set(shape);
                    firstOfShape.add(c);
                }
            }
            TableSummary s = summaries.knownSummary(r, table);
            if (s == null) {
                continue;
            }
            for (Map.Entry<String, MetricSummary> e : s.metrics().entrySet()) {
                MetricSummary m = e.getValue();
                if (m.count() > 0) {
                    double[] range = ranges.computeIfAbsent(e.getKey(),
                            k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                    range[0] = Math.min(range[0], m.min());
                    range[1] = Math.max(range[1], m.max());
                }
            }
        }
        ColumnUnion columns = ColumnUnion.of(firstOfShape, table);
        Map<String, Boolean> shortRuns = shortRuns(runs, table);
        if (derived.size() > runs.size()) {
            Set<String> listed = new HashSet<>();
            runs.forEach(r -> listed.add(r.expId));
            derived.keySet().retainAll(listed);
        }
        return new Aggregates(key, columns, shortRuns, ranges);
    }

    /**
     * Which runs are short in {@code table}, as {@link ShortRuns#of} finds them over the runs
     * summarized (their summaries and contents read now if stale), from their group numbers.
     */
    private Map<String, Boolean> shortRuns(List<ListedRun> runs, String table) {
        Map<String, Boolean> out = new HashMap<>();
        if (table == null) {
            return out;
        }
        int[] groupOf = new int[runs.size()];
        long[] rowsOf = new long[runs.size()];
        long[] most = new long[groups.size() + runs.size()];
        Arrays.fill(most, Long.MIN_VALUE);
        for (int i = 0; i < runs.size(); i++) {
            ListedRun r = runs.get(i);
            TableSummary s = summaries.summary(r, table);
            if (s == null || s.rows() < 0) {
                groupOf[i] = -1;
                continue;
            }
            int g = derived(r.expId, summaries.contents(r)).group();
            if (g >= most.length) {
                int from = most.length;
                most = Arrays.copyOf(most, Math.max(g + 1, 2 * most.length));
                Arrays.fill(most, from, most.length, Long.MIN_VALUE);
            }
            groupOf[i] = g;
            rowsOf[i] = s.rows();
            most[g] = Math.max(most[g], s.rows());
        }
        for (int i = 0; i < runs.size(); i++) {
            if (groupOf[i] >= 0) {
                out.put(runs.get(i).expId, rowsOf[i] < most[groupOf[i]]);
            }
        }
        return out;
    }

    /** The numbers of a run's shape and group, worked out again only if its contents are another object. */
    private Derived derived(String expId, RunContents contents) {
        Derived d = derived.get(expId);
        if (d != null && d.contents() == contents) {
            return d;
        }
        int shape;
        if (contents.tables() == lastTables && contents.paramTypes() == lastTypes) {
            shape = lastShape; // the same maps as the run before (the summary file shares them): the same shape
        } else {
            shape = number(shapes, shapeKey(contents));
            lastTables = contents.tables();
            lastTypes = contents.paramTypes();
            lastShape = shape;
        }
        d = new Derived(contents, shape, number(groups, ShortRuns.groupKey(contents.params())));
        derived.put(expId, d);
        return d;
    }

    private static int number(Map<Object, Integer> numbers, Object key) {
        Integer n = numbers.get(key);
        if (n == null) {
            n = numbers.size();
            numbers.put(key, n);
        }
        return n;
    }

    /** What {@link ColumnUnion} reads of a run, in order: its tables with their columns, and its parameters' types. */
    private static Object shapeKey(RunContents c) {
        List<Object> tables = new ArrayList<>(2 * c.tables().size());
        for (Map.Entry<String, Schema> t : c.tables().entrySet()) {
            tables.add(t.getKey());
            tables.add(List.copyOf(t.getValue().entrySet()));
        }
        List<Map.Entry<String, ColumnType>> params = List.copyOf(c.paramTypes().entrySet());
        return List.of(tables, params);
    }
}
