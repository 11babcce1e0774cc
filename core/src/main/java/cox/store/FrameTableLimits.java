package cox.store;

import cox.store.hdf5.FormatLimits;
import cox.store.hdf5.FrameColumn;
import java.util.List;

/**
 * What a table's schema must fit to be written, checked before the table exists (docs/trust.md):
 * the journal numbers a table's columns with 16 bits, and {@code store.h5} keeps each attribute of
 * a frame table in one HDF5 object header message, whose size is a 16-bit field. pandas' and
 * cox's attributes list the column names (COX_DATA, {@code non_index_axes}, each block's
 * {@code values_block_K_kind}) and the table name (COX_DATA), so the names' total length is what
 * runs out. The sizes are the HDF5 engine's own ({@link FormatLimits#largestMessage}); this class says
 * what they mean for the caller: which limit, and how many of the columns would fit.
 */
final class FrameTableLimits {
    /** The largest HDF5 object header message, in bytes. */
    static final int MAX_MESSAGE = FormatLimits.MAX_MESSAGE_BYTES;
    /** The most columns a table can have: the journal counts them with a u16. */
    static final int MAX_COLUMNS = 0xFFFF;
    /** The most tables a store can have: the journal numbers them with a u16. */
    static final int MAX_TABLES = 0x10000;
    /**
     * Whether {@link Store#addTable} checks; only tests turn it off, to show that a table store.h5
     * cannot take does not stop the store.
     */
    static volatile boolean enforced = true;

    private FrameTableLimits() {
    }

    /**
     * Checks that table {@code table} with {@code schema} fits the journal and {@code store.h5}.
     *
     * @param where the store, for the message ("store /runs/a1")
     * @throws IllegalArgumentException naming the table, the limit and how far the schema is over it
     */
    static void check(String where, String table, Schema schema) {
        if (schema.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException("table '" + table + "' of " + where + " has " + String.format("%,d",
                    schema.size()) + " columns; a table can have at most " + String.format("%,d", MAX_COLUMNS)
                    + " (the journal counts them with 16 bits)");
        }
        List<FrameColumn> columns = FrameColumns.of(schema);
        Message largest = largestMessage(table, columns);
        if (largest.bytes() <= MAX_MESSAGE) {
            return;
        }
        // how many of its columns fit: the longest prefix of the schema whose attributes fit
        int lo = 0;
        int hi = columns.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (largestMessage(table, columns.subList(0, mid)).bytes() <= MAX_MESSAGE) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int longest = 0;
        for (String name : schema.keySet()) {
            longest = Math.max(longest, name.length());
        }
        String advice = largestMessage(table, List.of()).bytes() > MAX_MESSAGE
                ? "the table name alone (" + String.format("%,d", table.length()) + " characters) is too long"
                : lo == 0 ? "not even its first column fits (the longest column name has " + String.format("%,d", longest)
                        + " characters)"
                : "at most its first " + String.format("%,d", lo) + " columns fit (the longest column name has "
                        + String.format("%,d", longest) + " characters)";
        String holding = largest.attribute().equals("row type") ? "the row type" : "the attribute " + largest.attribute();
        throw new IllegalArgumentException("table '" + abbreviate(table) + "' of " + where + " cannot be held by store.h5: "
                + String.format("%,d", columns.size()) + " columns need a " + String.format("%,d", largest.bytes())
                + "-byte HDF5 object header message for " + holding + ", more than the "
                + String.format("%,d", MAX_MESSAGE) + " bytes HDF5 allows; " + advice);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "...(" + String.format("%,d", s.length()) + " characters)";
    }

    /** An attribute (or the row type) and the size of the object header message that holds it. */
    record Message(String attribute, long bytes) {
    }

    /**
     * The largest object header message a frame table of these columns needs in store.h5 (an
     * attribute, or the row type): what {@code PandasStoreFile.createTable} checks against
     * {@link #MAX_MESSAGE}.
     */
    static Message largestMessage(String table, List<FrameColumn> columns) {
        var m = FormatLimits.largestMessage(table, columns, 1);
        return new Message(m.name(), m.bytes());
    }
}
