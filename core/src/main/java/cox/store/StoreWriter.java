package cox.store;

import cox.exceptions.StoreException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.store.hdf5.PandasStoreFile;
import cox.store.hdf5.PandasTable;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of a store: the row journal, {@code store.h5} kept as a view of it by a
 * background flusher, the checkpoint that says how far the view goes, and recovery on open.
 *
 * <p>Flow: {@link #append} writes a sealed row record to the journal (that is all
 * {@code flushRow()} waits for); the flusher applies journaled rows to {@code store.h5} every
 * {@value #FLUSH_INTERVAL_MS} ms or after {@value #FLUSH_ROWS} rows, writing the checkpoint
 * "inconsistent" before it touches the file and "consistent" after {@code H5Fflush}. On open,
 * a consistent checkpoint lets the journal's tail be applied; anything else (no or damaged
 * checkpoint, a crash while the flusher was writing, a damaged or missing {@code store.h5})
 * rebuilds {@code store.h5} from the whole journal.
 */
final class StoreWriter implements AutoCloseable {
    static final long FLUSH_INTERVAL_MS = 200;
    static final long FLUSH_ROWS = 50_000;
    private static final int APPLY_BATCH = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final StoreFiles files;
    private final RowJournal journal;
    private final ReentrantLock applyLock = new ReentrantLock();
    private final AtomicLong unapplied = new AtomicLong();
    private final Thread flusher;
    private volatile boolean closed;
    private volatile Throwable flusherFailure;

    // guarded by applyLock
    private PandasStoreFile h5;
    private long appliedOffset;
    private long[] h5Rows = new long[0];
    /** Whether this cycle has started changing store.h5 (and so marked the checkpoint inconsistent). */
    private boolean viewChanging;

    // guarded by this
    private final List<TableDefinition> definitions = new ArrayList<>();
    private long[] journalRows = new long[0];

    private StoreWriter(StoreFiles files, RowJournal journal) {
        this.files = files;
        this.journal = journal;
        this.flusher = new Thread(this::runFlusher, "cox4j-flusher " + files.dir().getFileName());
        this.flusher.setDaemon(true);
    }

