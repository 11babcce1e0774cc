package cox.store;

import java.util.List;

/**
 * A 64-bit digest of a table's rows in order, computed from their values (not from how a file
 * stores them): the checkpoint records it for the rows {@code store.h5} holds, and a reader that
 * reads those rows from {@code store.h5} compares, so that a flipped byte or a changed column
 * type in {@code store.h5} is answered from the journal instead of returned. It detects damage,
 * not tampering: it is not a cryptographic hash.
 *
 * <p>Each cell is reduced to 64 bits (INT its value, FLOAT its raw bits, BOOL 1 or 0, text
 * {@link #text}); a row's cells are summed, cell {@code c} times the odd constant
 * {@link #weight}{@code (c)} (so that changing any one cell changes the sum), and the digest of no
 * rows is 0, each row's sum mixed in by {@link #mix}, a bijection in either argument, so that
 * changing any one row changes the digest. Docs/format.md writes the function down; the
 * checkpoint's digests depend on it.
 */
final class RowDigest {
    /** The digest of no rows. */
    static final long EMPTY = 0L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RowDigest() {
    }

    /** {@code digest} with one more row, whose cells sum to {@code row}. */
    static long mix(long digest, long row) {
        return (Long.rotateLeft(digest, 23) ^ row) * GOLDEN;
    }

    /** The odd constant cell {@code column} of a row is multiplied by before the cells are summed. */
    static long weight(int column) {
        return GOLDEN * (2L * column + 1);
    }

    /**
     * A text cell's 64 bits: FNV-1a over its UTF-16 units taken four at a time as one 64-bit word
     * (the first unit in the low 16 bits; the last word padded with zeros), then xor its length.
     */
    static long text(String s) {
        long t = 0xcbf29ce484222325L;
        int n = s.length();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long w = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
                    | (long) s.charAt(i + 3) << 48;
            t = (t ^ w) * 0x100000001b3L;
        }
        if (i < n) {
            long w = 0;
            for (int k = 0; i + k < n; k++) {
                w |= (long) s.charAt(i + k) << (16 * k);
            }
            t = (t ^ w) * 0x100000001b3L;
        }
        return t ^ n;
    }

    /** A boxed cell's 64 bits: Long, Double, Boolean or String. */
    static long cell(Object cell) {
        if (cell instanceof Long l) {
            return l;
        }
        if (cell instanceof Double d) {
            return Double.doubleToRawLongBits(d);
        }
        if (cell instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return text((String) cell);
    }

    /** {@code digest} with {@code rows} (boxed cells in schema order) after it. */
    static long of(long digest, List<Object[]> rows) {
        long h = digest;
        for (Object[] row : rows) {
            long sum = 0;
            for (int c = 0; c < row.length; c++) {
                sum += cell(row[c]) * weight(c);
            }
            h = mix(h, sum);
        }
        return h;
    }

    /** {@code digest} with the rows of {@code columns} after it. */
    static long of(long digest, Columns columns) {
        return columns.digest(digest);
    }
}
