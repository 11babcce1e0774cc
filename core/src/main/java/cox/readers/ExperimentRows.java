package cox.readers;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.ValueTooLargeException;
import cox.io.Locations;
import cox.readers.text.ValueExpansion;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.store.TableSummary;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * One experiment's rows of one table, as read by a worker of {@link CollectionReader}: the
 * table's columns (OBJECT and PICKLE cells decoded unless kept), and the experiment's parameters
 * when a metadata table is joined. {@code selection} is filled in later by the row filter.
 */
final class ExperimentRows {
    final String expId;
    final Schema schema;
    final String[] names;
    final Series<?>[] columns;
    final int height;
    /** The last metadata row (column to value), or null when the run has none or no join was asked. */
    final Map<String, Object> parameters;
    /** The rows that pass the filter, or null for all. */
    int[] selection;
    /** The run's summary of the table, when the rows are its kept rows ({@link #kept}); else null. */
    TableSummary summary;

    private ExperimentRows(String expId, Schema schema, String[] names, Series<?>[] columns, int height,
            Map<String, Object> parameters) {
        this.expId = expId;
        this.schema = schema;
        this.names = names;
        this.columns = columns;
        this.height = height;
        this.parameters = parameters;
    }

    int rowCount() {
        return selection == null ? height : selection.length;
    }

    int row(int i) {
        return selection == null ? i : selection[i];
    }

    Series<?> column(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return columns[i];
            }
        }
        return null;
    }

    /**
     * Reads table {@code table} (and the last row of {@code metadataTable}, if not null) of one
     * experiment, opening its store once.
     *
     * @return the rows, or null if the experiment has no such table
     * @throws CoxException naming the experiment when it cannot be read
     */
    static ExperimentRows read(Path directory, String expId, String table, String metadataTable, Set<String> keepSerialized) {
        try (Store store = Store.open(directory, expId, Mode.READ)) {
            Set<String> keys = store.keys();
            if (!keys.contains(table)) {
                return null;
            }
            Table t = store.table(table);
            Schema schema = t.schema();
            DataFrame df = t.df();
            String[] names = schema.keySet().toArray(new String[0]);
            Series<?>[] columns = new Series<?>[names.length];
            for (int c = 0; c < names.length; c++) {
                Series<?> s = df.getColumn(c);
                ColumnType type = schema.get(names[c]);
                if ((type == ColumnType.OBJECT || type == ColumnType.PICKLE) && !keepSerialized.contains(names[c])) {
                    s = decode(t, type, names[c], s);
                }
                columns[c] = s;
            }
            Map<String, Object> parameters = null;
            if (metadataTable != null && keys.contains(metadataTable)) {
                parameters = lastRow(store.table(metadataTable), keepSerialized);
            }
            return new ExperimentRows(expId, schema, names, columns, df.height(), parameters);
        } catch (UncheckedIOException e) {
            throw new CoxIOException("store " + Locations.text(directory.resolve(expId)) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of a table that {@code t} keeps, as {@link #read} would read them.
     *
     * @return the rows, or null if {@code t} keeps none (though it has rows)
     */
    static ExperimentRows kept(String expId, TableSummary t, Map<String, Object> parameters) {
        if (t.rows() > 0 && !t.rowsKept()) {
            return null;
        }
        Schema schema = t.schema();
        String[] names = schema.keySet().toArray(new String[0]);
        ColumnType[] types = schema.values().toArray(new ColumnType[0]);
        List<Object[]> rows = t.keptRows();
        Series<?>[] columns = new Series<?>[names.length];
        int n = rows.size();
        for (int c = 0; c < names.length; c++) {
            switch (types[c]) {
                case INT -> {
                    long[] a = new long[n];
                    for (int r = 0; r < n; r++) {
                        a[r] = (Long) rows.get(r)[c];
                    }
                    columns[c] = Series.ofLong(a);
                }
                case FLOAT -> {
                    double[] a = new double[n];
                    for (int r = 0; r < n; r++) {
                        a[r] = (Double) rows.get(r)[c];
                    }
                    columns[c] = Series.ofDouble(a);
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int r = 0; r < n; r++) {
                        a[r] = (Boolean) rows.get(r)[c];
                    }
                    columns[c] = Series.ofBool(a);
                }
                default -> {
                    String[] a = new String[n];
                    for (int r = 0; r < n; r++) {
                        a[r] = (String) rows.get(r)[c];
                    }
                    columns[c] = Series.of(a);
                }
            }
        }
        ExperimentRows out = new ExperimentRows(expId, schema, names, columns, n, parameters);
        out.summary = t;
        return out;
    }

    /** The last row of a metadata table whose summary keeps its rows (and has some), as {@link #lastRow} reads it. */
    static Map<String, Object> lastKeptRow(TableSummary meta) {
        List<Object[]> rows = meta.keptRows();
        Object[] last = rows.get(rows.size() - 1);
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        int c = 0;
        for (String name : meta.schema().keySet()) {
            row.put(name, last[c++]);
        }
        return row;
    }

    private static Map<String, Object> lastRow(Table meta, Set<String> keepSerialized) {
        DataFrame df = meta.df();
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        if (df.height() == 0) {
            return null;
        }
        int last = df.height() - 1;
        Schema schema = meta.schema();
        int c = 0;
        for (Map.Entry<String, ColumnType> e : schema.entrySet()) {
            Object v = df.getColumn(c++).get(last);
            ColumnType type = e.getValue();
            if ((type == ColumnType.OBJECT || type == ColumnType.PICKLE) && !keepSerialized.contains(e.getKey())) {
                v = decodeCell(meta, type, e.getKey(), last, (String) v);
            }
            row.put(e.getKey(), v);
        }
        return row;
    }

    private static Series<?> decode(Table t, ColumnType type, String column, Series<?> cells) {
        Object[] out = new Object[cells.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = decodeCell(t, type, column, r, (String) cells.get(r));
        }
        return Series.of(out);
    }

    /**
     * Python cox's {@code get_object}/{@code get_pickle}; an empty OBJECT cell is None (null), as
     * cox's {@code string_to_obj} has it. Where cox returns a cell it cannot unpickle unchanged, we
     * report it: nothing is silently changed. A value that expands beyond {@link ValueExpansion}'s
     * limits is a read error too, named here, rather than a frame no one can print.
     */
    private static Object decodeCell(Table t, ColumnType type, String column, int row, String cell) {
        if (cell == null || (type == ColumnType.OBJECT && cell.isEmpty())) {
            return null;
        }
        String at = "table '" + t.name() + "', column '" + column + "', row " + row;
        String where = at + ": cannot decode the " + type + " cell";
        try {
            Object value = type == ColumnType.OBJECT ? t.getObject(cell) : t.getPickle(cell);
            try {
                ValueExpansion.check(value);
            } catch (ValueTooLargeException e) {
                throw e.withContext(at + ": the " + type + " cell is too large to show or convert");
            }
            return value;
        } catch (ValueTooLargeException e) {
            throw e;
        } catch (CoxException e) {
            throw e.withContext(where);
        } catch (UncheckedIOException e) {
            throw new CoxIOException(where + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StoreFormatException(where + ": " + e.getMessage(), e);
        }
    }
}