    /**
     * Opens the store's files for writing, recovering them if needed. The caller holds the store lock.
     *
     * @param fresh discard existing tables first (mode "w")
     */
    static StoreWriter open(StoreFiles files, Durability durability, boolean fresh) {
        if (fresh) {
            files.deleteData();
        }
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        boolean h5Exists = Files.exists(files.h5());
        if (!RowJournal.exists(files.journal())) {
            return adopt(files, durability, h5Exists);
        }
        // the journal is the truth: read what the checkpoint does not already say
        boolean trustCheckpoint = cp != null && cp.consistent() && h5Exists;
        List<TableDefinition> defs = new ArrayList<>(trustCheckpoint
                ? JournalTables.fromJournal(cp.tables(), files.checkpoint()) : List.of());
        long[] rows = trustCheckpoint ? Arrays.copyOf(cp.rows(), 64) : new long[64];
        long from = trustCheckpoint ? cp.journalOffset() : RowJournal.HEADER_SIZE;
        long[][] counts = {rows};
        long validEnd = RowJournal.scan(files.journal(), from, new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable t) {
                if (t.id() == defs.size()) {
                    defs.add(JournalTables.fromJournal(t, files.journal()));
                }
            }

            @Override
            public void row(long offset, JournalRow row) {
                int id = row.tableId();
                if (id >= defs.size()) {
                    throw new StoreRecoveryException("journal " + files.journal() + " has a row of table #" + id
                            + " at offset " + offset + " before that table is defined");
                }
                if (id >= counts[0].length) {
                    counts[0] = Arrays.copyOf(counts[0], Math.max(id + 1, 2 * counts[0].length));
                }
                counts[0][id]++;
            }
        });
        RowJournal journal = RowJournal.openForAppend(files.journal(), durability == Durability.FSYNC, validEnd);
        StoreWriter w = new StoreWriter(files, journal);
        try {
            w.definitions.addAll(defs);
            w.journalRows = Arrays.copyOf(counts[0], Math.max(defs.size(), 1));
            if (trustCheckpoint && w.openTrustedView(cp)) {
                w.applyPending();
            } else {
                w.rebuildView(cp == null ? "there is no valid checkpoint"
                        : !h5Exists ? "store.h5 is missing"
                        : !cp.consistent() ? "the writer stopped while it was changing store.h5"
                        : "store.h5 does not match the checkpoint");
            }
        } catch (RuntimeException e) {
            w.closeQuietly();
            throw e;
        }
        w.flusher.start();
        return w;
    }

    /** No journal yet: a new store, or one Python (or cox4j before its journal existed) wrote. */
    private static StoreWriter adopt(StoreFiles files, Durability durability, boolean h5Exists) {
        RowJournal journal = RowJournal.create(files.journal(), durability == Durability.FSYNC);
        StoreWriter w = new StoreWriter(files, journal);
        try {
            w.applyLock.lock();
            try {
                if (h5Exists) {
                    try {
                        w.h5 = PandasStoreFile.open(files.h5(), true);
                    } catch (StoreFormatException e) {
                        throw new StoreRecoveryException("cannot open " + files.h5() + " and there is no journal "
                                + files.journal() + " to rebuild it from: " + e.getMessage(), e);
                    }
                    for (String name : w.h5.tableNames()) {
                        w.importTable(w.h5.table(name), 0, w.h5.table(name).nrows());
                    }
                } else {
                    w.h5 = PandasStoreFile.create(files.h5());
                }
                w.appliedOffset = journal.end();
                w.writeCheckpoint(true);
            } finally {
                w.applyLock.unlock();
            }
        } catch (RuntimeException e) {
            w.closeQuietly();
            files.deleteJournal();
            throw e;
        }
        w.flusher.start();
        return w;
    }

    /** Copies rows of a table store.h5 holds but the journal does not (written by pandas or Python cox) into the journal. */
    private void importTable(PandasTable t, long fromRow, long count) {
        TableDefinition def;
        synchronized (this) {
            def = null;
            for (TableDefinition d : definitions) {
                if (d.name().equals(t.name())) {
                    def = d;
                }
            }
        }
        if (def == null) {
            def = define(t.name(), FrameColumns.schemaOf(t, files.h5()));
        }
        CellEncoding[] encodings = JournalTables.encodings(def.schema());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (long first = fromRow; first < fromRow + count; first += APPLY_BATCH) {
            int n = (int) Math.min(APPLY_BATCH, fromRow + count - first);
            Object[] columns = t.read(first, n);
            for (int r = 0; r < n; r++) {
                Object[] cells = ColumnArrays.row(columns, r);
                buf = RowJournal.encodeRow(buf, def.id(), encodings, cells);
                append(buf, def.id());
            }
        }
        growH5Rows(def.id());
        h5Rows[def.id()] = t.nrows();
    }

    /** store.h5 opened against a consistent checkpoint; false if it does not match (then it must be rebuilt). */
    private boolean openTrustedView(Checkpoint cp) {
        applyLock.lock();
        try {
            try {
                h5 = PandasStoreFile.open(files.h5(), true);
            } catch (StoreFormatException e) {
                LOG.warn("{}; rebuilding it from the journal", e.getMessage());
                return false;
            }
            h5Rows = Arrays.copyOf(cp.rows(), Math.max(cp.rows().length, definitions.size()));
            // tables and rows that another program (pandas, Python cox) added to store.h5 since the checkpoint
            List<PandasTable> external = new ArrayList<>();
            List<long[]> externalRange = new ArrayList<>();
            for (TableDefinition d : JournalTables.fromJournal(cp.tables(), files.checkpoint())) {
                PandasTable t = h5.table(d.name());
                long expected = cp.rows()[d.id()];
                if (t == null ? expected != 0 : !FrameColumns.schemaOf(t, files.h5()).sameLayout(d.schema()) || t.nrows() < expected) {
                    LOG.warn("table '{}' in {} does not match the checkpoint; rebuilding it from the journal",
                            d.name(), files.h5());
                    closeView();
                    return false;
                }
                if (t != null && t.nrows() > expected) {
                    external.add(t);
                    externalRange.add(new long[] {expected, t.nrows() - expected});
                }
            }
            for (String name : h5.tableNames()) {
                if (cp.tables().stream().noneMatch(d -> d.name().equals(name))) {
                    PandasTable t = h5.table(name);
                    external.add(t);
                    externalRange.add(new long[] {0, t.nrows()});
                }
            }
            appliedOffset = cp.journalOffset();
            // the journal's rows past the checkpoint go in after the external ones, which then join the journal
            applyPending();
            for (int i = 0; i < external.size(); i++) {
                PandasTable t = external.get(i);
                long[] range = externalRange.get(i);
                LOG.info("importing {} rows that another program appended to table '{}' in {}",
                        range[1], t.name(), files.h5());
                importTable(t, range[0], range[1]);
            }
            if (!external.isEmpty()) {
                appliedOffset = journal.end();
                writeCheckpoint(true);
            }
            return true;
        } finally {
            applyLock.unlock();
        }
    }

    private void rebuildView(String why) {
        applyLock.lock();
        try {
            closeView();
            Path tmp = files.h5().resolveSibling(".store.h5.rebuild");
            LOG.warn("rebuilding {} from the journal {}: {}", files.h5(), files.journal(), why);
            try {
                h5 = PandasStoreFile.create(tmp);
                h5Rows = new long[definitions.size()];
                appliedOffset = RowJournal.HEADER_SIZE;
                applyRange(journal.end());
                h5.close();
                h5 = null;
                move(tmp, files.h5());
                h5 = PandasStoreFile.open(files.h5(), true);
                writeCheckpoint(true);
            } catch (RuntimeException e) {
                closeView();
                throw new StoreRecoveryException("cannot rebuild " + files.h5() + " from the journal " + files.journal()
                        + " (tried because " + why + "): " + e.getMessage(), e);
            }
        } finally {
            applyLock.unlock();
        }
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to, e);
        }
    }

    // ------------------------------------------------------------------ writing

    /** Defines a table: its record goes to the journal before any of its rows. */
    synchronized TableDefinition define(String name, Schema schema) {
        TableDefinition d = new TableDefinition(definitions.size(), name, schema);
        journal.appendTable(JournalTables.toJournal(d));
        definitions.add(d);
        if (journalRows.length < definitions.size()) {
            journalRows = Arrays.copyOf(journalRows, definitions.size() * 2);
        }
        return d;
    }

    synchronized List<TableDefinition> definitions() {
        return List.copyOf(definitions);
    }

    synchronized TableDefinition definitionOf(String name) {
        for (TableDefinition d : definitions) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    synchronized long rows(int tableId) {
        return tableId < journalRows.length ? journalRows[tableId] : 0;
    }

    /** A sealed row record of table {@code tableId}, encoded into {@code buf} if it is large enough. */
    static ByteBuffer encodeRow(ByteBuffer buf, int tableId, CellEncoding[] encodings, Object[] cells) {
        return RowJournal.encodeRow(buf, tableId, encodings, cells);
    }

    /** Appends a sealed row record of table {@code tableId}; returns once it is in the journal. */
    void append(ByteBuffer sealedRow, int tableId) {
        checkFlusher();
        synchronized (this) {
            journal.append(sealedRow);
            journalRows[tableId]++;
        }
        if (unapplied.incrementAndGet() == FLUSH_ROWS) {
            LockSupport.unpark(flusher);
        }
    }

    private void checkFlusher() {
        Throwable t = flusherFailure;
        if (t != null) {
            throw new StoreException("store.h5 of " + files.dir() + " could not be updated (" + t.getMessage()
                    + "); rows are safe in the journal " + files.journal() + " and store.h5 is rebuilt on the next open", t);
        }
    }

    // ------------------------------------------------------------------ the view

    /** Brings store.h5 up to the journal's end and writes the checkpoint. */
    void applyPending() {
        applyLock.lock();
        try {
            if (h5 == null) {
                throw new IllegalStateException("store " + files.dir() + " is closed");
            }
            long to = journal.end();
            if (to == appliedOffset) {
                return;
            }
            viewChanging = false;
            applyRange(to);
            if (viewChanging) {
                h5.flush();
            }
            writeCheckpoint(true);
        } finally {
            applyLock.unlock();
        }
    }

    /** Applies journal records from appliedOffset to {@code to} to the open view. Holds applyLock. */
    private void applyRange(long to) {
        Map<Integer, List<Object[]>> batch = new HashMap<>();
        int[] batched = {0};
        // cell encodings per table id, looked up once per cycle rather than once per row
        List<CellEncoding[]> encodingsById = new ArrayList<>();
        long end = RowJournal.scan(files.journal(), appliedOffset, to, new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                int id = row.tableId();
                while (encodingsById.size() <= id) {
                    encodingsById.add(null);
                }
                CellEncoding[] encodings = encodingsById.get(id);
                if (encodings == null) {
                    encodings = JournalTables.encodings(definitionById(id).schema());
                    encodingsById.set(id, encodings);
                }
                batch.computeIfAbsent(id, k -> new ArrayList<>()).add(row.cells(encodings));
                if (++batched[0] >= APPLY_BATCH) {
                    writeBatch(batch);
                    batched[0] = 0;
                }
            }
        });
        writeBatch(batch);
        unapplied.set(0);
        appliedOffset = end;
    }

    private synchronized TableDefinition definitionById(int id) {
        if (id >= definitions.size()) {
            throw new StoreRecoveryException("journal " + files.journal() + " has a row of undefined table #" + id);
        }
        return definitions.get(id);
    }

    private void writeBatch(Map<Integer, List<Object[]>> batch) {
        for (Map.Entry<Integer, List<Object[]>> e : batch.entrySet()) {
            TableDefinition d = definitionById(e.getKey());
            List<Object[]> rows = e.getValue();
            if (rows.isEmpty()) {
                continue;
            }
            if (!viewChanging) {
                // only now, with the rows decoded, does store.h5 start to change: a crash from here
                // to the consistent checkpoint means store.h5 is rebuilt on the next open
                writeCheckpoint(false);
                viewChanging = true;
            }
            PandasTable t = h5.table(d.name());
            if (t == null) {
                t = h5.createTable(d.name(), FrameColumns.of(d.schema()), widest(rows, d.schema()));
            }
            t.append(rows);
            growH5Rows(d.id());
            h5Rows[d.id()] += rows.size();
            rows.clear();
        }
    }

    private void growH5Rows(int id) {
        if (h5Rows.length <= id) {
            h5Rows = Arrays.copyOf(h5Rows, Math.max(id + 1, 2 * h5Rows.length));
        }
    }

    private static int widest(List<Object[]> rows, Schema schema) {
        ColumnType[] types = schema.values().toArray(new ColumnType[0]);
        int w = 1;
        for (Object[] row : rows) {
            for (int i = 0; i < types.length; i++) {
                if (types[i].isText()) {
                    w = Math.max(w, ((String) row[i]).getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }
        return w;
    }

    private void writeCheckpoint(boolean consistent) {
        List<TableDefinition> defs = definitions();
        long[] rows = Arrays.copyOf(h5Rows, defs.size());
        new Checkpoint(consistent, appliedOffset, JournalTables.toJournal(defs), rows).write(files.checkpoint());
    }

    /** The rows of table {@code name} in store.h5 after applying everything journaled, as column arrays. */
    Object[] read(String name, Schema schema, long[] rowCount) {
        applyPending();
        applyLock.lock();
        try {
            PandasTable t = h5.table(name);
            if (t == null) {
                rowCount[0] = 0;
                return ColumnArrays.empty(schema);
            }
            long n = t.nrows();
            if (n > Integer.MAX_VALUE - 8) {
                throw new StoreException("table '" + name + "' of " + files.dir() + " has " + n
                        + " rows, more than one data frame can hold");
            }
            rowCount[0] = n;
            return t.read(0, (int) n);
        } finally {
            applyLock.unlock();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void runFlusher() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS));
            if (closed) {
                break;
            }
            try {
                applyPending();
            } catch (IllegalStateException closedMeanwhile) {
                break;
            } catch (Throwable t) {
                flusherFailure = t;
                LOG.error("cannot update store.h5 of {}; rows stay in the journal", files.dir(), t);
                break;
            }
        }
    }

    /** Makes store.h5 exact and forces journal, checkpoint and store.h5 to the device. */
    void sync() {
        checkFlusher();
        applyPending();
        journal.force();
        fsync(files.h5());
        fsync(files.checkpoint());
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync " + p, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (flusherFailure == null) {
                applyPending();
            }
        } finally {
            applyLock.lock();
            try {
                closeView();
            } finally {
                applyLock.unlock();
                journal.close();
            }
        }
    }

    private void closeView() {
        if (h5 != null) {
            try {
                h5.close();
            } finally {
                h5 = null;
            }
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            applyLock.lock();
            try {
                closeView();
            } finally {
                applyLock.unlock();
            }
        } catch (RuntimeException ignored) {
            // the original failure is reported
        }
        journal.close();
    }
}
