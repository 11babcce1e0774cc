package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreLockedException;
import cox.store.journal.CellEncoding;
import cox.store.journal.JournalRow;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of a store once it is open: {@link Store} starts it over the journal and view
 * that recovery made agree, and appends go to the journal while a background flusher keeps
 * {@code store.h5} a view of it.
 *
 * <p>Flow: {@link #append} writes a sealed row record to the journal (that is all
 * {@code flushRow()} waits for); the flusher applies journaled rows to {@code store.h5}
 * ({@link StoreView}) every {@value #FLUSH_INTERVAL_MS} ms or after {@value #FLUSH_ROWS} rows;
 * {@link #sync()}, {@link #read} and {@link #close()} apply everything first.
 *
 * <p>{@code store.h5} never stops a row: a table store.h5 cannot take is left out of it (the view
 * marks it), and if store.h5 cannot be updated at all (a full disk, say) the flusher stops while
 * rows still go to the journal; {@link #read} then answers from the journal, and {@link #sync()}
 * and {@link #close()} report it. The next writer rebuilds store.h5.
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
    /** Why store.h5 cannot be updated any more, or null; rows still go to the journal. */
    private volatile Throwable viewFailure;
    /** The store's lock, checked at every flush and before every table definition. */
    private final WriterLock lock;
    /** Set once the lock file was found deleted or replaced: no row, table or file write is accepted after it. */
    private volatile StoreLockedException lockLost;
    // guarded by applyLock
    private final StoreView view;

    private StoreWriter(StoreFiles files, JournalWriter journal, StoreView view, WriterLock lock) {
        this.files = files;
        this.journal = journal;
        this.view = view;
        this.lock = lock;
        this.flusher = new Thread(this::runFlusher, "cox4j-flusher " + files.dir().getFileName());
        this.flusher.setDaemon(true);
    }

    /**
     * The writer over a journal and a view that agree (as recovery leaves them), its flusher
     * started; it writes only while {@code lock}'s file is the one it locked, from the first flush on.
     *
     * @param lock the store's lock, which the caller holds
     */
    static StoreWriter start(StoreFiles files, JournalWriter journal, StoreView view, WriterLock lock) {
        StoreWriter w = new StoreWriter(files, journal, view, Objects.requireNonNull(lock, "lock"));
        view.startSummaries(journal.definitions());
        w.flusher.start();
        return w;
    }

    /**
     * Checks that this writer still holds the store: once its lock file is found deleted or
     * replaced, this and every later write throws (the first finding is logged).
     *
     * @throws StoreLockedException if the lock file is not the one this writer locked
     */
    void checkLock() {
        StoreLockedException lost = lockLost;
        if (lost == null) {
            if (lock.isIntact()) {
                return;
            }
            synchronized (this) {
                if (lockLost == null) {
                    lockLost = lock.lost();
                    LOG.error(lockLost.getMessage());
                }
                lost = lockLost;
            }
        }
        throw new StoreLockedException(lost.getMessage(), lost);
    }

    // ------------------------------------------------------------------ writing

    /** Defines a table: its record goes to the journal before any of its rows. */
    TableDefinition define(String name, Schema schema) {
        checkLock();
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

    /**
     * Appends a sealed row record of table {@code tableId}; returns once it is in the journal,
     * whatever state store.h5 is in.
     */
    void append(ByteBuffer sealedRow, int tableId) {
        if (lockLost != null) {
            checkLock();
        }
        journal.append(sealedRow, tableId);
        if (unapplied.incrementAndGet() == FLUSH_ROWS) {
            LockSupport.unpark(flusher);
        }
    }

    // ------------------------------------------------------------------ the view

    /**
     * Brings store.h5 up to the journal's end and writes the checkpoint; does nothing once store.h5
     * cannot be updated. A failure here stops store.h5 from being updated, and is thrown.
     */
    void applyPending() {
        applyLock.lock();
        try {
            checkLock();
            if (viewFailure != null) {
                return;
            }
            try {
                if (view.applyTo(journal.end(), journal)) {
                    unapplied.set(0);
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                failView(e);
                throw e;
            }
        } finally {
            applyLock.unlock();
        }
    }

    private void failView(Throwable t) {
        if (viewFailure == null) {
            viewFailure = t;
            LOG.error("store.h5 of {} cannot be updated any more ({}); every row still goes to the journal {}, and"
                    + " store.h5 is rebuilt from it when the store is next opened for writing", files.dir(), t.getMessage(),
                    files.journal(), t);
        }
    }

    /**
     * The rows of table {@code d}: from store.h5 after applying everything journaled, if it holds
     * them as they were written; else from the journal, which holds every row.
     */
    Columns read(TableDefinition d) {
        try {
            applyPending();
        } catch (IllegalStateException | StoreLockedException e) {
            throw e;
        } catch (RuntimeException e) {
            // reported by failView; the journal answers
        }
        applyLock.lock();
        try {
            if (viewFailure == null) {
                Columns c = view.readVerified(d);
                if (c != null) {
                    return c;
                }
                if (view.distrusted()) {
                    try {
                        // the checkpoint says so now, so that the next writer rebuilds store.h5 even if this one is killed
                        view.writeCheckpoint(true, journal.definitions());
                    } catch (RuntimeException e) {
                        failView(e);
                    }
                }
            }
        } finally {
            applyLock.unlock();
        }
        return journalRows(d);
    }

    /** Every row of table {@code d} in the journal. */
    private Columns journalRows(TableDefinition d) {
        CellEncoding[] encodings = JournalTables.encodings(d.schema());
        List<Object[]> rows = new ArrayList<>();
        RowJournal.scan(journal.path(), RowJournal.HEADER_SIZE, journal.end(), new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                if (row.tableId() == d.id()) {
                    rows.add(row.cells(encodings));
                }
            }
        });
        return Columns.empty(d.schema()).append(rows);
    }

    /** What keeps store.h5 from holding every flushed row, or null if nothing does. */
    private String incomplete() {
        StringBuilder sb = new StringBuilder();
        Throwable t = viewFailure;
        if (t != null) {
            sb.append("it could not be updated (").append(t.getMessage()).append(")");
        }
        Map<Integer, String> notHeld;
        applyLock.lock();
        try {
            notHeld = view.notHeld();
        } finally {
            applyLock.unlock();
        }
        for (Map.Entry<Integer, String> e : notHeld.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append("it cannot take table '")
                    .append(journal.definitionById(e.getKey()).name()).append("' (").append(e.getValue()).append(")");
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private StoreException incompleteError(String what) {
        return new StoreException("store.h5 of " + files.dir() + " does not hold every flushed row" + what + ": "
                + incomplete() + "; every row is in the journal " + files.journal() + ", and store.h5 is rebuilt from it"
                + " when the store is next opened for writing", viewFailure);
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
            } catch (IllegalStateException | StoreLockedException stopped) {
                break; // closed meanwhile, or the lock was lost (logged by checkLock)
            } catch (Throwable t) {
                failView(t);
                break;
            }
        }
    }

    /**
     * Makes store.h5 exact and forces journal, checkpoint and store.h5 to the device.
     *
     * @throws StoreException after forcing the journal, if store.h5 cannot hold every flushed row
     */
    void sync() {
        journal.force();
        try {
            applyPending();
        } catch (IllegalStateException | StoreLockedException e) {
            throw e;
        } catch (RuntimeException e) {
            // reported below
        }
        if (incomplete() != null) {
            throw incompleteError(" (the journal was forced to the device)");
        }
        applyLock.lock();
        try {
            view.sync(); // forced to the device
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            failView(e);
            throw incompleteError(" (the journal was forced to the device)");
        } finally {
            applyLock.unlock();
        }
        fsync(files.checkpoint());
    }

    private static void fsync(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new CoxIOException("cannot fsync " + p + ": " + e, e);
        }
    }

    /**
     * Applies what is left to store.h5, closes it and the journal.
     *
     * @throws CoxIOException if the journal cannot be closed
     * @throws StoreException if store.h5 does not hold every flushed row (after closing everything)
     */
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
        RuntimeException failure = null;
        try {
            checkLock();
        } catch (StoreLockedException e) {
            abandon(e);
            throw e;
        }
        try {
            applyPending();
        } catch (RuntimeException e) {
            // reported below
        }
        String incomplete = incomplete();
        if (incomplete != null) {
            failure = incompleteError("");
        }
        long end = journal.end();
        applyLock.lock();
        try {
            view.close();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        } finally {
            applyLock.unlock();
        }
        try {
            journal.close();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
        markClosed(end);
    }

    /**
     * Writes the checkpoint marked closed, once everything journaled up to {@code end} is in the
     * closed store.h5 and the journal is closed: readers then tell a cleanly closed store from an
     * interrupted one. Failing to write it loses nothing (the store only reads as interrupted), so
     * it is logged, not thrown.
     */
    private void markClosed(long end) {
        applyLock.lock();
        try {
            if (view.appliedOffset() != end) {
                return;
            }
            view.writeCheckpoint(true, journal.definitions(), true);
            view.writeSummary(journal.definitions(), end);
        } catch (RuntimeException e) {
            LOG.warn("store {} was closed, but the checkpoint saying so could not be written ({}); it reads as"
                    + " interrupted", files.dir(), e.getMessage());
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Closes the files without writing to them: another writer may own them now. The journal holds
     * every row flushed before {@code why}.
     */
    private void abandon(StoreLockedException why) {
        applyLock.lock();
        try {
            view.abandon();
        } catch (RuntimeException e) {
            why.addSuppressed(e);
        } finally {
            applyLock.unlock();
        }
        try {
            journal.close();
        } catch (RuntimeException e) {
            why.addSuppressed(e);
        }
    }

    /** {@code first} with {@code next} added as suppressed, or {@code next} if there is no first: close()'s error order. */
    static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
