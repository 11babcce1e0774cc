package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.store.journal.CellEncoding;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of a store once it is open ({@link StoreRecovery} opens it): appends go to the
 * journal, and a background flusher keeps {@code store.h5} a view of it.
 *
 * <p>Flow: {@link #append} writes a sealed row record to the journal (that is all
 * {@code flushRow()} waits for); the flusher applies journaled rows to {@code store.h5}
 * ({@link StoreView}) every {@value #FLUSH_INTERVAL_MS} ms or after {@value #FLUSH_ROWS} rows;
 * {@link #sync()}, {@link #read} and {@link #close()} apply everything first.
 *
 * <p>Thread-safe: appends go through the {@link JournalWriter}'s lock, the view is used under
 * {@code applyLock}.
 */
final class StoreWriter implements AutoCloseable {
    static final long FLUSH_INTERVAL_MS = 200;
    static final long FLUSH_ROWS = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    private final StoreFiles files;
    private final JournalWriter journal;
    private final ReentrantLock applyLock = new ReentrantLock();
    private final AtomicLong unapplied = new AtomicLong();
    private final Thread flusher;
    private volatile boolean closed;
    private volatile Throwable flusherFailure;
    // guarded by applyLock
    private final StoreView view;

    private StoreWriter(StoreFiles files, JournalWriter journal, StoreView view) {
        this.files = files;
        this.journal = journal;
        this.view = view;
        this.flusher = new Thread(this::runFlusher, "cox4j-flusher " + files.dir().getFileName());
        this.flusher.setDaemon(true);
    }

    /**
     * Opens the store's files for writing, recovering them if needed ({@link StoreRecovery}). The
     * caller holds the store lock.
     *
     * @param fresh discard existing tables first (mode "w")
     */
    static StoreWriter open(StoreFiles files, Durability durability, boolean fresh) {
        return StoreRecovery.open(files, durability, fresh);
    }

    /** The writer over a recovered journal and view, its flusher started. */
    static StoreWriter start(StoreFiles files, JournalWriter journal, StoreView view) {
        StoreWriter w = new StoreWriter(files, journal, view);
        w.flusher.start();
        return w;
    }

    // ------------------------------------------------------------------ writing

    /** Defines a table: its record goes to the journal before any of its rows. */
    TableDefinition define(String name, Schema schema) {
        return journal.define(name, schema);
    }

    List<TableDefinition> definitions() {
        return journal.definitions();
    }

    TableDefinition definitionOf(String name) {
        return journal.definitionOf(name);
    }

    /** The rows of table {@code tableId}, flushed rows included. */
    long rows(int tableId) {
        return journal.rows(tableId);
    }

    /** A sealed row record of table {@code tableId}, encoded into {@code buf} if it is large enough. */
    static ByteBuffer encodeRow(ByteBuffer buf, int tableId, CellEncoding[] encodings, Object[] cells) {
        return RowJournal.encodeRow(buf, tableId, encodings, cells);
    }

    /** Appends a sealed row record of table {@code tableId}; returns once it is in the journal. */
    void append(ByteBuffer sealedRow, int tableId) {
        checkFlusher();
        journal.append(sealedRow, tableId);
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
            if (view.applyTo(journal.end(), journal)) {
                unapplied.set(0);
            }
        } finally {
            applyLock.unlock();
        }
    }

    /** The rows of table {@code name} in store.h5 after applying everything journaled. */
    Columns read(String name, Schema schema) {
        applyPending();
        applyLock.lock();
        try {
            return view.read(name, schema);
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
        applyLock.lock();
        try {
            view.sync();
        } finally {
            applyLock.unlock();
        }
        journal.force();
        fsync(files.h5());
        fsync(files.checkpoint());
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new CoxIOException("cannot fsync " + p + ": " + e, e);
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
                view.close();
            } finally {
                applyLock.unlock();
                journal.close();
            }
        }
    }
}
