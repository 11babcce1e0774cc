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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code store.h5} as a view of the journal: how far it reflects the journal (an offset), how
 * many rows each table has in it and their {@link RowDigest}, the tables it could not take, and
 * the checkpoint that records all of it. Applying journal records writes the checkpoint
 * "inconsistent" before {@code store.h5} starts to change and "consistent" once it is flushed, so
 * a crash in between makes the next open rebuild it.
 *
 * <p>A table whose rows {@code store.h5} refuses (the HDF5 layer throws while appending them) is
 * marked not held: its rows stay only in the journal, the other tables go on being applied, the
 * checkpoint records it, and the next writer rebuilds {@code store.h5}. Not thread-safe: the
 * writer holds its lock around every call.
 */
final class StoreView implements AutoCloseable {
    /**
     * At most this many rows are read from store.h5 when a writer opens a run without a summary
     * that still holds ({@link #startSummaries}); a larger run keeps none, and readers summarize it.
     */
    static final long SUMMARY_SEED_ROWS = 1_000_000;
    /** Rows decoded before they are written to store.h5 in one go. */
    static final int APPLY_BATCH = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(StoreView.class);

    private final StoreFiles files;
    private StoreH5 h5;
    private long appliedOffset;
    private long[] rows;
    private long[] digests;
    /** Tables (by id) store.h5 could not take, with why; their rows are only in the journal. */
    private final Map<Integer, String> notHeld = new TreeMap<>();
    /** Why store.h5 was found not to hold what was written to it, or null: the next writer rebuilds it. */
    private String distrusted;
    /** The tables warned about as not being as written. */
    private final Set<String> distrustedTables = new HashSet<>();
    /** Whether this cycle has started changing store.h5 (and so marked the checkpoint inconsistent). */
    private boolean changing;
    /** The run summary kept as rows are applied, per table id; null once it cannot be kept (see {@link #startSummaries}). */
    private Map<Integer, TableSummary.Builder> summaries;

