package cox.readers;

import cox.readers.filter.RunFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.dflib.BooleanSeries;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.Index;
import org.dflib.LongSeries;
import org.dflib.Series;

/**
 * Gathers the rows of many experiments into one data frame, column by column: each output column
 * is one primitive array ({@code long[]}, {@code double[]}, {@code boolean[]}) filled by bulk
 * copies from the experiments' columns, or a {@code String[]}/{@code Object[]} where cells are
 * text, decoded objects, or missing. No per-frame join and no per-cell boxing of numbers.
 */
final class Concatenation {
    private enum Kind { LONG, DOUBLE, BOOL, TEXT, OBJECT }

    /** Where an output column's cells come from. */
    private enum Source { TABLE, EXP_ID, PARAMETER }

    private record OutColumn(String name, Source source, String sourceName, Kind kind) {
    }

    private final List<ExperimentRows> runs;
    private final List<OutColumn> out = new ArrayList<>();
    private final Map<String, OutColumn> byName = new LinkedHashMap<>();

    /**
     * Lays out the output columns: the tables' columns (first seen first), then
     * {@value CollectionReader#EXP_ID} if asked, then the parameters (a name the tables also use is
     * prefixed {@code METADATA_TABLE.}).
     */
    Concatenation(List<ExperimentRows> runs, boolean appendExpId, String metadataTable) {
        this.runs = runs;
        Set<String> tableColumns = new LinkedHashSet<>();
        for (ExperimentRows r : runs) {
            tableColumns.addAll(Arrays.asList(r.names));
        }
        tableColumns.remove(CollectionReader.EXP_ID); // replaced by the experiment id, as cox does
        for (String c : tableColumns) {
            add(new OutColumn(c, Source.TABLE, c, null));
        }
        add(new OutColumn(CollectionReader.EXP_ID, Source.EXP_ID, CollectionReader.EXP_ID, Kind.TEXT));
        if (metadataTable != null) {
            Set<String> params = new LinkedHashSet<>();
            for (ExperimentRows r : runs) {
                if (r.parameters != null) {
                    params.addAll(r.parameters.keySet());
                }
            }
            params.remove(CollectionReader.EXP_ID);
            for (String p : params) {
                add(new OutColumn(tableColumns.contains(p) ? metadataTable + "." + p : p, Source.PARAMETER, p, null));
            }
        }
        if (!appendExpId) {
            out.remove(byName.get(CollectionReader.EXP_ID));
        }
    }

    private void add(OutColumn c) {
        out.add(c);
        byName.put(c.name, c);
    }

    /** The cell of output column {@code name} in row {@code row} (of all rows) of {@code r}, for the filter. */
    Function<String, Object> cells(ExperimentRows r, int[] row) {
        Map<String, Series<?>> tableSeries = new LinkedHashMap<>();
        for (int i = 0; i < r.names.length; i++) {
            tableSeries.put(r.names[i], r.columns[i]);
        }
        return name -> {
            if (name.equals(CollectionReader.EXP_ID)) {
                return r.expId;
            }
            OutColumn c = byName.get(name);
            if (c == null) {
                return null;
            }
            if (c.source == Source.PARAMETER) {
                return r.parameters == null ? null : r.parameters.get(c.sourceName);
            }
            Series<?> s = tableSeries.get(c.sourceName);
            return s == null ? null : s.get(row[0]);
        };
    }

    /**
     * {@code filter} bound to the output columns ({@link RunFilter#bind}): a bare word naming one
     * is that column, and a number column compared with text that is not a number is refused.
     *
     * @throws cox.readers.filter.FilterTypeException for a number column compared with text
     */
    RunFilter bind(RunFilter filter) {
        Set<String> numeric = new LinkedHashSet<>();
        for (OutColumn c : out) {
            if (isNumeric(c)) {
                numeric.add(c.name);
            }
        }
        return filter.bind(byName.keySet(), numeric);
    }

