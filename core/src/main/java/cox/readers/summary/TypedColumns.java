package cox.readers.summary;

import java.util.List;
import org.dflib.DataFrame;
import org.dflib.Index;
import org.dflib.Series;

/**
 * Builds data-frame columns from boxed cells with the primitive type they allow, so that small
 * result frames (one row per run) have the same column types as the reader's frames: INT cells as
 * a long series, FLOAT as a double series, BOOL as a boolean series, and an object series only
 * where cells are missing (null) or of mixed kinds. Stateless.
 */
public final class TypedColumns {
    private TypedColumns() {
    }

    /**
     * @param cells boxed cells (Long, Double, Boolean, anything else, or null)
     * @return a long, double or boolean series when every cell allows it, else an object series
     */
    public static Series<?> of(Object[] cells) {
        boolean allLong = true;
        boolean allNumber = true;
        boolean allBool = true;
        for (Object c : cells) {
            if (c == null) {
                return Series.of(cells);
            }
            allLong &= c instanceof Long;
            allNumber &= c instanceof Long || c instanceof Double;
            allBool &= c instanceof Boolean;
        }
        int n = cells.length;
        if (n == 0) {
            return Series.of(cells);
        }
        if (allLong) {
            long[] a = new long[n];
            for (int i = 0; i < n; i++) {
                a[i] = (Long) cells[i];
            }
            return Series.ofLong(a);
        }
        if (allNumber) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = ((Number) cells[i]).doubleValue();
            }
            return Series.ofDouble(a);
        }
        if (allBool) {
            boolean[] a = new boolean[n];
            for (int i = 0; i < n; i++) {
                a[i] = (Boolean) cells[i];
            }
            return Series.ofBool(a);
        }
        return Series.of(cells);
    }

    /**
     * @param names the column names
     * @param columns the columns, one per name, of one height
     * @return a frame of them
     */
    public static DataFrame frame(List<String> names, List<Series<?>> columns) {
        return DataFrame.byColumn(Index.of(names.toArray(new String[0]))).of(columns.toArray(new Series<?>[0]));
    }

    /**
     * @param s a column
     * @return whether it is a primitive number series, or every non-null cell is a number (Long,
     *     Double, ...) and at least one is
     */
    public static boolean isNumeric(Series<?> s) {
        if (s instanceof org.dflib.LongSeries || s instanceof org.dflib.DoubleSeries || s instanceof org.dflib.IntSeries
                || s instanceof org.dflib.FloatSeries) {
            return true;
        }
        boolean any = false;
        for (int i = 0, n = s.size(); i < n; i++) {
            Object v = s.get(i);
            if (v == null) {
                continue;
            }
            if (!(v instanceof Number) || v instanceof java.math.BigInteger) {
                return false;
            }
            any = true;
        }
        return any;
    }
}
