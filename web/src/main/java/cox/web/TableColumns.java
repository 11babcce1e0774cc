package cox.web;

import cox.store.ColumnType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numeric columns (INT and FLOAT) of one table of one run, as doubles, read at {@code stamp}.
 * What the charts draw and the summaries are computed from. Immutable once built (the arrays are
 * never written after construction).
 */
final class TableColumns {
    private final RunStamp stamp;
    private final int rows;
    private final Map<String, double[]> columns;

    TableColumns(RunStamp stamp, int rows, LinkedHashMap<String, double[]> columns) {
        this.stamp = stamp;
        this.rows = rows;
        this.columns = Collections.unmodifiableMap(columns);
    }

    RunStamp stamp() {
        return stamp;
    }

    int rows() {
        return rows;
    }

    /** @return numeric column name to values, in schema order */
    Map<String, double[]> columns() {
        return columns;
    }

    /** @return the values of {@code name}; the row index (0, 1, ...) for {@link CurveArithmetic#ROW_INDEX}; null if absent */
    double[] column(String name) {
        if (CurveArithmetic.ROW_INDEX.equals(name)) {
            double[] index = new double[rows];
            for (int i = 0; i < rows; i++) {
                index[i] = i;
            }
            return index;
        }
        return columns.get(name);
    }

    long bytes() {
        return 64L + (long) columns.size() * (rows * 8L + 48);
    }

    static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INT || type == ColumnType.FLOAT;
    }
}
