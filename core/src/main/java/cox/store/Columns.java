package cox.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * A table's rows held by column, in schema order: what a reader or writer reads from
 * {@code store.h5} and the journal, and what {@link Table#df()} makes a data frame of. Immutable.
 */
final class Columns {
    private final Schema schema;
    private final List<Column> columns;
    private final int rows;

    private Columns(Schema schema, List<Column> columns, int rows) {
        this.schema = schema;
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    /** No rows. */
    static Columns empty(Schema schema) {
        List<Column> columns = new ArrayList<>(schema.size());
        for (ColumnType t : schema.values()) {
            columns.add(Column.of(t, 0));
        }
        return new Columns(schema, columns, 0);
    }

    /**
     * The columns of {@code rows} rows read from {@code store.h5}, one array per column as the
     * HDF5 layer returns them.
     *
     * @throws IllegalArgumentException if the arrays do not match the schema (a bug)
     */
    static Columns ofArrays(Schema schema, Object[] arrays, int rows) {
        if (arrays.length != schema.size()) {
            throw new IllegalArgumentException(arrays.length + " column arrays for schema " + schema);
        }
        List<Column> columns = new ArrayList<>(arrays.length);
        for (Object a : arrays) {
            Column c = Column.ofArray(a);
            if (c.size() != rows) {
                throw new IllegalArgumentException("a column of " + c.size() + " cells in a table of " + rows + " rows");
            }
            columns.add(c);
        }
        return new Columns(schema, columns, rows);
    }

    /** The number of rows. */
    int rows() {
        return rows;
    }

    /** Row {@code r} as boxed cells, in schema order. */
    Object[] row(int r) {
        Object[] cells = new Object[columns.size()];
        for (int c = 0; c < cells.length; c++) {
            cells[c] = columns.get(c).get(r);
        }
        return cells;
    }

    /**
     * {@code digest} with these rows mixed in, as {@link RowDigest} defines it: a block of rows at
     * a time, each column's cells reduced to 64 bits and added to the rows' sums in one tight loop
     * per column, then the sums mixed in row by row.
     */
    long digest(long digest) {
        final int block = 128; // small: no large scratch arrays per table read
        long[] bits = new long[Math.min(block, Math.max(rows, 1))];
        long[] sums = new long[bits.length];
        long h = digest;
        for (int first = 0; first < rows; first += block) {
            int m = Math.min(block, rows - first);
            Arrays.fill(sums, 0, m, 0L);
            for (int c = 0; c < columns.size(); c++) {
                columns.get(c).bits(first, m, bits);
                long w = RowDigest.weight(c);
                for (int r = 0; r < m; r++) {
                    sums[r] += bits[r] * w;
                }
            }
            for (int r = 0; r < m; r++) {
                h = RowDigest.mix(h, sums[r]);
            }
        }
        return h;
    }

    /** These rows followed by {@code tail} (boxed cells in schema order). */
    Columns append(List<Object[]> tail) {
        if (tail.isEmpty()) {
            return this;
        }
        List<Column> out = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            out.add(columns.get(c).append(tail, c));
        }
        return new Columns(schema, out, rows + tail.size());
    }

    /** The data frame: Long, Double, Boolean and String columns named and ordered as the schema. */
    DataFrame toDataFrame() {
        Series<?>[] series = new Series<?>[columns.size()];
        for (int c = 0; c < series.length; c++) {
            series[c] = columns.get(c).toSeries();
        }
        return DataFrame.byColumn(schema.keySet().toArray(new String[0])).of(series);
    }
}
