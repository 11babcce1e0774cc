package cox.store;

import java.util.Arrays;
import java.util.List;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * A table's rows held by column: {@code long[]} for INT, {@code double[]} for FLOAT,
 * {@code boolean[]} for BOOL and {@code String[]} for the text types, as the HDF5 layer reads them.
 */
final class ColumnArrays {
    private ColumnArrays() {
    }

    static Object[] empty(Schema schema) {
        return withRows(schema, 0);
    }

    static Object[] withRows(Schema schema, int n) {
        Object[] out = new Object[schema.size()];
        int i = 0;
        for (ColumnType t : schema.values()) {
            out[i++] = switch (t) {
                case INT -> new long[n];
                case FLOAT -> new double[n];
                case BOOL -> new boolean[n];
                default -> new String[n];
            };
        }
        return out;
    }

    /** Row {@code r} as boxed cells. */
    static Object[] row(Object[] columns, int r) {
        Object[] cells = new Object[columns.length];
        for (int c = 0; c < columns.length; c++) {
            Object col = columns[c];
            if (col instanceof long[] a) {
                cells[c] = a[r];
            } else if (col instanceof double[] a) {
                cells[c] = a[r];
            } else if (col instanceof boolean[] a) {
                cells[c] = a[r];
            } else {
                cells[c] = ((String[]) col)[r];
            }
        }
        return cells;
    }

    /** {@code columns} ({@code n} rows) followed by {@code tail}, boxed rows. */
    static Object[] append(Object[] columns, int n, List<Object[]> tail) {
        if (tail.isEmpty()) {
            return columns;
        }
        int total = n + tail.size();
        Object[] out = new Object[columns.length];
        for (int c = 0; c < columns.length; c++) {
            Object col = columns[c];
            if (col instanceof long[] a) {
                long[] b = Arrays.copyOf(a, total);
                for (int r = 0; r < tail.size(); r++) {
                    b[n + r] = (Long) tail.get(r)[c];
                }
                out[c] = b;
            } else if (col instanceof double[] a) {
                double[] b = Arrays.copyOf(a, total);
                for (int r = 0; r < tail.size(); r++) {
                    b[n + r] = (Double) tail.get(r)[c];
                }
                out[c] = b;
            } else if (col instanceof boolean[] a) {
                boolean[] b = Arrays.copyOf(a, total);
                for (int r = 0; r < tail.size(); r++) {
                    b[n + r] = (Boolean) tail.get(r)[c];
                }
                out[c] = b;
            } else {
                String[] b = Arrays.copyOf((String[]) col, total);
                for (int r = 0; r < tail.size(); r++) {
                    b[n + r] = (String) tail.get(r)[c];
                }
                out[c] = b;
            }
        }
        return out;
    }

    /** The data frame of {@code columns}: Long, Double, Boolean and String columns in schema order. */
    static DataFrame toDataFrame(Schema schema, Object[] columns) {
        Series<?>[] series = new Series<?>[columns.length];
        for (int c = 0; c < columns.length; c++) {
            Object col = columns[c];
            if (col instanceof long[] a) {
                series[c] = Series.ofLong(a);
            } else if (col instanceof double[] a) {
                series[c] = Series.ofDouble(a);
            } else if (col instanceof boolean[] a) {
                series[c] = Series.ofBool(a);
            } else {
                series[c] = Series.of((String[]) col);
            }
        }
        return DataFrame.byColumn(schema.keySet().toArray(new String[0])).of(series);
    }
}
