package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code store.h5} as a view of the journal: how far it reflects the journal (an offset), how
 * many rows each table has in it, and the checkpoint that records both. Applying journal records
 * writes the checkpoint "inconsistent" before {@code store.h5} starts to change and "consistent"
 * once it is flushed, so a crash in between makes the next open rebuild it. Not thread-safe: the
 * writer holds its lock around every call.
 */
final class StoreView implements AutoCloseable {
    /** Rows decoded before they are written to store.h5 in one go. */
    static final int APPLY_BATCH = 16_384;

    private final StoreFiles files;
    private StoreH5 h5;
    private long appliedOffset;
    private long[] rows;
    /** Whether this cycle has started changing store.h5 (and so marked the checkpoint inconsistent). */
    private boolean changing;

    /**
     * @param appliedOffset journal records before this offset are in {@code h5}
     * @param rows rows per table id in {@code h5}
     */
    StoreView(StoreFiles files, StoreH5 h5, long appliedOffset, long[] rows) {
        this.files = files;
        this.h5 = h5;
        this.appliedOffset = appliedOffset;
        this.rows = rows.clone();
    }

    /** Journal records before this offset are in store.h5. */
    long appliedOffset() {
        return appliedOffset;
    }

    /**
     * Records that store.h5 holds the journal up to {@code offset} without applying anything: the
     * rows there came from store.h5 (imported into the journal).
     */
    void skipTo(long offset) {
        appliedOffset = offset;
    }

    /** Records that table {@code id} has {@code n} rows in store.h5. */
    void setRows(int id, long n) {
        grow(id);
        rows[id] = n;
    }

    /**
     * Brings store.h5 up to journal offset {@code to} and writes the consistent checkpoint.
     *
     * @return whether anything was applied
     */
    boolean applyTo(long to, JournalWriter journal) {
        checkOpen();
        if (to == appliedOffset) {
            return false;
        }
        changing = false;
        applyRange(to, journal);
        if (changing) {
            h5.flush();
        }
        writeCheckpoint(true, journal.definitions());
        return true;
    }

    /** Applies the journal's records from the applied offset to {@code to}, table by table in batches. */
    void applyRange(long to, JournalWriter journal) {
        checkOpen();
        Map<Integer, List<Object[]>> batch = new HashMap<>();
        int[] batched = {0};
        // cell encodings per table id, looked up once per cycle rather than once per row
        List<CellEncoding[]> encodingsById = new ArrayList<>();
        long end = RowJournal.scan(journal.path(), appliedOffset, to, new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                int id = row.tableId();
                while (encodingsById.size() <= id) {
                    encodingsById.add(null);
                }
                CellEncoding[] encodings = encodingsById.get(id);
                if (encodings == null) {
                    encodings = JournalTables.encodings(journal.definitionById(id).schema());
                    encodingsById.set(id, encodings);
                }
                batch.computeIfAbsent(id, k -> new ArrayList<>()).add(row.cells(encodings));
                if (++batched[0] >= APPLY_BATCH) {
                    writeBatch(batch, journal);
                    batched[0] = 0;
                }
            }
        });
        writeBatch(batch, journal);
        appliedOffset = end;
    }

    private void writeBatch(Map<Integer, List<Object[]>> batch, JournalWriter journal) {
        for (Map.Entry<Integer, List<Object[]>> e : batch.entrySet()) {
            TableDefinition d = journal.definitionById(e.getKey());
            List<Object[]> batchRows = e.getValue();
            if (batchRows.isEmpty()) {
                continue;
            }
            if (!changing) {
                // only now, with the rows decoded, does store.h5 start to change: a crash from here
                // to the consistent checkpoint means store.h5 is rebuilt on the next open
                writeCheckpoint(false, journal.definitions());
                changing = true;
            }
            h5.append(d.name(), d.schema(), batchRows);
            grow(d.id());
            rows[d.id()] += batchRows.size();
            batchRows.clear();
        }
    }

    private void grow(int id) {
        if (rows.length <= id) {
            rows = Arrays.copyOf(rows, Math.max(id + 1, 2 * rows.length));
        }
    }

    /** Writes the checkpoint: the applied offset, {@code definitions} and their rows in store.h5. */
    void writeCheckpoint(boolean consistent, List<TableDefinition> definitions) {
        long[] counts = Arrays.copyOf(rows, definitions.size());
        new Checkpoint(consistent, appliedOffset, JournalTables.toJournal(definitions), counts).write(files.checkpoint());
    }

    /**
     * Closes store.h5, which was written at {@code written}, moves it over the store's
     * {@code store.h5} (atomically where the file system can) and opens it there.
     *
     * @throws CoxIOException if the file cannot be moved
     */
    void publish(Path written) {
        checkOpen();
        close();
        try {
            try {
                Files.move(written, files.h5(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, files.h5(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot move " + written + " to " + files.h5() + ": " + e, e);
        }
        h5 = StoreH5.open(files.h5(), true);
    }

    /** Makes store.h5 exact (every applied row visible to its readers) and forces it to the device. */
    void sync() {
        checkOpen();
        h5.sync();
    }

    /** Every row of table {@code name} in store.h5. */
    Columns read(String name, Schema schema) {
        checkOpen();
        long n = h5.rows(name);
        if (n > Integer.MAX_VALUE - 8) {
            throw new StoreException("table '" + name + "' of " + files.dir() + " has " + n
                    + " rows, more than one data frame can hold");
        }
        return h5.read(name, schema, 0, (int) n);
    }

    private void checkOpen() {
        if (h5 == null) {
            throw new IllegalStateException("store " + files.dir() + " is closed");
        }
    }

    /** Closes store.h5; idempotent. */
    @Override
    public void close() {
        if (h5 != null) {
            try {
                h5.close();
            } finally {
                h5 = null;
            }
        }
    }
}
