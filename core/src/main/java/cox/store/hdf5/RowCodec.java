package cox.store.hdf5;

import cox.store.hdf5.BlockLayout.Kind;
import cox.store.hdf5.BlockLayout.Member;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns rows of cells into the bytes of a table's rows and back, by its {@link BlockLayout}: cells
 * are {@code Long} (INT), {@code Double} (FLOAT), {@code Boolean} (BOOL) and {@code String} (text,
 * stored as NUL-padded UTF-8); columns come back as {@code long[]}, {@code double[]},
 * {@code boolean[]} and {@code String[]}. Stateless.
 */
final class RowCodec {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle DOUBLES =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private RowCodec() {
    }

    /** The longest UTF-8 length of any text cell of {@code rows} (0 if none). */
    static int widestText(List<Object[]> rows, List<FrameColumn> columns) {
        int w = 0;
        for (Object[] row : rows) {
            for (int c = 0; c < columns.size(); c++) {
                if (columns.get(c).kind() == ColumnKind.TEXT) {
                    w = Math.max(w, utf8Length((String) row[c]));
                }
            }
        }
        return w;
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) {
                bytes = s.getBytes(StandardCharsets.UTF_8).length;
                break;
            }
        }
        return bytes;
    }

    /** Encodes {@code row} (number {@code index}) into {@code out} at {@code base}. */
    static void encode(BlockLayout layout, ByteBuffer out, int base, long index, Object[] row) {
        out.putLong(base, index);
        for (int c = 0; c < row.length; c++) {
            int at = base + layout.columnOffset(c);
            switch (layout.columnKind(c)) {
                case INT64:
                    out.putLong(at, (Long) row[c]);
                    break;
                case FLOAT64:
                    out.putDouble(at, (Double) row[c]);
                    break;
                case BOOL:
                    out.put(at, (byte) (((Boolean) row[c]) ? 1 : 0));
                    break;
                case STRING: {
                    byte[] b = ((String) row[c]).getBytes(StandardCharsets.UTF_8);
                    int width = layout.columnWidth(c);
                    if (b.length > width) {
                        throw new IllegalStateException("text of " + b.length + " bytes in a " + width
                                + "-byte column");
                    }
                    out.put(at, b, 0, b.length);
                    for (int i = b.length; i < width; i++) {
                        out.put(at + i, (byte) 0);
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("cox4j does not write " + layout.columnKind(c) + " cells");
            }
        }
    }

    /**
     * Copies a row from {@code from}'s layout to {@code to}'s (the same members, string members
     * wider), zero-padding the widened cells.
     */
    static void widen(BlockLayout from, byte[] src, int srcBase, BlockLayout to, byte[] dst, int dstBase) {
        for (int m = 0; m < from.members.size(); m++) {
            Member a = from.members.get(m);
            Member b = to.members.get(m);
            if (a.elementSize == b.elementSize) {
                System.arraycopy(src, srcBase + a.offset, dst, dstBase + b.offset, a.size());
                continue;
            }
            for (int e = 0; e < a.count; e++) {
                int d = dstBase + b.offset + e * b.elementSize;
                System.arraycopy(src, srcBase + a.offset + e * a.elementSize, dst, d, a.elementSize);
                java.util.Arrays.fill(dst, d + a.elementSize, d + b.elementSize, (byte) 0);
            }
        }
    }

    /**
     * Decodes {@code count} rows of {@code bytes} (from offset 0) into one array per column.
     *
     * @param columns the table's columns, in order
     */
    static Object[] decode(BlockLayout layout, List<FrameColumn> columns, byte[] bytes, int count) {
        Object[] out = allocate(columns, count);
        decodeInto(layout, columns, bytes, count, out, 0);
        return out;
    }

    /** One array of {@code count} cells per column: long[], double[], boolean[] or String[]. */
    static Object[] allocate(List<FrameColumn> columns, int count) {
        Object[] out = new Object[columns.size()];
        for (int c = 0; c < out.length; c++) {
            switch (columns.get(c).kind()) {
                case INT:
                    out[c] = new long[count];
                    break;
                case FLOAT:
                    out[c] = new double[count];
                    break;
                case BOOL:
                    out[c] = new boolean[count];
                    break;
                default:
                    out[c] = new String[count];
            }
        }
        return out;
    }

    /** Decodes {@code count} rows of {@code bytes} into the arrays {@code out} from index {@code first}. */
    static void decodeInto(BlockLayout layout, List<FrameColumn> columns, byte[] bytes, int count, Object[] out,
            int first) {
        decodeInto(layout, columns, bytes, 0, count, out, first);
    }

    /**
     * Decodes {@code count} rows that lie in {@code bytes} from index {@code base} (a file read
     * whole) into the arrays {@code out} from index {@code first}.
     */
    static void decodeInto(BlockLayout layout, List<FrameColumn> columns, byte[] bytes, int base, int count,
            Object[] out, int first) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rowSize = layout.rowSize;
        java.util.Objects.checkFromIndexSize(base, Math.multiplyExact(count, rowSize), bytes.length);
        for (int c = 0; c < columns.size(); c++) {
            int off = base + layout.columnOffset(c);
            Kind kind = layout.columnKind(c);
            int width = layout.columnWidth(c);
            switch (columns.get(c).kind()) {
                case INT: {
                    long[] a = (long[]) out[c];
                    if (kind == Kind.INT64) {
                        for (int r = 0, at = off; r < count; r++, at += rowSize) {
                            a[first + r] = (long) LONGS.get(bytes, at);
                        }
                    } else {
                        for (int r = 0; r < count; r++) {
                            a[first + r] = integer(buf, r * rowSize + off, kind);
                        }
                    }
                    break;
                }
                case FLOAT: {
                    double[] a = (double[]) out[c];
                    if (kind == Kind.FLOAT64) {
                        for (int r = 0, at = off; r < count; r++, at += rowSize) {
                            a[first + r] = (double) DOUBLES.get(bytes, at);
                        }
                    } else {
                        for (int r = 0; r < count; r++) {
                            int at = r * rowSize + off;
                            a[first + r] = kind == Kind.FLOAT32 ? buf.getFloat(at) : (double) integer(buf, at, kind);
                        }
                    }
                    break;
                }
                case BOOL: {
                    boolean[] a = (boolean[]) out[c];
                    for (int r = 0; r < count; r++) {
                        a[first + r] = bytes[r * rowSize + off] != 0;
                    }
                    break;
                }
                default: {
                    String[] a = (String[]) out[c];
                    // text columns repeat values ("train", "validation"): the cell before, and a small
                    // cache of decoded cells, spare decoding (and keeping) the same string again
                    String[] cache = new String[64];
                    int[] cacheAt = new int[64];
                    for (int r = 0; r < count; r++) {
                        int at = r * rowSize + off;
                        int end = width;
                        while (end > 0 && bytes[at + end - 1] == 0) {
                            end--;
                        }
                        if (r > 0 && sameCell(bytes, at - rowSize, at, end, width)) {
                            a[first + r] = a[first + r - 1];
                            continue;
                        }
                        int h = 0;
                        for (int i = at; i < at + end; i++) {
                            h = 31 * h + bytes[i];
                        }
                        int slot = (h ^ (h >>> 7)) & 63;
                        String hit = cache[slot];
                        if (hit != null && sameCell(bytes, cacheAt[slot], at, end, width)) {
                            a[first + r] = hit;
                        } else {
                            a[first + r] = new String(bytes, at, end, StandardCharsets.UTF_8);
                            cache[slot] = a[first + r];
                            cacheAt[slot] = at;
                        }
                    }
                }
            }
        }
    }

    /** Whether the cell at {@code other} holds the {@code length} bytes at {@code at}, then only NULs. */
    private static boolean sameCell(byte[] b, int other, int at, int length, int width) {
        if (!java.util.Arrays.equals(b, other, other + length, b, at, at + length)) {
            return false;
        }
        return length == width || b[other + length] == 0;
    }

    private static long integer(ByteBuffer buf, int at, Kind kind) {
        switch (kind) {
            case INT64:
                return buf.getLong(at);
            case INT32:
                return buf.getInt(at);
            case UINT32:
                return Integer.toUnsignedLong(buf.getInt(at));
            case INT16:
                return buf.getShort(at);
            case UINT16:
                return Short.toUnsignedInt(buf.getShort(at));
            case INT8:
                return buf.get(at);
            case UINT8:
            case BOOL:
                return Byte.toUnsignedInt(buf.get(at));
            default:
                throw new IllegalStateException("not an integer member: " + kind);
        }
    }
}
