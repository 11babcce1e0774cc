package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks of docs/trust.md that a writer opening a store ({@link StoreRecovery}) and READ mode
 * ({@link StoreReader}) both make before {@code store.h5} answers for rows: does a table of
 * {@code store.h5} match what the checkpoint and the journal record of it, are the row counts of
 * {@code store.h5} plausible for its size, how many rows another program may have appended, do
 * those rows read, and has the journal lost records the checkpoint counts. Each caller decides what
 * a failed check means (a writer rebuilds {@code store.h5}, READ mode answers from the journal).
 */
final class TrustChecks {
    /** Rows read from store.h5 at a time when they are checked. */
    private static final int READ_BATCH = StoreView.APPLY_BATCH;
    /** Rows another program may append to a table beyond the checkpoint's: at least this many ... */
    static final long IMPORT_ROWS_MIN = 10_000;
    /** ... or this many times the rows the checkpoint records, whichever is more. */
    static final long IMPORT_ROWS_FACTOR = 10;

    private TrustChecks() {
    }

    // ------------------------------------------------------------------ a table against the checkpoint

    /** What store.h5 holds of a table the checkpoint and the journal record. */
    sealed interface TableInH5 permits Absent, Held, Mismatch {
    }

    /** store.h5 lacks the table, and the checkpoint records no rows of it: nothing disagrees. */
    record Absent() implements TableInH5 {
    }

    /** store.h5 holds the table with the journal's columns and at least the checkpoint's {@code rows}. */
    record Held(long rows) implements TableInH5 {
    }

    /** store.h5 holds the table otherwise than the checkpoint and the journal record it. */
    sealed interface Mismatch extends TableInH5 permits Missing, OtherColumns, FewerRows {
        /**
         * Why, for a message.
         *
         * @param namingStoreH5 say "in store.h5" (for a message that does not name the file already)
         */
        String why(boolean namingStoreH5);
    }

    /** The checkpoint records {@code expected} rows of a table store.h5 does not have. */
    record Missing(String table, long expected) implements Mismatch {
        @Override
        public String why(boolean namingStoreH5) {
            return "table '" + table + "' is missing" + (namingStoreH5 ? " from store.h5" : "") + ", where the checkpoint"
                    + " records " + expected + " rows";
        }
    }

    /** store.h5's table has the columns {@code found} where the journal has {@code journal}. */
    record OtherColumns(String table, Schema found, Schema journal) implements Mismatch {
        @Override
        public String why(boolean namingStoreH5) {
            return "table '" + table + "'" + (namingStoreH5 ? " in store.h5" : "") + " has the columns " + found
                    + " where the journal has " + journal;
        }
    }

    /** store.h5's table has fewer rows than the checkpoint records (a writer may not have published them yet). */
    record FewerRows(String table, long rows, long expected) implements Mismatch {
        @Override
        public String why(boolean namingStoreH5) {
            return "table '" + table + "'" + (namingStoreH5 ? " in store.h5" : "") + " has " + rows + " rows, fewer than"
                    + " the " + expected + " the checkpoint records";
        }
    }

    /**
     * Compares table {@code d} of store.h5 with the journal's columns and the {@code expected}
     * rows the checkpoint records of it. The caller catches what store.h5 throws while read.
     */
    static TableInH5 compare(StoreH5 h5, TableDefinition d, long expected) {
        if (!h5.hasTable(d.name())) {
            return expected != 0 ? new Missing(d.name(), expected) : new Absent();
        }
        Schema found = h5.schema(d.name());
        if (!found.sameLayout(d.schema())) {
            return new OtherColumns(d.name(), found, d.schema());
        }
        long rows = h5.rows(d.name());
        return rows < expected ? new FewerRows(d.name(), rows, expected) : new Held(rows);
    }

    // ------------------------------------------------------------------ row counts

    /** Whether store.h5's row counts fit its size. */
    sealed interface RowCounts permits Plausible, Implausible {
    }

    /** The rows store.h5's tables claim fit in the file. */
    record Plausible() implements RowCounts {
    }

    /** The rows store.h5's tables claim cannot fit in the file: {@code why} says so, naming it. */
    record Implausible(String why) implements RowCounts {
    }

    /**
     * The rows store.h5's tables claim at the least row size, compared with its size. Every row
     * takes at least its 8-byte index and a byte per column.
     *
     * @throws CoxIOException if the file's size cannot be read
     */
    static RowCounts rowCounts(StoreH5 h5, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new CoxIOException("cannot read " + file + ": " + e, e);
        }
        long claimed = 0;
        StringBuilder tables = new StringBuilder();
        for (String name : h5.tableNames()) {
            long n = h5.rows(name);
            long bytes = saturatingMultiply(n, 8L + h5.schema(name).size());
            claimed = claimed + bytes < 0 ? Long.MAX_VALUE : claimed + bytes;
            tables.append(tables.length() == 0 ? "" : ", ").append('\'').append(name).append("' ").append(n);
        }
        if (claimed <= size) {
            return new Plausible();
        }
        return new Implausible("the tables of " + file + " claim rows (" + tables + ") that need at least " + claimed
                + " bytes, more than the file's " + size + ": their counts are damaged");
    }

    private static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** How many rows another program may have appended to a table the checkpoint records with {@code rows}. */
    static long importCap(long rows) {
        return Math.max(IMPORT_ROWS_MIN, saturatingMultiply(IMPORT_ROWS_FACTOR, rows));
    }

    // ------------------------------------------------------------------ rows and records

    /**
     * Reads rows {@code [from, from + count)} of a table once, so that nothing is taken from a
     * table that fails halfway.
     *
     * @throws StoreFormatException if fewer rows come back than asked for; whatever else store.h5 throws
     */
    static void checkReadable(StoreH5 h5, TableDefinition def, long from, long count) {
        for (long first = from; first < from + count; first += READ_BATCH) {
            int n = (int) Math.min(READ_BATCH, from + count - first);
            Columns columns = h5.read(def.name(), def.schema(), first, n);
            if (columns.rows() != n) {
                throw new StoreFormatException("table '" + def.name() + "' in " + h5.path() + ": read " + columns.rows()
                        + " rows where " + n + " were asked for");
            }
        }
    }

    /**
     * Why the journal cannot be trusted to hold the records the checkpoint counts: it is
     * {@code journalSize} bytes long, shorter than the checkpoint's {@code offset}. Only to be
     * called when it is.
     */
    static String journalLost(StoreFiles files, long journalSize, long offset) {
        return "journal " + files.journal() + " is " + journalSize + " bytes long, but the checkpoint " + files.checkpoint()
                + " records that store.h5 holds its records up to offset " + offset + ": the journal has lost records";
    }
}