    /** Whether every cell of an output column is a number or missing, and one is a number. */
    private boolean isNumeric(OutColumn c) {
        boolean any = false;
        for (ExperimentRows r : runs) {
            if (c.source == Source.PARAMETER) {
                Object v = r.parameters == null ? null : r.parameters.get(c.sourceName);
                if (v != null && !(v instanceof Long || v instanceof Double)) {
                    return false;
                }
                any |= v != null;
            } else if (c.source == Source.TABLE) {
                for (int i = 0; i < r.names.length; i++) {
                    if (r.names[i].equals(c.sourceName)) {
                        Series<?> cells = r.columns[i];
                        if (cells instanceof LongSeries || cells instanceof DoubleSeries) {
                            any = true;
                            continue;
                        }
                        for (int k = 0; k < cells.size(); k++) {
                            Object v = cells.get(k);
                            if (v != null && !(v instanceof Long || v instanceof Double)) {
                                return false;
                            }
                            any |= v != null;
                        }
                    }
                }
            }
        }
        return any;
    }

    /** Sets {@code r.selection} to the rows that pass {@code filter}. */
    void select(ExperimentRows r, RunFilter filter) {
        int[] row = {0};
        Function<String, Object> cells = cells(r, row);
        boolean readsRows = false;
        for (String c : filter.columns()) {
            OutColumn oc = byName.get(c);
            readsRows |= oc != null && oc.source == Source.TABLE;
        }
        if (!readsRows) { // only exp_id and parameters: one answer for the whole run
            r.selection = filter.test(cells) ? null : new int[0];
            return;
        }
        int[] keep = new int[r.height];
        int k = 0;
        for (int i = 0; i < r.height; i++) {
            row[0] = i;
            if (filter.test(cells)) {
                keep[k++] = i;
            }
        }
        r.selection = k == r.height ? null : Arrays.copyOf(keep, k);
    }

    /** One task per output column; each fills its own array. */
    List<Supplier<Series<?>>> columnTasks() {
        List<Supplier<Series<?>>> tasks = new ArrayList<>();
        for (OutColumn c : out) {
            tasks.add(() -> build(c));
        }
        return tasks;
    }

    DataFrame frame(List<Series<?>> columns) {
        String[] names = new String[out.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = out.get(i).name;
        }
        return DataFrame.byColumn(Index.of(names)).of(columns.toArray(new Series<?>[0]));
    }

    private int total() {
        int n = 0;
        for (ExperimentRows r : runs) {
            n += r.rowCount();
        }
        return n;
    }

    private Series<?> build(OutColumn c) {
        Kind kind = c.kind != null ? c.kind : kindOf(c);
        int total = total();
        switch (kind) {
            case LONG: {
                long[] a = new long[total];
                int off = 0;
                for (ExperimentRows r : runs) {
                    off = c.source == Source.PARAMETER ? fillLong(a, off, r, (Number) r.parameters.get(c.sourceName))
                            : copyLong(a, off, r, r.column(c.sourceName));
                }
                return Series.ofLong(a);
            }
            case DOUBLE: {
                double[] a = new double[total];
                int off = 0;
                for (ExperimentRows r : runs) {
                    off = c.source == Source.PARAMETER ? fillDouble(a, off, r, (Number) r.parameters.get(c.sourceName))
                            : copyDouble(a, off, r, r.column(c.sourceName));
                }
                return Series.ofDouble(a);
            }
            case BOOL: {
                boolean[] a = new boolean[total];
                int off = 0;
                for (ExperimentRows r : runs) {
                    int n = r.rowCount();
                    if (c.source == Source.PARAMETER) {
                        Arrays.fill(a, off, off + n, (Boolean) r.parameters.get(c.sourceName));
                    } else {
                        BooleanSeries s = (BooleanSeries) r.column(c.sourceName);
                        if (r.selection == null) {
                            s.copyToBool(a, 0, off, n);
                        } else {
                            for (int i = 0; i < n; i++) {
                                a[off + i] = s.getBool(r.selection[i]);
                            }
                        }
                    }
                    off += n;
                }
                return Series.ofBool(a);
            }
            default: {
                Object[] a = kind == Kind.TEXT ? new String[total] : new Object[total];
                int off = 0;
                for (ExperimentRows r : runs) {
                    int n = r.rowCount();
                    if (c.source == Source.EXP_ID) {
                        Arrays.fill(a, off, off + n, r.expId);
                    } else if (c.source == Source.PARAMETER) {
                        Arrays.fill(a, off, off + n, r.parameters == null ? null : r.parameters.get(c.sourceName));
                    } else {
                        Series<?> s = r.column(c.sourceName);
                        if (s != null) {
                            copyObjects(a, off, r, s);
                        }
                    }
                    off += n;
                }
                return Series.of(a);
            }
        }
    }

