package cox.store;

import java.util.Arrays;
import java.util.List;
import org.dflib.Series;

/**
 * The cells of one column of a table, held in an array of the column's storage type: what
 * {@code store.h5} is read into and a data frame is made of. Each kind holds exactly its array;
 * the array belongs to the column (not copied, not to be changed).
 */
sealed interface Column permits Column.Longs, Column.Doubles, Column.Bools, Column.Texts {
    /** The column for {@code rows} cells of {@code type}, all zero, false or null. */
    static Column of(ColumnType type, int rows) {
        return switch (type) {
            case INT -> new Longs(new long[rows]);
            case FLOAT -> new Doubles(new double[rows]);
            case BOOL -> new Bools(new boolean[rows]);
            case STR, OBJECT, PICKLE, PYTORCH_STATE -> new Texts(new String[rows]);
        };
    }

    /**
     * The column of an array as the HDF5 layer reads it.
     *
     * @throws IllegalArgumentException if it is not a long[], double[], boolean[] or String[]
     */
    static Column ofArray(Object array) {
        if (array instanceof long[] a) {
            return new Longs(a);
        }
        if (array instanceof double[] a) {
            return new Doubles(a);
        }
        if (array instanceof boolean[] a) {
            return new Bools(a);
        }
        if (array instanceof String[] a) {
            return new Texts(a);
        }
        throw new IllegalArgumentException("not a column array: " + (array == null ? "null" : array.getClass()));
    }

    /** The number of cells. */
    int size();

    /** Cell {@code r}, boxed: {@code Long}, {@code Double}, {@code Boolean} or {@code String}. */
    Object get(int r);

    /** Cell {@code r} reduced to 64 bits for {@link RowDigest}. */
    long bits(int r);

    /** Cells {@code first} to {@code first + n} reduced to 64 bits for {@link RowDigest}, into {@code out}. */
    default void bits(int first, int n, long[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = bits(first + i);
        }
    }

    /** This column followed by cell {@code index} of each of {@code rows} (boxed cells of the same type). */
    Column append(List<Object[]> rows, int index);

    /** The column as a DFLib series. */
    Series<?> toSeries();

    /** INT cells. */
    record Longs(long[] cells) implements Column {
        @Override
        public int size() {
            return cells.length;
        }

        @Override
        public Object get(int r) {
            return cells[r];
        }

        @Override
        public long bits(int r) {
            return cells[r];
        }

        @Override
        public void bits(int first, int n, long[] out) {
            System.arraycopy(cells, first, out, 0, n);
        }

        @Override
        public Column append(List<Object[]> rows, int index) {
            long[] b = Arrays.copyOf(cells, cells.length + rows.size());
            for (int r = 0; r < rows.size(); r++) {
                b[cells.length + r] = (Long) rows.get(r)[index];
            }
            return new Longs(b);
        }

        @Override
        public Series<?> toSeries() {
            return Series.ofLong(cells);
        }
    }

    /** FLOAT cells. */
    record Doubles(double[] cells) implements Column {
        @Override
        public int size() {
            return cells.length;
        }

        @Override
        public Object get(int r) {
            return cells[r];
        }

        @Override
        public long bits(int r) {
            return Double.doubleToRawLongBits(cells[r]);
        }

        @Override
        public void bits(int first, int n, long[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = Double.doubleToRawLongBits(cells[first + i]);
            }
        }

        @Override
        public Column append(List<Object[]> rows, int index) {
            double[] b = Arrays.copyOf(cells, cells.length + rows.size());
            for (int r = 0; r < rows.size(); r++) {
                b[cells.length + r] = (Double) rows.get(r)[index];
            }
            return new Doubles(b);
        }

        @Override
        public Series<?> toSeries() {
            return Series.ofDouble(cells);
        }
    }

    /** BOOL cells. */
    record Bools(boolean[] cells) implements Column {
        @Override
        public int size() {
            return cells.length;
        }

        @Override
        public Object get(int r) {
            return cells[r];
        }

        @Override
        public long bits(int r) {
            return cells[r] ? 1 : 0;
        }

        @Override
        public void bits(int first, int n, long[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = cells[first + i] ? 1 : 0;
            }
        }

        @Override
        public Column append(List<Object[]> rows, int index) {
            boolean[] b = Arrays.copyOf(cells, cells.length + rows.size());
            for (int r = 0; r < rows.size(); r++) {
                b[cells.length + r] = (Boolean) rows.get(r)[index];
            }
            return new Bools(b);
        }

        @Override
        public Series<?> toSeries() {
            return Series.ofBool(cells);
        }
    }

    /** STR cells and the text of OBJECT, PICKLE and PYTORCH_STATE cells. */
    record Texts(String[] cells) implements Column {
        @Override
        public int size() {
            return cells.length;
        }

        @Override
        public Object get(int r) {
            return cells[r];
        }

        @Override
        public long bits(int r) {
            return RowDigest.text(cells[r]);
        }

        @Override
        public void bits(int first, int n, long[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = RowDigest.text(cells[first + i]);
            }
        }

        @Override
        public Column append(List<Object[]> rows, int index) {
            String[] b = Arrays.copyOf(cells, cells.length + rows.size());
            for (int r = 0; r < rows.size(); r++) {
                b[cells.length + r] = (String) rows.get(r)[index];
            }
            return new Texts(b);
        }

        @Override
        public Series<?> toSeries() {
            return Series.of(cells);
        }
    }
}
