package cox.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One table of one run in brief: its columns, its row count, per numeric column (INT or FLOAT)
 * the sum and count of its numbers, its least and greatest number (as the cells hold them) and the
 * rows holding them, and some whole rows: always the first and the last, and rows holding a
 * numeric column's least or greatest number while at most {@value #KEPT_ROWS_LIMIT} distinct rows
 * are kept (columns in schema order, each column's least row before its greatest; each row once),
 * so that the summary's size grows with the number of columns, not with its square. From these,
 * {@code cox df --last}, {@code --summary} and {@code --group-by} answer exactly as from all rows
 * (the first and last values are cells of kept rows, the least and greatest are kept, the mean is
 * sum / count); {@code --best COL} answers from them when the row holding {@code COL}'s best number
 * is kept ({@link #keeps}), and reads the run's store otherwise.
 *
 * <p>Numbers are taken as Python cox's readers and {@code cox.readers.summary.RunSummaries} take
 * them: an INT cell as the double it converts to, NaN skipped; the least (greatest) is the first
 * row whose number no earlier number is below (above), and the sum adds the numbers in row order.
 * Rows are kept only when the table has no OBJECT, PICKLE or PYTORCH_STATE column and no kept text
 * is longer than {@value #KEPT_TEXT_LIMIT} characters ({@link #rowsKept()}); the statistics are
 * kept always. Python cox has nothing like it. Immutable.
 */
public final class TableSummary {
    /** The longest text cell of a kept row: a table with longer text keeps no rows. */
    public static final int KEPT_TEXT_LIMIT = 1024;
    /**
     * The most rows a summary keeps: the first and the last, then the rows of the columns' least and
     * greatest numbers that fit. A summary is then at most this many rows of cells, whatever the
     * number of columns.
     */
    public static final int KEPT_ROWS_LIMIT = 16;

    private final String name;
    private final Schema schema;
    private final long rows;
    private final double[] sums;
    private final long[] counts;
    private final long[] minRows;
    private final long[] maxRows;
    private final double[] minValues;
    private final double[] maxValues;
    /** Of an INT column, its least and greatest number exactly (a double may not hold a long); else unused. */
    private final long[] minInts;
    private final long[] maxInts;
    private final long[] keptRowIndexes;
    private final Object[][] keptRows;

    TableSummary(String name, Schema schema, long rows, double[] sums, long[] counts, long[] minRows, long[] maxRows,
            double[] minValues, double[] maxValues, long[] keptRowIndexes, Object[][] keptRows) {
        this(name, schema, rows, sums, counts, minRows, maxRows, minValues, maxValues, ints(minValues), ints(maxValues),
                keptRowIndexes, keptRows);
    }

    TableSummary(String name, Schema schema, long rows, double[] sums, long[] counts, long[] minRows, long[] maxRows,
            double[] minValues, double[] maxValues, long[] minInts, long[] maxInts, long[] keptRowIndexes,
            Object[][] keptRows) {
        this.name = Objects.requireNonNull(name, "name");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.rows = rows;
        this.sums = sums;
        this.counts = counts;
        this.minRows = minRows;
        this.maxRows = maxRows;
        this.minValues = minValues;
        this.maxValues = maxValues;
        this.minInts = minInts;
        this.maxInts = maxInts;
        this.keptRowIndexes = keptRowIndexes;
        this.keptRows = keptRows;
    }

    /**
     * Summarizes table {@code table} of an open store from its rows (as {@link RunSummary#of}
     * does), keeping every row a per-run answer may need, however many: the first, the last, and
     * the rows of each numeric column's least and greatest number. What a reader answers from for
     * a run whose summary did not keep a row it needs.
     *
     * @param store a store, in any mode
     * @param table one of its tables
     * @return the table's summary
     * @throws IllegalArgumentException if the store has no table {@code table}
     * @throws cox.exceptions.CoxException if the table cannot be read
     */
    public static TableSummary withEveryExtremeRow(Store store, String table) {
        Objects.requireNonNull(store, "store");
        Table t = store.table(table);
        Columns columns = store.readColumns(t);
        Builder b = new Builder(table, t.schema(), Integer.MAX_VALUE);
        for (int r = 0; r < columns.rows(); r++) {
            b.add(columns.row(r));
        }
        return b.build();
    }

    /** @return the table's name */
    public String name() {
        return name;
    }

    /** @return its columns, as the store holds them */
    public Schema schema() {
        return schema;
    }

    /** @return its row count: what {@code Table.nrows()} returns */
    public long rows() {
        return rows;
    }

    /**
     * @param column a column of the table
     * @return whether it is INT or FLOAT: a column with statistics
     */
    public boolean isNumeric(String column) {
        return numeric(schema.type(column));
    }

    /**
     * @param column a numeric column of the table
     * @return the sum of its numbers in row order (NaN skipped); 0 if none
     * @throws IllegalArgumentException if the table has no numeric column {@code column} (so for each method here)
     */
    public double sum(String column) {
        return sums[numericIndex(column)];
    }

    /**
     * @param column a column of the table, or a name it does not have
     * @return the mean of its numbers ({@link #sum} / {@link #count}); NaN if it holds none, is not
     *     numeric or is not a column of the table
     */
    public double mean(String column) {
        if (!schema.containsKey(column) || !isNumeric(column)) {
            return Double.NaN;
        }
        long count = count(column);
        return count == 0 ? Double.NaN : sum(column) / count;
    }

    /**
     * @param column a numeric column of the table
     * @return how many numbers (not NaN) it holds
     */
    public long count(String column) {
        return counts[numericIndex(column)];
    }

    /**
     * @param column a numeric column of the table
     * @return the first row holding its least number, or -1 if it holds none
     */
    public long minRow(String column) {
        return minRows[numericIndex(column)];
    }

    /**
     * @param column a numeric column of the table
     * @return the first row holding its greatest number, or -1 if it holds none
     */
    public long maxRow(String column) {
        return maxRows[numericIndex(column)];
    }

    /**
     * @param column a numeric column of the table
     * @return its least number, as a double; NaN if it holds none
     */
    public double min(String column) {
        int k = numericIndex(column);
        return minRows[k] < 0 ? Double.NaN : minValues[k];
    }

    /**
     * @param column a numeric column of the table
     * @return its greatest number, as a double; NaN if it holds none
     */
    public double max(String column) {
        int k = numericIndex(column);
        return maxRows[k] < 0 ? Double.NaN : maxValues[k];
    }

    /**
     * @param column a numeric column of the table
     * @return its least number as its cell holds it: a {@code Long} (INT) or {@code Double} (FLOAT);
     *     null if it holds none
     */
    public Object minCell(String column) {
        int k = numericIndex(column);
        return minRows[k] < 0 ? null : cell(k, minValues[k], minInts[k]);
    }

    /**
     * @param column a numeric column of the table
     * @return its greatest number as its cell holds it: a {@code Long} (INT) or {@code Double}
     *     (FLOAT); null if it holds none
     */
    public Object maxCell(String column) {
        int k = numericIndex(column);
        return maxRows[k] < 0 ? null : cell(k, maxValues[k], maxInts[k]);
    }

    private Object cell(int numeric, double value, long exact) {
        int c = 0;
        int k = 0;
        for (ColumnType t : schema.values()) {
            if (numeric(t) && k++ == numeric) {
                return t == ColumnType.INT ? (Object) exact : (Object) value;
            }
            c++;
        }
        throw new IllegalStateException("no numeric column " + numeric + " of " + c);
    }

    /**
     * @param row a row index
     * @return whether the summary keeps that row ({@link #keptRows()})
     */
    public boolean keeps(long row) {
        return keptRows != null && Arrays.binarySearch(keptRowIndexes, row) >= 0;
    }

    /** @return whether {@link #keptRowIndexes()} and {@link #keptRows()} hold the rows described above */
    public boolean rowsKept() {
        return keptRows != null;
    }

    /** @return the indexes of the kept rows, ascending; empty if none are kept */
    public long[] keptRowIndexes() {
        return keptRows == null ? new long[0] : keptRowIndexes.clone();
    }

    /**
     * @return the kept rows, in the order of {@link #keptRowIndexes()}, each as the store reads it:
     *     cells in schema order, {@code Long}, {@code Double}, {@code Boolean} or {@code String}
     */
    public List<Object[]> keptRows() {
        if (keptRows == null) {
            return List.of();
        }
        List<Object[]> out = new ArrayList<>(keptRows.length);
        for (Object[] r : keptRows) {
            out.add(r.clone());
        }
        return out;
    }

    int keptCount() {
        return keptRows == null ? -1 : keptRows.length;
    }

    long keptIndex(int i) {
        return keptRowIndexes[i];
    }

    Object[] keptRow(int i) {
        return keptRows[i];
    }

    double sumAt(int numeric) {
        return sums[numeric];
    }

    long countAt(int numeric) {
        return counts[numeric];
    }

    long minRowAt(int numeric) {
        return minRows[numeric];
    }

    long maxRowAt(int numeric) {
        return maxRows[numeric];
    }

    double minValueAt(int numeric) {
        return minValues[numeric];
    }

    double maxValueAt(int numeric) {
        return maxValues[numeric];
    }

    long minIntAt(int numeric) {
        return minInts[numeric];
    }

    long maxIntAt(int numeric) {
        return maxInts[numeric];
    }

    /** The exact longs of numbers that are whole: what an INT column's least or greatest number is. */
    private static long[] ints(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }

    private int numericIndex(String column) {
        int at = schema.indexOf(column);
        if (at < 0 || !numeric(schema.type(column))) {
            throw new IllegalArgumentException("table '" + name + "' has no numeric column '" + column + "': its columns are "
                    + schema);
        }
        int k = 0;
        int c = 0;
        for (ColumnType t : schema.values()) {
            if (c++ == at) {
                return k;
            }
            if (numeric(t)) {
                k++;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    static boolean numeric(ColumnType t) {
        return t == ColumnType.INT || t == ColumnType.FLOAT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSummary t && name.equals(t.name) && schema.equals(t.schema) && rows == t.rows
                && Arrays.equals(doubleBits(sums), doubleBits(t.sums)) && Arrays.equals(counts, t.counts)
                && Arrays.equals(minRows, t.minRows) && Arrays.equals(maxRows, t.maxRows)
                && Arrays.equals(doubleBits(minValues), doubleBits(t.minValues))
                && Arrays.equals(doubleBits(maxValues), doubleBits(t.maxValues)) && sameInts(t)
                && Arrays.equals(keptRowIndexes, t.keptRowIndexes) && sameRows(keptRows, t.keptRows);
    }

    /** Whether the INT columns' exact least and greatest numbers are the same (the other entries are unused). */
    private boolean sameInts(TableSummary t) {
        int k = 0;
        for (ColumnType type : schema.values()) {
            if (!numeric(type)) {
                continue;
            }
            if (type == ColumnType.INT && minRows[k] >= 0 && (minInts[k] != t.minInts[k] || maxInts[k] != t.maxInts[k])) {
                return false;
            }
            k++;
        }
        return true;
    }

    private static long[] doubleBits(double[] d) {
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Double.doubleToRawLongBits(d[i]);
        }
        return out;
    }

    private static boolean sameRows(Object[][] a, Object[][] b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                Object x = a[i][c];
                Object y = b[i][c];
                if (x instanceof Double dx && y instanceof Double dy) {
                    if (Double.doubleToRawLongBits(dx) != Double.doubleToRawLongBits(dy)) {
                        return false;
                    }
                } else if (!Objects.equals(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, schema, rows);
    }

    @Override
    public String toString() {
        return "TableSummary " + name + " (" + rows + " rows, " + (keptRows == null ? "no" : keptRows.length)
                + " kept)";
    }

    /**
     * Builds a summary row by row: what a writer does as it applies rows to {@code store.h5}, and
     * what a reader does over a table it read. Not thread-safe.
     */
    static final class Builder {
        private final String name;
        private final Schema schema;
        private final ColumnType[] types;
        /** Schema index of each numeric column. */
        private final int[] numericColumns;
        private final int keptRowsLimit;
        private long rows;
        private final double[] sums;
        private final long[] counts;
        private final long[] minRows;
        private final long[] maxRows;
        private final double[] minValues;
        private final double[] maxValues;
        private final long[] minInts;
        private final long[] maxInts;
        private boolean keep;
        private Object[] first;
        private Object[] last;
        /** The row of each column's least (greatest) number, or null if unknown (a summary gone on from did not keep it). */
        private final Object[][] minCells;
        private final Object[][] maxCells;

        Builder(String name, Schema schema) {
            this(name, schema, KEPT_ROWS_LIMIT);
        }

        /**
         * @param keptRowsLimit the most rows to keep ({@link Integer#MAX_VALUE}: every row a
         *     per-run answer may need)
         */
        Builder(String name, Schema schema, int keptRowsLimit) {
            this.name = name;
            this.schema = schema;
            this.keptRowsLimit = keptRowsLimit;
            this.types = schema.values().toArray(new ColumnType[0]);
            int k = 0;
            boolean keepable = true;
            for (ColumnType t : types) {
                if (numeric(t)) {
                    k++;
                } else if (t != ColumnType.STR && t != ColumnType.BOOL) {
                    keepable = false;
                }
            }
            numericColumns = new int[k];
            k = 0;
            for (int c = 0; c < types.length; c++) {
                if (numeric(types[c])) {
                    numericColumns[k++] = c;
                }
            }
            sums = new double[k];
            counts = new long[k];
            minRows = new long[k];
            maxRows = new long[k];
            Arrays.fill(minRows, -1);
            Arrays.fill(maxRows, -1);
            minValues = new double[k];
            maxValues = new double[k];
            minInts = new long[k];
            maxInts = new long[k];
            minCells = new Object[k][];
            maxCells = new Object[k][];
            keep = keepable;
        }

        /**
         * A builder that goes on from {@code s}: rows added next follow its rows. If {@code s}
         * kept no rows, neither does the builder; a row of a least or greatest number {@code s}
         * did not keep is not kept until a later row takes its place.
         */
        static Builder after(TableSummary s) {
            Builder b = new Builder(s.name, s.schema);
            b.keep = b.keep && s.rowsKept();
            b.rows = s.rows;
            for (int k = 0; k < b.numericColumns.length; k++) {
                b.sums[k] = s.sums[k];
                b.counts[k] = s.counts[k];
                b.minRows[k] = s.minRows[k];
                b.maxRows[k] = s.maxRows[k];
                b.minValues[k] = s.minValues[k];
                b.maxValues[k] = s.maxValues[k];
                b.minInts[k] = s.minInts[k];
                b.maxInts[k] = s.maxInts[k];
                if (b.keep && s.minRows[k] >= 0) {
                    b.minCells[k] = s.keptRowOrNull(s.minRows[k]);
                    b.maxCells[k] = s.keptRowOrNull(s.maxRows[k]);
                }
            }
            if (b.keep && s.rows > 0) {
                b.first = s.keptRowAt(0);
                b.last = s.keptRowAt(s.rows - 1);
            }
            return b;
        }

        /** Adds the next row: cells in schema order, as {@link #keptRows()} describes them. The builder keeps {@code cells}. */
        void add(Object[] cells) {
            long r = rows++;
            if (keep) {
                for (int c = 0; c < cells.length; c++) {
                    if (cells[c] instanceof String s && s.length() > KEPT_TEXT_LIMIT) {
                        keep = false;
                        break;
                    }
                }
            }
            if (r == 0) {
                first = cells;
            }
            last = cells;
            for (int k = 0; k < numericColumns.length; k++) {
                double v = number(cells, k);
                if (Double.isNaN(v)) {
                    continue;
                }
                sums[k] += v;
                counts[k]++;
                if (minRows[k] < 0 || v < minValues[k]) {
                    minRows[k] = r;
                    minValues[k] = v;
                    minInts[k] = exact(cells, k);
                    minCells[k] = cells;
                }
                if (maxRows[k] < 0 || v > maxValues[k]) {
                    maxRows[k] = r;
                    maxValues[k] = v;
                    maxInts[k] = exact(cells, k);
                    maxCells[k] = cells;
                }
            }
        }

        private double number(Object[] cells, int k) {
            Object v = cells[numericColumns[k]];
            if (v instanceof Double d) {
                return d;
            }
            if (v instanceof Long l) {
                return l;
            }
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        private long exact(Object[] cells, int k) {
            return cells[numericColumns[k]] instanceof Long l ? l : 0L;
        }

        /** @return the rows added so far */
        long rows() {
            return rows;
        }

        TableSummary build() {
            long[] kept = null;
            Object[][] keptCells = null;
            if (keep) {
                // the first and the last, then each column's least and greatest while they fit
                long[] at = new long[Math.min(keptRowsLimit, 2 + 2 * numericColumns.length)];
                Object[][] cells = new Object[at.length][];
                int n = 0;
                if (rows > 0) {
                    at[n] = 0;
                    cells[n++] = first;
                    if (rows > 1) {
                        at[n] = rows - 1;
                        cells[n++] = last;
                    }
                }
                for (int k = 0; k < numericColumns.length && n < at.length; k++) {
                    for (int m = 0; m < 2 && n < at.length; m++) {
                        long row = m == 0 ? minRows[k] : maxRows[k];
                        Object[] c = m == 0 ? minCells[k] : maxCells[k];
                        if (row >= 0 && c != null && indexOf(at, n, row) < 0) {
                            at[n] = row;
                            cells[n++] = c;
                        }
                    }
                }
                kept = Arrays.copyOf(at, n);
                Arrays.sort(kept);
                keptCells = new Object[n][];
                for (int i = 0; i < n; i++) {
                    keptCells[Arrays.binarySearch(kept, at[i])] = cells[i].clone();
                }
            }
            return new TableSummary(name, schema, rows, sums.clone(), counts.clone(), minRows.clone(), maxRows.clone(),
                    minValues.clone(), maxValues.clone(), minInts.clone(), maxInts.clone(),
                    kept == null ? new long[0] : kept, keptCells);
        }

        private static int indexOf(long[] a, int n, long v) {
            for (int i = 0; i < n; i++) {
                if (a[i] == v) {
                    return i;
                }
            }
            return -1;
        }
    }

    private Object[] keptRowOrNull(long row) {
        int i = Arrays.binarySearch(keptRowIndexes, row);
        return i < 0 ? null : keptRows[i];
    }

    private Object[] keptRowAt(long row) {
        int i = Arrays.binarySearch(keptRowIndexes, row);
        if (i < 0) {
            throw new IllegalStateException("row " + row + " of table '" + name + "' is not kept");
        }
        return keptRows[i];
    }
}
