package cox.readers.summary;

import cox.readers.CollectionReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;

/**
 * Each run's parameters: one row of its metadata table (conventionally {@code metadata}, one row
 * per run, as cox's walkthroughs and {@code tensorboard_view} expect), ready to be joined to the
 * rows of another table. This is the join every cox user writes by hand after
 * {@code CollectionReader.df} ({@code results.merge(metadata, on='exp_id')}); here it is a left
 * join, so a run without metadata keeps its rows, with null parameters.
 *
 * <p>A run whose metadata table has several rows contributes its <b>last</b> row (the latest
 * parameters written). Note that Python cox's {@code tensorboard_view} takes the first; the
 * {@code cox tensorboard-view} command follows cox there.
 *
 * <p>Immutable and thread-safe.
 */
public final class RunMetadata {
    private final String table;
    private final DataFrame frame;
    private final Map<String, Integer> rowOf;
    private final List<String> columns;

    private RunMetadata(String table, DataFrame frame) {
        this.table = table;
        this.frame = frame;
        Map<String, Integer> m = new HashMap<>();
        Series<?> ids = frame.getColumn(CollectionReader.EXP_ID);
        for (int i = 0; i < frame.height(); i++) {
            m.put((String) ids.get(i), i);
        }
        this.rowOf = m;
        List<String> cols = new ArrayList<>(Arrays.asList(frame.getColumnsIndex().toArray()));
        cols.remove(CollectionReader.EXP_ID);
        this.columns = Collections.unmodifiableList(cols);
    }

    /**
     * The parameters of each run in {@code metadataRows}.
     *
     * @param table the metadata table's name, which prefixes a parameter whose name a joined table
     *     also has ({@code metadata.lr})
     * @param metadataRows the metadata table's rows with an {@value CollectionReader#EXP_ID} column,
     *     as {@code reader.df("metadata")} returns them
     * @return one row per run: its last metadata row
     * @throws IllegalArgumentException if {@code metadataRows} has no {@value CollectionReader#EXP_ID} column
     */
    public static RunMetadata of(String table, DataFrame metadataRows) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(metadataRows, "metadataRows");
        if (!metadataRows.getColumnsIndex().contains(CollectionReader.EXP_ID)) {
            throw new IllegalArgumentException("metadata rows need an " + CollectionReader.EXP_ID + " column: the columns are "
                    + Arrays.toString(metadataRows.getColumnsIndex().toArray()));
        }
        return new RunMetadata(table, RunSummaries.lastRows(metadataRows));
    }

    /** @return the metadata table's name */
    public String table() {
        return table;
    }

    /** @return the parameter names (the metadata table's columns but {@value CollectionReader#EXP_ID}), in order */
    public List<String> columns() {
        return columns;
    }

    /** @return one row per run: the parameters and the {@value CollectionReader#EXP_ID} column */
    public DataFrame frame() {
        return frame;
    }

    /**
     * @param expId a run
     * @return its parameters in column order, or an empty map if it has no metadata row
     */
    public Map<String, Object> parameters(String expId) {
        Integer r = rowOf.get(expId);
        if (r == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : columns) {
            out.put(c, frame.getColumn(c).get(r));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Each row of {@code rows} with its run's parameters appended as columns, in
     * {@link #columns()} order (a left join on {@value CollectionReader#EXP_ID}). A run without
     * metadata gets nulls. A parameter whose name {@code rows} already has is renamed
     * {@code TABLE.NAME} (e.g. {@code metadata.lr}).
     *
     * @param rows rows with an {@value CollectionReader#EXP_ID} column
     * @return a new frame: the columns of {@code rows}, then the parameters
     * @throws IllegalArgumentException if {@code rows} has no {@value CollectionReader#EXP_ID} column
     */
    public DataFrame join(DataFrame rows) {
        Objects.requireNonNull(rows, "rows");
        if (!rows.getColumnsIndex().contains(CollectionReader.EXP_ID)) {
            throw new IllegalArgumentException("rows to join with metadata need an " + CollectionReader.EXP_ID
                    + " column: the columns are " + Arrays.toString(rows.getColumnsIndex().toArray()));
        }
        int n = rows.height();
        Series<?> ids = rows.getColumn(CollectionReader.EXP_ID);
        int[] source = new int[n];
        boolean allMatched = true;
        Object lastId = null;
        int lastRow = -1;
        for (int i = 0; i < n; i++) {
            Object id = ids.get(i);
            if (i == 0 || !Objects.equals(id, lastId)) {
                Integer r = rowOf.get(id);
                lastRow = r == null ? -1 : r;
                lastId = id;
            }
            source[i] = lastRow;
            allMatched &= lastRow >= 0;
        }
        List<String> names = new ArrayList<>(Arrays.asList(rows.getColumnsIndex().toArray()));
        List<Series<?>> columns = new ArrayList<>();
        for (String name : names) {
            columns.add(rows.getColumn(name));
        }
        for (String c : this.columns) {
            names.add(rows.getColumnsIndex().contains(c) ? table + "." + c : c);
            columns.add(gather(frame.getColumn(c), source, allMatched));
        }
        return TypedColumns.frame(names, columns);
    }

    /** {@code s[source[i]]} for each i, null where {@code source[i] < 0}; primitive when nothing is null. */
    private static Series<?> gather(Series<?> s, int[] source, boolean allMatched) {
        int n = source.length;
        if (allMatched && s instanceof LongSeries l) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                a[i] = l.getLong(source[i]);
            }
            return Series.ofLong(a);
        }
        if (allMatched && s instanceof DoubleSeries d) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = d.getDouble(source[i]);
            }
            return Series.ofDouble(a);
        }
        if (allMatched && s instanceof org.dflib.BooleanSeries b) {
            boolean[] a = new boolean[n];
            for (int i = 0; i < n; i++) {
                a[i] = b.getBool(source[i]);
            }
            return Series.ofBool(a);
        }
        Object[] a = new Object[n];
        for (int i = 0; i < n; i++) {
            a[i] = source[i] < 0 ? null : s.get(source[i]);
        }
        return Series.of(a);
    }
}
