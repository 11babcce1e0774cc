package cox.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of a {@link RunSummary}: what {@code .cox.summary} and the run index's cache file
 * hold. Compact (variable-length integers), little-endian doubles as raw bits (NaN payloads and
 * -0.0 kept), UTF-8 text. Decoding checks every length against the bytes left and every code, so
 * any damage is a {@link Malformed}, never a huge allocation or a wrong value.
 *
 * <pre>
 * summary := varint tables, table*
 * table   := text name, varint columns, (text column, u8 journal type code)*, varlong rows,
 *            per numeric column: f64 sum, varlong count, and if count &gt; 0: varlong minRow,
 *            varlong maxRow, cell min, cell max (of the column's type);
 *            u8 kept (0 or 1), if 1: varint k, (varlong index delta, cell*)*
 * cell    := INT: zigzag varlong | FLOAT: f64 | BOOL: u8 | STR: varint (length + 1, 0 for null), UTF-8
 * </pre>
 *
 * <p>The kept rows are the first, the last and rows of least and greatest numbers
 * ({@link TableSummary}); which of the latter is up to the writer. This is the second version of
 * the bytes (the first kept every least and greatest row and wrote min and max as f64): the files
 * holding them are told apart by their magic ({@link RunSummary}, the run index), so that bytes
 * of the first are never read as the second.
 */
final class SummaryCodec {
    private SummaryCodec() {
    }

    /** Bytes that do not decode as a summary; the message says where and why. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static byte[] encode(RunSummary s) {
        Out out = new Out();
        out.varlong(s.tables().size());
        for (TableSummary t : s.tables().values()) {
            out.text(t.name());
            out.varlong(t.schema().size());
            for (Map.Entry<String, ColumnType> e : t.schema().entrySet()) {
                out.text(e.getKey());
                out.bytes.write(e.getValue().journalCode());
            }
            out.varlong(t.rows());
            int k = 0;
            for (ColumnType type : t.schema().values()) {
                if (!TableSummary.numeric(type)) {
                    continue;
                }
                out.f64(t.sumAt(k));
                out.varlong(t.countAt(k));
                if (t.countAt(k) > 0) {
                    out.varlong(t.minRowAt(k));
                    out.varlong(t.maxRowAt(k));
                    if (type == ColumnType.INT) {
                        out.cell(type, t.minIntAt(k));
                        out.cell(type, t.maxIntAt(k));
                    } else {
                        out.f64(t.minValueAt(k));
                        out.f64(t.maxValueAt(k));
                    }
                }
                k++;
            }
            int kept = t.keptCount();
            out.bytes.write(kept < 0 ? 0 : 1);
            if (kept >= 0) {
                out.varlong(kept);
                ColumnType[] types = t.schema().values().toArray(new ColumnType[0]);
                long previous = 0;
                for (int i = 0; i < kept; i++) {
                    out.varlong(t.keptIndex(i) - previous);
                    previous = t.keptIndex(i);
                    Object[] row = t.keptRow(i);
                    for (int c = 0; c < types.length; c++) {
                        out.cell(types[c], row[c]);
                    }
                }
            }
        }
        return out.bytes.toByteArray();
    }

    static RunSummary decode(byte[] bytes) throws Malformed {
        In in = new In(bytes);
        int n = in.count("tables");
        Map<String, TableSummary> tables = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            TableSummary t = table(in);
            if (tables.put(t.name(), t) != null) {
                throw new Malformed("table '" + t.name() + "' is listed twice");
            }
        }
        if (in.buf.hasRemaining()) {
            throw new Malformed(in.buf.remaining() + " bytes follow the last table");
        }
        return new RunSummary(tables);
    }

    private static TableSummary table(In in) throws Malformed {
        String name = in.name("a table");
        int columns = in.count("columns of table '" + name + "'");
        Schema.Builder schema = Schema.builder();
        ColumnType[] types = new ColumnType[columns];
        int numeric = 0;
        for (int c = 0; c < columns; c++) {
            String column = in.name("a column of table '" + name + "'");
            int code = in.u8();
            ColumnType type = ColumnType.ofJournalCode(code);
            if (type == null) {
                throw new Malformed("column '" + column + "' of table '" + name + "' has type code " + code);
            }
            try {
                schema.add(column, type);
            } catch (IllegalArgumentException e) {
                throw new Malformed("table '" + name + "': " + e.getMessage());
            }
            types[c] = type;
            numeric += TableSummary.numeric(type) ? 1 : 0;
        }
        long rows = in.varlong();
        if (rows < 0) {
            throw new Malformed("table '" + name + "' has " + rows + " rows");
        }
        double[] sums = new double[numeric];
        long[] counts = new long[numeric];
        long[] minRows = new long[numeric];
        long[] maxRows = new long[numeric];
        double[] minValues = new double[numeric];
        double[] maxValues = new double[numeric];
        long[] minInts = new long[numeric];
        long[] maxInts = new long[numeric];
        ColumnType[] numericTypes = new ColumnType[numeric];
        for (int c = 0, k = 0; c < columns; c++) {
            if (TableSummary.numeric(types[c])) {
                numericTypes[k++] = types[c];
            }
        }
        for (int k = 0; k < numeric; k++) {
            sums[k] = in.f64();
            counts[k] = in.varlong();
            if (counts[k] > rows) {
                throw new Malformed("table '" + name + "': " + counts[k] + " numbers in " + rows + " rows");
            }
            minRows[k] = -1;
            maxRows[k] = -1;
            if (counts[k] > 0) {
                minRows[k] = in.row(rows);
                maxRows[k] = in.row(rows);
                if (numericTypes[k] == ColumnType.INT) {
                    minInts[k] = (Long) in.cell(ColumnType.INT);
                    maxInts[k] = (Long) in.cell(ColumnType.INT);
                    minValues[k] = minInts[k];
                    maxValues[k] = maxInts[k];
                } else {
                    minValues[k] = in.f64();
                    maxValues[k] = in.f64();
                }
                if (!(minValues[k] <= maxValues[k]) || minInts[k] > maxInts[k]) {
                    throw new Malformed("table '" + name + "': least number " + minValues[k] + " and greatest "
                            + maxValues[k] + " of a column");
                }
            }
        }
        int keptFlag = in.u8();
        long[] kept = new long[0];
        Object[][] keptRows = null;
        if (keptFlag == 1) {
            int k = in.count("kept rows of table '" + name + "'");
            kept = new long[k];
            keptRows = new Object[k][];
            long previous = 0;
            for (int i = 0; i < k; i++) {
                long delta = in.varlong();
                kept[i] = previous + delta;
                if ((i > 0 && delta == 0) || kept[i] >= rows || kept[i] < previous) {
                    throw new Malformed("table '" + name + "': kept row " + kept[i] + " out of order or past its " + rows + " rows");
                }
                previous = kept[i];
                Object[] row = new Object[columns];
                for (int c = 0; c < columns; c++) {
                    row[c] = in.cell(types[c]);
                }
                keptRows[i] = row;
            }
        } else if (keptFlag != 0) {
            throw new Malformed("table '" + name + "': kept flag " + keptFlag);
        }
        if (keptRows != null) {
            checkKept(name, types, rows, counts, minRows, maxRows, minValues, maxValues, minInts, maxInts, kept, keptRows);
        }
        return new TableSummary(name, schema.build(), rows, sums, counts, minRows, maxRows, minValues, maxValues, minInts,
                maxInts, kept, keptRows);
    }

    /**
     * Checks that the kept rows are the first, the last, and only rows holding a numeric column's
     * least or greatest number, and that a kept row of a least or greatest number holds it: what
     * answers from a summary take as given ({@code Builder.after}, the reader's first and last
     * rows, the best row of a run).
     */
    private static void checkKept(String name, ColumnType[] types, long rows, long[] counts, long[] minRows,
            long[] maxRows, double[] minValues, double[] maxValues, long[] minInts, long[] maxInts, long[] kept,
            Object[][] keptRows) throws Malformed {
        boolean ends = rows == 0 ? kept.length == 0
                : kept.length > 0 && kept[0] == 0 && kept[kept.length - 1] == rows - 1;
        if (!ends) {
            throw new Malformed("table '" + name + "': kept rows " + java.util.Arrays.toString(kept) + " of " + rows
                    + " rows are not its first and last");
        }
        for (int i = 1; i < kept.length - 1; i++) {
            boolean extreme = false;
            for (int k = 0; k < counts.length && !extreme; k++) {
                extreme = counts[k] > 0 && (minRows[k] == kept[i] || maxRows[k] == kept[i]);
            }
            if (!extreme) {
                throw new Malformed("table '" + name + "': kept row " + kept[i] + " is neither its first, its last, nor"
                        + " a row of a least or greatest number");
            }
        }
        int k = 0;
        for (int c = 0; c < types.length; c++) {
            if (!TableSummary.numeric(types[c])) {
                continue;
            }
            if (counts[k] > 0) {
                checkHolds(name, types[c], kept, keptRows, c, minRows[k], minValues[k], minInts[k], "least");
                checkHolds(name, types[c], kept, keptRows, c, maxRows[k], maxValues[k], maxInts[k], "greatest");
            }
            k++;
        }
    }

    /** Checks that row {@code row}, if kept, holds in column {@code c} the number recorded. */
    private static void checkHolds(String name, ColumnType type, long[] kept, Object[][] keptRows, int c, long row,
            double value, long exact, String what) throws Malformed {
        int i = java.util.Arrays.binarySearch(kept, row);
        if (i < 0) {
            return;
        }
        Object cell = keptRows[i][c];
        boolean same = type == ColumnType.INT ? ((Long) cell) == exact
                : Double.doubleToRawLongBits(number(cell)) == Double.doubleToRawLongBits(value);
        if (!same) {
            throw new Malformed("table '" + name + "': row " + row + " holds " + cell + ", not the " + what + " number "
                    + (type == ColumnType.INT ? (Object) exact : (Object) value));
        }
    }

    /** A kept cell of a numeric column as a double, as {@link TableSummary.Builder} takes it. */
    private static double number(Object cell) {
        return cell instanceof Long l ? (double) l : (Double) cell;
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final byte[] eight = new byte[8];

        void varlong(long v) {
            while ((v & ~0x7FL) != 0) {
                bytes.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            bytes.write((int) v);
        }

        void f64(double d) {
            ByteBuffer.wrap(eight).order(ByteOrder.LITTLE_ENDIAN).putLong(Double.doubleToRawLongBits(d));
            bytes.write(eight, 0, 8);
        }

        void text(String s) {
            if (s == null) {
                varlong(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varlong(b.length + 1L);
            bytes.write(b, 0, b.length);
        }

        void cell(ColumnType type, Object v) {
            switch (type) {
                case INT -> {
                    long l = (Long) v;
                    varlong((l << 1) ^ (l >> 63));
                }
                case FLOAT -> f64((Double) v);
                case BOOL -> bytes.write(((Boolean) v) ? 1 : 0);
                default -> text((String) v);
            }
        }
    }

    private static final class In {
        final ByteBuffer buf;

        In(byte[] b) {
            buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }

        int u8() throws Malformed {
            need(1);
            return buf.get() & 0xFF;
        }

        long varlong() throws Malformed {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (shift == 63 && b > 1) {
                        break;
                    }
                    return v;
                }
            }
            throw new Malformed("a number at byte " + buf.position() + " is longer than 64 bits");
        }

        /** A count of things that each take at least one byte: at most the bytes left. */
        int count(String what) throws Malformed {
            long n = varlong();
            if (n < 0 || n > buf.remaining()) {
                throw new Malformed(n + " " + what + " in " + buf.remaining() + " bytes");
            }
            return (int) n;
        }

        long row(long rows) throws Malformed {
            long r = varlong();
            if (r < 0 || r >= rows) {
                throw new Malformed("row " + r + " of " + rows);
            }
            return r;
        }

        double f64() throws Malformed {
            need(8);
            return Double.longBitsToDouble(buf.getLong());
        }

        String text() throws Malformed {
            long n = varlong();
            if (n == 0) {
                return null;
            }
            if (n < 0 || n - 1 > buf.remaining()) {
                throw new Malformed("text of " + (n - 1) + " bytes in " + buf.remaining());
            }
            byte[] b = new byte[(int) (n - 1)];
            buf.get(b);
            if (ascii(b)) {
                return new String(b, StandardCharsets.US_ASCII); // the names and most text: no decoder to make
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new Malformed("text at byte " + buf.position() + " is not UTF-8");
            }
        }

        private static boolean ascii(byte[] b) {
            for (byte x : b) {
                if (x < 0) {
                    return false;
                }
            }
            return true;
        }

        String name(String what) throws Malformed {
            String s = text();
            if (s == null || s.isEmpty()) {
                throw new Malformed(what + " has no name");
            }
            return s;
        }

        Object cell(ColumnType type) throws Malformed {
            switch (type) {
                case INT: {
                    long z = varlong();
                    return (z >>> 1) ^ -(z & 1);
                }
                case FLOAT:
                    return f64();
                case BOOL: {
                    int b = u8();
                    if (b > 1) {
                        throw new Malformed("a BOOL cell of " + b);
                    }
                    return b == 1;
                }
                default:
                    return text();
            }
        }

        private void need(int n) throws Malformed {
            if (buf.remaining() < n) {
                throw new Malformed("ends early at byte " + buf.position());
            }
        }
    }
}
