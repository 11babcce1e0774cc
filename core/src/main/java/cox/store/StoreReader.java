package cox.store;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.io.Locations;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import cox.io.internal.ReusedInput;
import cox.store.TrustChecks.FewerRows;
import cox.store.TrustChecks.Implausible;
import cox.store.TrustChecks.Mismatch;
import cox.store.TrustChecks.RowCounts;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading side of a store opened with {@link Mode#READ}: never writes a byte, and may read a
 * store another process is writing. The journal is the truth (docs/trust.md): a table's rows are
 * the journal's, of which {@code store.h5} answers the first ones, those the checkpoint records,
 * only if it holds them as they were written (same tables and columns in order, at least as many
 * rows, the same {@link RowDigest}); rows {@code store.h5} has beyond the journal's are another
 * program's and are read if their number is plausible. Whenever {@code store.h5} disagrees, the
 * journal answers and a warning names the file. A store without a journal (Python cox's) is read
 * from {@code store.h5} alone. The checks are those a writer opening the store makes ({@link TrustChecks}).
 *
 * <p>A local {@code store.h5} small enough to be read whole is kept, parsed, from one look to the
 * next ({@link #release}): the next look reads it whole again and reuses what was parsed only if
 * the bytes are exactly the same (opening a store and then reading a table parses its file once).
 */
final class StoreReader {
    private static final int H5_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(StoreReader.class);

    private final StoreFiles files;
    /** Whether store.h5 is on the default file system. */
    private final boolean local;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** store.h5 and the journal of a store that is not local, kept open between looks while unchanged. */
    private final ReusedInput h5Input;
    private final ReusedInput journalInput;
    /** The local store.h5 of the last look, kept for the next look to reuse if its bytes are the same; or null. */
    private final AtomicReference<StoreH5> kept = new AtomicReference<>();
    private volatile boolean closed;

    StoreReader(StoreFiles files) {
        this.files = files;
        this.local = PositionalInputs.isLocal(files.h5());
        this.h5Input = new ReusedInput(files.h5());
        this.journalInput = new ReusedInput(files.journal());
    }

    /** Closes the files a remote store keeps open between looks, and drops the kept store.h5; idempotent. */
    void close() {
        closed = true;
        StoreH5 h5 = kept.getAndSet(null);
        if (h5 != null) {
            h5.close();
        }
        h5Input.close();
        journalInput.close();
    }

    /**
     * Ends a look's use of {@code h5}: keeps a local, small, read-only one for the next look (if
     * none is kept already), else closes it.
     */
    private void release(StoreH5 h5) {
        if (h5 == null) {
            return;
        }
        if (local && !closed && h5.reusable() && kept.compareAndSet(null, h5)) {
            if (closed && kept.compareAndSet(h5, null)) {
                h5.close(); // closed meanwhile
            }
            return;
        }
        h5.close();
    }

    /** Scans the journal from {@code from} (a remote one through the file kept open while unchanged). */
    private void scanJournal(long from, RowJournal.Visitor visitor) {
        if (PositionalInputs.isLocal(files.journal())) {
            RowJournal.scan(files.journal(), from, visitor);
            return;
        }
        PositionalInput in;
        try {
            in = journalInput.open();
        } catch (IOException e) {
            throw new CoxIOException("cannot read journal " + Locations.text(files.journal()) + ": " + e, e);
        }
        RowJournal.scan(files.journal(), in, from, Long.MAX_VALUE, visitor);
    }

    /** The store's tables: those the journal defines, in order, then those only store.h5 has. */
    Map<String, Schema> tables() {
        return stable(views -> tables(views));
    }

    private Map<String, Schema> tables(List<PositionalInput> views) {
        Map<String, Schema> out = new LinkedHashMap<>();
        if (!RowJournal.exists(files.journal())) {
            StoreH5 h5 = openH5(true, views);
            try {
                for (String name : h5.tableNames()) {
                    out.put(name, h5.schema(name));
                }
            } catch (RuntimeException e) {
                throw unsound(e);
            } finally {
                release(h5);
            }
            return out;
        }
        try (Look look = new Look(null, false, views)) {
            for (TableDefinition d : look.definitions) {
                out.put(d.name(), d.schema());
            }
            out.putAll(look.externalTables);
        }
        return out;
    }

    /** The number of rows of table {@code name} now. */
    long count(String name, Schema schema) {
        return rows(name, schema, true).count();
    }

    /** The rows of table {@code name} now. */
    Columns read(String name, Schema schema) {
        return rows(name, schema, false).columns();
    }

    /** What one look at a table found: its row count, and its rows unless only counted. */
    private record TableRows(long count, Columns columns) {
    }

    private TableRows rows(String name, Schema schema, boolean countOnly) {
        return stable(views -> rows(name, schema, countOnly, views));
    }

    private TableRows rows(String name, Schema schema, boolean countOnly, List<PositionalInput> views) {
        if (!RowJournal.exists(files.journal())) {
            StoreH5 h5 = openH5(true, views);
            try {
                return h5Only(h5, name, schema, countOnly);
            } finally {
                release(h5);
            }
        }
        try (Look look = new Look(name, !countOnly, views)) {
            TableDefinition d = look.definition(name);
            if (d == null) {
                if (look.h5 != null && look.externalTables.containsKey(name)) {
                    return h5Only(look.h5, name, schema, countOnly);
                }
                return new TableRows(0, countOnly ? null : Columns.empty(schema));
            }
            return look.rowsOf(d, countOnly);
        }
    }

    /**
     * Runs one look at the store. A store.h5 that is not local may be replaced or rewritten between
     * two of the look's range requests, and the ranges kept from one version then mix with those of
     * the next: at the end of the look its size, time and key are looked at again (one metadata
     * call), and if they changed, the file kept open is dropped and the look is made again (up to
     * {@link #H5_ATTEMPTS} times), so the answer is one version's. A local store.h5 is read through
     * the operating system, which never mixes versions of a file replaced by renaming.
     *
     * @param look the look, given a list to which it adds the readers of store.h5 it opened (null
     *     for a local store)
     */
    private <T> T stable(Function<List<PositionalInput>, T> look) {
        if (local) {
            return look.apply(null);
        }
        for (int attempt = 1; ; attempt++) {
            List<PositionalInput> views = new ArrayList<>(1);
            T out = null;
            RuntimeException failed = null;
            try {
                out = look.apply(views);
            } catch (IllegalStateException closed) {
                throw closed;
            } catch (RuntimeException e) {
                failed = e; // perhaps what a mix of two versions looks like: see whether the file changed
            }
            if (unchanged(views)) {
                if (failed != null) {
                    throw failed;
                }
                return out;
            }
            if (attempt >= H5_ATTEMPTS) {
                throw new StoreFormatException(Locations.text(files.h5()) + " changed while it was read, in each of "
                        + H5_ATTEMPTS + " attempts: it is being rewritten; read it again later");
            }
            LOG.debug("{} changed while it was read; reading it again", Locations.text(files.h5()));
            pause();
        }
    }

    /** Whether store.h5 is as it was when each of {@code views} was opened. */
    private boolean unchanged(List<PositionalInput> views) {
        try {
            for (PositionalInput v : views) {
                if (!h5Input.unchanged(v)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new CoxIOException("cannot reach " + Locations.text(files.h5()) + " to check it did not change while"
                    + " it was read: " + e, e);
        }
    }

    /** A table of a store.h5 no journal speaks for: its rows if their number fits the file. */
    private TableRows h5Only(StoreH5 h5, String name, Schema schema, boolean countOnly) {
        try {
            if (TrustChecks.rowCounts(h5, files.h5()) instanceof Implausible implausible) {
                throw new StoreFormatException(implausible.why());
            }
            long n = h5.rows(name);
            if (countOnly) {
                return new TableRows(n, null);
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new StoreFormatException("table '" + name + "' of " + Locations.text(files.h5()) + " has " + n
                        + " rows, more than one data frame can hold");
            }
            return new TableRows(n, h5.read(name, schema, 0, (int) n));
        } catch (RuntimeException e) {
            throw unsound(e);
        }
    }

    /** Any failure of store.h5 as a cox exception naming it. */
    private CoxException unsound(RuntimeException e) {
        if (e instanceof CoxException c) {
            return c;
        }
        return new StoreFormatException("cannot read " + Locations.text(files.h5()) + ": " + e, e);
    }

    /**
     * Opens store.h5, retrying a few times: a writer may be replacing it at that moment.
     *
     * @param required throw if it cannot be opened (there is no journal to answer instead)
     * @param views where a store.h5 that is not local adds the reader it opened ({@link #stable})
     * @return the file, or null if it is missing or (not required) cannot be opened
     * @throws IllegalStateException if this reader was closed
     */
    private StoreH5 openH5(boolean required, List<PositionalInput> views) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < H5_ATTEMPTS; attempt++) {
            if (!Files.exists(files.h5()) && !required) {
                return null;
            }
            if (local) {
                try {
                    StoreH5 previous = kept.getAndSet(null);
                    // a look reads nothing from store.h5 once it released it (release, close)
                    return previous != null ? previous.reopen() : StoreH5.openForLook(files.h5());
                } catch (RuntimeException e) {
                    last = e;
                    pause();
                    continue;
                }
            }
            PositionalInput in;
            try {
                in = h5Input.open(); // closed: IllegalStateException, not retried
            } catch (IOException e) {
                last = new StoreFormatException("cannot open " + Locations.text(files.h5()) + ": " + e, e);
                pause();
                continue;
            }
            views.add(in);
            try {
                return StoreH5.openForReading(files.h5(), in);
            } catch (RuntimeException e) {
                last = e;
                pause();
            }
        }
        if (required) {
            throw unsound(last);
        }
        warn("cannot read " + Locations.text(files.h5()) + " (" + last.getMessage() + "); answering from the journal "
                + Locations.text(files.journal()));
        return null;
    }

    private void warn(String message) {
        if (warned.add(message)) {
            LOG.warn(message);
        }
    }

    /**
     * One look at a store with a journal: store.h5 opened first (so that a writer's store.h5 never
     * holds rows the journal scanned after it lacks), the checkpoint, the journal from the
     * checkpoint's offset, and whether store.h5 agrees with both.
     */
    private final class Look implements AutoCloseable {
        final StoreH5 h5;
        final Checkpoint cp;
        final long from;
        final List<TableDefinition> definitions = new ArrayList<>();
        /** Tables only store.h5 has, when it agrees with the checkpoint. */
        final Map<String, Schema> externalTables = new LinkedHashMap<>();
        /** Rows per table id past {@link #from}; those of the table looked at collected. */
        long[] tail = new long[16];
        final List<Object[]> collected = new ArrayList<>();
        /** Why store.h5 does not agree with the checkpoint and the journal, or null. */
        String disagreement;
        /** Why the journal cannot answer alone (it lost records the checkpoint says it had), or null. */
        String lost;

        Look(String table, boolean collect, List<PositionalInput> views) {
            StoreH5 opened = openH5(false, views);
            Checkpoint c;
            try {
                c = Checkpoint.read(files.checkpoint());
            } catch (RuntimeException e) {
                if (opened != null) {
                    opened.close();
                }
                throw e;
            }
            this.cp = c != null && c.hasDigests() ? c : null;
            this.from = cp == null ? RowJournal.HEADER_SIZE : cp.journalOffset();
            try {
                if (cp != null) {
                    definitions.addAll(JournalTables.fromJournal(cp.tables(), files.checkpoint()));
                }
                int[] wanted = {-1};
                CellEncoding[][] encodings = {null};
                if (table != null) {
                    setWanted(table, wanted, encodings);
                }
                long size = Files.size(files.journal());
                if (from > size) {
                    // store.h5 may still answer every row the checkpoint records: see rowsOf
                    lost = TrustChecks.journalLost(files, size, from);
                }
                scanJournal(Math.min(from, size), new RowJournal.Visitor() {
                    @Override
                    public void table(long offset, JournalTable t) {
                        if (t.id() == definitions.size()) {
                            definitions.add(JournalTables.fromJournal(t, files.journal()));
                            if (t.name().equals(table)) {
                                setWanted(table, wanted, encodings);
                            }
                        }
                    }

                    @Override
                    public void row(long offset, JournalRow row) {
                        int id = row.tableId();
                        if (id >= tail.length) {
                            tail = Arrays.copyOf(tail, Math.max(id + 1, 2 * tail.length));
                        }
                        tail[id]++;
                        if (collect && row.tableId() == wanted[0]) {
                            collected.add(row.cells(encodings[0]));
                        }
                    }
                });
            } catch (IOException e) {
                if (opened != null) {
                    opened.close();
                }
                throw new CoxIOException("cannot read journal " + files.journal() + ": " + e, e);
            } catch (RuntimeException e) {
                if (opened != null) {
                    opened.close();
                }
                throw e;
            }
            this.h5 = opened;
            this.disagreement = h5 == null ? "store.h5 cannot be read" : cp == null ? "there is no checkpoint with row digests"
                    : compare();
            if (disagreement != null && h5 != null && cp != null) {
                // (without a checkpoint with digests there is nothing to disagree with: the journal answers)
                if (behind && (local ? WriterProbe.isLocked(files) : !cp.closed())) {
                    // a writer's newest rows reach store.h5's readers a moment after the checkpoint counts
                    // them (docs/live-reads.md): normal while it writes, and the journal has them all; a
                    // remote store's writer (on another machine) cannot be seen, so its lag is taken as that
                    // unless the checkpoint says the store was closed: then store.h5 lost rows
                    LOG.debug("store.h5 {} is behind its writer's checkpoint ({}); answering from the journal {}",
                            Locations.text(files.h5()), disagreement, Locations.text(files.journal()));
                    return;
                }
                warn("store.h5 " + Locations.text(files.h5()) + " does not agree with the checkpoint "
                        + Locations.text(files.checkpoint()) + " and the journal (" + disagreement + "); answering from the journal " + Locations.text(files.journal()));
            }
        }

        private long tail(int id) {
            return id < tail.length ? tail[id] : 0;
        }

        private void setWanted(String table, int[] wanted, CellEncoding[][] encodings) {
            TableDefinition d = definition(table);
            if (d != null) {
                wanted[0] = d.id();
                encodings[0] = JournalTables.encodings(d.schema());
            }
        }

        TableDefinition definition(String name) {
            for (TableDefinition d : definitions) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }

        /** Whether store.h5 disagrees only in having fewer rows than the checkpoint records. */
        private boolean behind;

        /** Null if store.h5's tables agree with the checkpoint and the journal, else why not. */
        private String compare() {
            try {
                for (TableDefinition d : definitions) {
                    int i = cp.indexOf(d.name());
                    if (i >= 0 && cp.notHeld()[i]) {
                        continue;
                    }
                    long expected = i < 0 ? 0 : cp.rows()[i];
                    if (TrustChecks.compare(h5, d, expected) instanceof Mismatch mismatch) {
                        behind = mismatch instanceof FewerRows;
                        return mismatch.why(false);
                    }
                }
                for (String name : h5.tableNames()) {
                    if (definition(name) == null) {
                        externalTables.put(name, h5.schema(name));
                    }
                }
                return null;
            } catch (RuntimeException e) {
                externalTables.clear();
                return "reading it failed: " + e.getMessage();
            }
        }

        /** The rows of journal table {@code d}. */
        TableRows rowsOf(TableDefinition d, boolean countOnly) {
            int i = cp == null ? -1 : cp.indexOf(d.name());
            long tailRows = tail(d.id());
            if (cp != null && i < 0) {
                // defined after the checkpoint: every row of it is past the checkpoint's offset
                return new TableRows(tailRows, countOnly ? null : Columns.empty(d.schema()).append(collected));
            }
            if (disagreement != null || cp == null || cp.notHeld()[i]) {
                return fromJournal(d, countOnly);
            }
            long inH5 = cp.rows()[i];
            long journalRows = inH5 + tailRows;
            long external = 0;
            String why = null;
            try {
                long h5Rows = h5.rows(d.name());
                if (h5Rows > journalRows) {
                    long cap = TrustChecks.importCap(inH5);
                    RowCounts counts = TrustChecks.rowCounts(h5, files.h5());
                    if (tailRows > 0) {
                        why = "the journal also has rows of it past the checkpoint: which came first cannot be told";
                    } else if (h5Rows - journalRows > cap) {
                        why = "more than the " + cap + " cox4j takes for rows another program appended";
                    } else if (counts instanceof Implausible implausible) {
                        why = implausible.why();
                    } else {
                        external = h5Rows - journalRows;
                    }
                    if (why != null) {
                        warn("table '" + d.name() + "' in " + Locations.text(files.h5()) + " has " + (h5Rows - journalRows) + " rows beyond"
                                + " the journal's " + journalRows + ", which are not read: " + why);
                    }
                }
                if (countOnly && external == 0) {
                    return new TableRows(journalRows, null);
                }
                Columns prefix = h5.read(d.name(), d.schema(), 0, toInt(d, inH5));
                if (prefix.digest(RowDigest.EMPTY) != cp.digests()[i]) {
                    warn("table '" + d.name() + "' in " + Locations.text(files.h5()) + " does not hold the rows the checkpoint "
                            + Locations.text(files.checkpoint()) + " records (row digest); answering from the journal " + Locations.text(files.journal()));
                    return fromJournal(d, countOnly);
                }
                Columns rows = prefix.append(collected);
                if (external > 0) {
                    rows = concat(d, rows, h5.read(d.name(), d.schema(), journalRows, toInt(d, external)));
                }
                return new TableRows(journalRows + external, countOnly ? null : rows);
            } catch (RuntimeException e) {
                warn("table '" + d.name() + "' in " + Locations.text(files.h5()) + " cannot be read (" + e.getMessage() + "); answering"
                        + " from the journal " + Locations.text(files.journal()));
                return fromJournal(d, countOnly);
            }
        }

        private int toInt(TableDefinition d, long n) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new StoreFormatException("table '" + d.name() + "' of " + Locations.text(files.dir()) + " has " + n
                        + " rows, more than one data frame can hold");
            }
            return (int) n;
        }

        private Columns concat(TableDefinition d, Columns a, Columns b) {
            List<Object[]> rows = new ArrayList<>(b.rows());
            for (int r = 0; r < b.rows(); r++) {
                rows.add(b.row(r));
            }
            return a.append(rows);
        }

        /** Every row of {@code d} from the journal alone. */
        private TableRows fromJournal(TableDefinition d, boolean countOnly) {
            if (lost != null) {
                throw new StoreRecoveryException(lost);
            }
            if (from == RowJournal.HEADER_SIZE) {
                return new TableRows(tail(d.id()),
                        countOnly ? null : Columns.empty(d.schema()).append(collected));
            }
            CellEncoding[] encodings = JournalTables.encodings(d.schema());
            long[] count = {0};
            List<Object[]> rows = new ArrayList<>();
            scanJournal(RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
                @Override
                public void row(long offset, JournalRow row) {
                    if (row.tableId() == d.id()) {
                        count[0]++;
                        if (!countOnly) {
                            rows.add(row.cells(encodings));
                        }
                    }
                }
            });
            return new TableRows(count[0], countOnly ? null : Columns.empty(d.schema()).append(rows));
        }

        @Override
        public void close() {
            release(h5);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
