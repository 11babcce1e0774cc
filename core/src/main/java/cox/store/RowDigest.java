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
 * {@link #text}); the digest of no rows is 0, and each cell, row by row in schema order, is mixed
 * in by {@link #mix}, a bijection in either argument, so that changing any one cell changes the
 * digest. Docs/format.md writes the function down; the checkpoint's digests depend on it.
 */
final class RowDigest {
    /** The digest of no rows. */
    static final long EMPTY = 0L;

    private RowDigest() {
    }

    /** {@code digest} with one more cell. */
    static long mix(long digest, long cell) {
        return (Long.rotateLeft(digest, 23) ^ cell) * 0x9E3779B97F4A7C15L;
    }

    /** A text cell's 64 bits: FNV-1a over its UTF-16 units, then its length. */
    static long text(String s) {
        long t = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            t = (t ^ s.charAt(i)) * 0x100000001b3L;
        }
        return t ^ s.length();
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
            for (Object c : row) {
                h = mix(h, cell(c));
            }
        }
        return h;
    }

    /** {@code digest} with the rows of {@code columns} after it. */
    static long of(long digest, Columns columns) {
        return columns.digest(digest);
    }
}