    /** The kind that holds every experiment's cells of {@code c}; missing cells force TEXT or OBJECT. */
    private Kind kindOf(OutColumn c) {
        Kind kind = null;
        boolean missing = false;
        for (ExperimentRows r : runs) {
            if (r.rowCount() == 0) {
                continue;
            }
            Kind k;
            if (c.source == Source.PARAMETER) {
                Object v = r.parameters == null ? null : r.parameters.get(c.sourceName);
                k = v == null ? null : v instanceof Long ? Kind.LONG : v instanceof Double ? Kind.DOUBLE
                        : v instanceof Boolean ? Kind.BOOL : v instanceof String ? Kind.TEXT : Kind.OBJECT;
            } else {
                Series<?> s = r.column(c.sourceName);
                k = s == null ? null : s instanceof LongSeries ? Kind.LONG : s instanceof DoubleSeries ? Kind.DOUBLE
                        : s instanceof BooleanSeries ? Kind.BOOL : s.getNominalType() == String.class ? Kind.TEXT : Kind.OBJECT;
            }
            if (k == null) {
                missing = true;
                continue;
            }
            kind = kind == null ? k : merge(kind, k);
        }
        if (kind == null) {
            return Kind.OBJECT;
        }
        if (missing && kind != Kind.TEXT) {
            return Kind.OBJECT;
        }
        return kind;
    }

    private static Kind merge(Kind a, Kind b) {
        if (a == b) {
            return a;
        }
        if ((a == Kind.LONG || a == Kind.DOUBLE) && (b == Kind.LONG || b == Kind.DOUBLE)) {
            return Kind.DOUBLE; // cox's INT with FLOAT is FLOAT
        }
        return Kind.OBJECT;
    }

    private static int copyLong(long[] a, int off, ExperimentRows r, Series<?> col) {
        LongSeries s = (LongSeries) col;
        int n = r.rowCount();
        if (r.selection == null) {
            s.copyToLong(a, 0, off, n);
        } else {
            for (int i = 0; i < n; i++) {
                a[off + i] = s.getLong(r.selection[i]);
            }
        }
        return off + n;
    }

    private static int copyDouble(double[] a, int off, ExperimentRows r, Series<?> col) {
        int n = r.rowCount();
        if (col instanceof DoubleSeries s) {
            if (r.selection == null) {
                s.copyToDouble(a, 0, off, n);
            } else {
                for (int i = 0; i < n; i++) {
                    a[off + i] = s.getDouble(r.selection[i]);
                }
            }
        } else {
            LongSeries s = (LongSeries) col;
            for (int i = 0; i < n; i++) {
                a[off + i] = s.getLong(r.row(i));
            }
        }
        return off + n;
    }

    private static int fillLong(long[] a, int off, ExperimentRows r, Number v) {
        int n = r.rowCount();
        Arrays.fill(a, off, off + n, v.longValue());
        return off + n;
    }

    private static int fillDouble(double[] a, int off, ExperimentRows r, Number v) {
        int n = r.rowCount();
        Arrays.fill(a, off, off + n, v.doubleValue());
        return off + n;
    }

    private static void copyObjects(Object[] a, int off, ExperimentRows r, Series<?> s) {
        int n = r.rowCount();
        if (r.selection == null && !(a instanceof String[] && s.getNominalType() != String.class)) {
            s.copyTo(a, 0, off, n);
        } else {
            for (int i = 0; i < n; i++) {
                a[off + i] = s.get(r.row(i));
            }
        }
    }
}
