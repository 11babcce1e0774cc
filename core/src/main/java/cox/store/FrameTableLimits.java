package cox.store;

import cox.pickle.PickleWriter;
import cox.pickle.PythonGlobal;
import cox.store.hdf5.ColumnKind;
import cox.store.hdf5.FrameColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a table's schema must fit to be written, checked before the table exists (docs/trust.md):
 * the journal numbers a table's columns with 16 bits, and {@code store.h5} keeps each attribute of
 * a frame table in one HDF5 object header message, whose size is a 16-bit field. pandas' and
 * cox's attributes list the column names (COX_DATA, {@code non_index_axes}, each block's
 * {@code values_block_K_kind}) and the table name (COX_DATA), as protocol-0 pickles, so the
 * names' total length is what runs out. This class predicts the sizes to say how many columns
 * would fit; the HDF5 engine's own check ({@link StoreH5#checkFits}) has the last word, so the
 * two cannot drift apart without {@code addTable} refusing.
 */
final class FrameTableLimits {
    /**
     * The largest HDF5 object header message, in bytes: its size field has 16 bits and a message
     * is padded to a multiple of 8 bytes.
     */
    static final int MAX_MESSAGE = 0xFFF8;
    /** The most columns a table can have: the journal counts them with a u16. */
    static final int MAX_COLUMNS = 0xFFFF;
    /** The most tables a store can have: the journal numbers them with a u16. */
    static final int MAX_TABLES = 0x10000;
    /**
     * Whether {@link Store#addTable} checks; only tests turn it off, to show that a table store.h5
     * cannot take does not stop the store.
     */
    static volatile boolean enforced = true;
    /** COX_DATA names these types by the Python builtin class; the object types by a marker string. */
    private static final List<String> BUILTIN_TYPES = List.of("int", "float", "str", "bool");

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
            try {
                StoreH5.checkFits(table, schema);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (" + where + ")", e);
            }
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
        throw new IllegalArgumentException("table '" + abbreviate(table) + "' of " + where + " cannot be held by store.h5: "
                + String.format("%,d", columns.size()) + " columns need a " + String.format("%,d", largest.bytes())
                + "-byte HDF5 object header message for the attribute " + largest.attribute() + ", more than the "
                + String.format("%,d", MAX_MESSAGE) + " bytes HDF5 allows; " + advice);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "...(" + String.format("%,d", s.length()) + " characters)";
    }

    /** An attribute and the size of the object header message that holds it. */
    record Message(String attribute, long bytes) {
    }

    /**
     * The largest attribute message a frame table of these columns needs, as cox4j writes the
     * attributes: each a scalar fixed-length string, its message (version 1) 8 bytes, the
     * attribute's name with its NUL padded to 8, an 8-byte string type, an 8-byte scalar space,
     * then the value's bytes.
     */
    static Message largestMessage(String table, List<FrameColumn> columns) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        Map<Object, Object> coxSchema = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (FrameColumn c : columns) {
            coxSchema.put(c.name(), BUILTIN_TYPES.contains(c.coxType()) ? new PythonGlobal("builtins", c.coxType())
                    : c.coxType());
            names.add(c.name());
        }
        Map<Object, Object> coxData = new LinkedHashMap<>();
        coxData.put("schema", coxSchema);
        coxData.put("name", table);
        values.put("COX_DATA", PickleWriter.dumpsProtocol0(coxData));
        values.put("non_index_axes", PickleWriter.dumpsProtocol0(List.of((Object) new Object[] {1, names})));
        int k = 0;
        for (List<String> block : blocks(columns)) {
            values.put("values_block_" + k++ + "_kind", PickleWriter.dumpsProtocol0(block));
        }
        Message largest = new Message("", 0);
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            long bytes = 8 + pad8(e.getKey().length() + 1) + 8 + 8 + e.getValue().length;
            if (bytes > largest.bytes()) {
                largest = new Message(e.getKey(), bytes);
            }
        }
        return largest;
    }

    private static long pad8(long n) {
        return (n + 7) / 8 * 8;
    }

    /** The column names of each values block, as pandas groups them: one block per dtype, in order of first use. */
    private static List<List<String>> blocks(List<FrameColumn> columns) {
        Map<ColumnKind, List<String>> byKind = new LinkedHashMap<>();
        for (FrameColumn c : columns) {
            byKind.computeIfAbsent(c.kind(), x -> new ArrayList<>()).add(c.name());
        }
        return new ArrayList<>(byKind.values());
    }
}