    /**
     * @param appliedOffset journal records before this offset are in {@code h5}
     * @param rows rows per table id in {@code h5}
     * @param digests the {@link RowDigest} of those rows, per table id
     */
    StoreView(StoreFiles files, StoreH5 h5, long appliedOffset, long[] rows, long[] digests) {
        this.files = files;
        this.h5 = h5;
        this.appliedOffset = appliedOffset;
        this.rows = rows.clone();
        this.digests = Arrays.copyOf(digests, rows.length);
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

    /** Records that table {@code id} has {@code n} rows in store.h5, whose digest is {@code digest}. */
    void setRows(int id, long n, long digest) {
        grow(id);
        rows[id] = n;
        digests[id] = digest;
    }

    /** The rows of table {@code id} in store.h5. */
    long rows(int id) {
        return id < rows.length ? rows[id] : 0;
    }

    /** The digest of the rows of table {@code id} in store.h5. */
    long digest(int id) {
        return id < digests.length ? digests[id] : RowDigest.EMPTY;
    }

    /** Whether store.h5 was found not to hold what was written to it (the next writer rebuilds it). */
    boolean distrusted() {
        return distrusted != null;
    }

    /** The tables store.h5 could not take, by id, with why. */
    Map<Integer, String> notHeld() {
        return Map.copyOf(notHeld);
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
        writeSummary(journal.definitions(), appliedOffset);
        return true;
    }

    /**
     * Starts keeping the run summary ({@link RunSummary}, {@code .cox.summary}) for the tables
     * {@code definitions} as store.h5 holds them now: from the summary file if it still describes
     * the run, else from store.h5's rows (read once, verified, if there are at most
     * {@value #SUMMARY_SEED_ROWS}). If store.h5 does not hold every table as written, or holds more
     * rows than that, no summary is kept and the file is removed: readers then summarize the store
     * themselves.
     */
    void startSummaries(List<TableDefinition> definitions) {
        RunSummary prior = RunSummary.written(files.dir());
        Map<Integer, TableSummary.Builder> out = new HashMap<>();
        long toRead = 0;
        for (TableDefinition d : definitions) {
            long n = rows(d.id());
            TableSummary t = prior == null ? null : prior.tables().get(d.name());
            if (notHeld.containsKey(d.id()) || distrusted != null) {
                stopSummaries();
                return;
            }
            if (t != null && t.rows() == n && t.schema().equals(d.schema())) {
                out.put(d.id(), TableSummary.Builder.after(t));
            } else if (n == 0) {
                out.put(d.id(), new TableSummary.Builder(d.name(), d.schema()));
            } else {
                toRead += n;
                if (toRead > SUMMARY_SEED_ROWS) {
                    // reading them would slow the open down for a summary readers can make themselves
                    stopSummaries();
                    return;
                }
                Columns c = readVerified(d);
                if (c == null) {
                    stopSummaries();
                    return;
                }
                TableSummary.Builder b = new TableSummary.Builder(d.name(), d.schema());
                for (int r = 0; r < c.rows(); r++) {
                    b.add(c.row(r));
                }
                out.put(d.id(), b);
            }
        }
        summaries = out;
    }

    /**
     * Replaces {@code .cox.summary} with the summary of {@code definitions} as store.h5 holds them
     * now, describing a journal of {@code journalLength} bytes; stops keeping it (and removes the
     * file) once store.h5 does not hold every table as written. A summary that cannot be written
     * loses nothing (readers summarize the store), so that is logged, not thrown.
     */
    void writeSummary(List<TableDefinition> definitions, long journalLength) {
        if (summaries == null) {
            return;
        }
        if (distrusted != null || !notHeld.isEmpty()) {
            stopSummaries();
            return;
        }
        Map<String, TableSummary> tables = new java.util.LinkedHashMap<>();
        for (TableDefinition d : definitions) {
            TableSummary.Builder b = summaries.computeIfAbsent(d.id(), k -> new TableSummary.Builder(d.name(), d.schema()));
            if (b.rows() != rows(d.id())) {
                LOG.warn("the run summary of {} counts {} rows in table '{}' where store.h5 has {}; it is no longer kept",
                        files.dir(), b.rows(), d.name(), rows(d.id()));
                stopSummaries();
                return;
            }
            tables.put(d.name(), b.build());
        }
        try {
            new RunSummary(tables).write(files, journalLength);
        } catch (RuntimeException e) {
            LOG.warn("the run summary of {} could not be written ({}); readers summarize the store instead", files.dir(),
                    e.getMessage());
        }
    }

    private void stopSummaries() {
        summaries = null;
        try {
            RunSummary.delete(files);
        } catch (RuntimeException e) {
            LOG.warn("a stale run summary in {} could not be removed ({}); readers do not use it", files.dir(),
                    e.getMessage());
        }
    }

    /**
     * Applies the journal's records from the applied offset to {@code to}, table by table in
     * batches; rows of tables store.h5 does not hold are passed over.
     */
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
                if (notHeld.containsKey(id)) {
                    return;
                }
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
            if (batchRows.isEmpty() || notHeld.containsKey(d.id())) {
                batchRows.clear();
                continue;
            }
            if (!changing) {
                // only now, with the rows decoded, does store.h5 start to change: a crash from here
                // to the consistent checkpoint means store.h5 is rebuilt on the next open
                writeCheckpoint(false, journal.definitions());
                changing = true;
            }
            grow(d.id());
            long digest = RowDigest.of(digests[d.id()], batchRows);
            try {
                h5.append(d.name(), d.schema(), batchRows);
            } catch (RuntimeException failure) {
                // one table store.h5 cannot take must not stop the others, nor any row reaching the journal
                notHeld.put(d.id(), String.valueOf(failure.getMessage()));
                LOG.error("store.h5 of {} cannot take table '{}' ({}); its rows stay in the journal {}, the other tables"
                        + " go on, and store.h5 is rebuilt when the store is next opened for writing", files.dir(),
                        d.name(), failure.getMessage(), files.journal(), failure);
                batchRows.clear();
                continue;
            }
            rows[d.id()] += batchRows.size();
            digests[d.id()] = digest;
            if (summaries != null) {
                TableSummary.Builder b = summaries.computeIfAbsent(d.id(), k -> new TableSummary.Builder(d.name(), d.schema()));
                for (Object[] row : batchRows) {
                    b.add(row);
                }
            }
            batchRows.clear();
        }
    }

    private void grow(int id) {
        if (rows.length <= id) {
            rows = Arrays.copyOf(rows, Math.max(id + 1, 2 * rows.length));
            digests = Arrays.copyOf(digests, rows.length);
        }
    }

    /**
     * Writes the checkpoint: the applied offset, {@code definitions}, their rows and digests in
     * store.h5 and the tables it does not hold. Once store.h5 was found not to hold what the view
     * wrote to it, every checkpoint says "inconsistent", so that the next writer rebuilds it.
     */
    void writeCheckpoint(boolean consistent, List<TableDefinition> definitions) {
        writeCheckpoint(consistent, definitions, false);
    }

    /**
     * Writes the checkpoint as above, marked closed if {@code closed}: the last one of a writer
     * that closes the store cleanly, after everything journaled was applied and store.h5 closed.
     */
    void writeCheckpoint(boolean consistent, List<TableDefinition> definitions, boolean closed) {
        int n = definitions.size();
        long[] counts = Arrays.copyOf(rows, n);
        long[] sums = Arrays.copyOf(digests, n);
        boolean[] not = new boolean[n];
        for (int id : notHeld.keySet()) {
            if (id < n) {
                not[id] = true;
            }
        }
        new Checkpoint(consistent && distrusted == null, appliedOffset, JournalTables.toJournal(definitions), counts, sums,
                not, closed).write(files.checkpoint());
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
        h5 = StoreH5.open(files, files.h5(), true);
    }

    /** Forces store.h5 to the device; its readers see every applied row at once if it is small, else after the live-read delay. */
    void sync() {
        checkOpen();
        h5.sync();
    }

    /**
     * Every row of table {@code d} in store.h5, if store.h5 holds exactly the rows written to it:
     * as many, with the same columns, and the same {@link RowDigest}. Otherwise null (the caller
     * answers from the journal), a warning naming the file, and the next writer rebuilds store.h5.
     */
    Columns readVerified(TableDefinition d) {
        checkOpen();
        if (notHeld.containsKey(d.id())) {
            return null;
        }
        long n = rows(d.id());
        if (n > Integer.MAX_VALUE - 8) {
            throw new StoreException("table '" + d.name() + "' of " + files.dir() + " has " + n
                    + " rows, more than one data frame can hold");
        }
        String why;
        try {
            long found = h5.rows(d.name());
            if (found != n) {
                why = "it has " + found + " rows where " + n + " were written";
            } else if (n > 0 && !h5.schema(d.name()).sameLayout(d.schema())) {
                why = "its columns are " + h5.schema(d.name()) + " where the journal has " + d.schema();
            } else {
                Columns columns = h5.read(d.name(), d.schema(), 0, (int) n);
                if (columns.digest(RowDigest.EMPTY) == digest(d.id())) {
                    return columns;
                }
                why = "its rows differ from those written to it (row digest)";
            }
        } catch (RuntimeException e) {
            why = "reading it failed: " + e.getMessage();
        }
        if (distrustedTables.add(d.name())) {
            LOG.warn("table '{}' in {} is not as it was written: {}; answering from the journal {}, and store.h5 is"
                    + " rebuilt when the store is next opened for writing", d.name(), files.h5(), why, files.journal());
        }
        distrusted = why;
        return null;
    }

    private void checkOpen() {
        if (h5 == null) {
            throw new IllegalStateException("store " + files.dir() + " is closed");
        }
    }

    /** Closes store.h5 without writing to it (another writer may own it now); idempotent. */
    void abandon() {
        if (h5 != null) {
            try {
                h5.abandon();
            } finally {
                h5 = null;
            }
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
