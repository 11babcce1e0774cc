package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.store.TrustChecks.Held;
import cox.store.TrustChecks.Implausible;
import cox.store.TrustChecks.Mismatch;
import cox.store.TrustChecks.TableInH5;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a store for writing: makes the journal, {@code store.h5} and the checkpoint agree
 * before the writer starts (docs/trust.md). The journal is the truth. A consistent checkpoint with
 * row digests, whose tables {@code store.h5} matches, lets the journal's tail be applied to
 * {@code store.h5}; anything else (no, damaged or older checkpoint, a crash while the flusher was
 * writing, a table store.h5 did not hold, a damaged or missing {@code store.h5}, a table that does
 * not match) rebuilds {@code store.h5} from the whole journal. A store without a journal (new, or
 * written by Python cox or pandas) is adopted: its rows are copied into a new journal.
 *
 * <p>Rows another program appended to {@code store.h5} since the checkpoint are copied into the
 * journal only when store.h5 reads as sound and their number is plausible ({@link TrustChecks});
 * otherwise store.h5 is set aside ({@code store.h5.set-aside}, nothing is deleted) and rebuilt from
 * the journal. A damaged journal is never cut: the store is refused.
 *
 * <p>Recovery starts no writer: {@link Store} starts one over what {@link #open} returns.
 */
final class StoreRecovery {
    /** Rows read from store.h5 at a time when they are copied into the journal. */
    private static final int IMPORT_BATCH = StoreView.APPLY_BATCH;
    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

    private StoreRecovery() {
    }

    /**
     * A store's files recovered for writing: the journal open for appending, and store.h5 as a view
     * of it that agrees with it and with the checkpoint. Whoever receives it closes both.
     */
    record Recovered(JournalWriter journal, StoreView view) {
    }

    /**
     * What becomes of store.h5 when a writer opens the store: it is opened as it is (the journal's
     * tail applied), or it is rebuilt from the journal.
     */
    private sealed interface StoreH5Decision permits Opened, Rebuild {
    }

    /** store.h5 opened as it is, brought up to the journal's end. */
    private record Opened(StoreView view) implements StoreH5Decision {
    }

    /**
     * Why store.h5 is rebuilt from the journal, and whether it is set aside first because it
     * may hold rows the journal does not.
     */
    private record Rebuild(String why, boolean setAside) implements StoreH5Decision, CheckpointComparison {
    }

    /**
     * store.h5's tables compared with the checkpoint's: they match (with the rows another program
     * appended since), or store.h5 is rebuilt.
     */
    private sealed interface CheckpointComparison permits Matches, Rebuild {
    }

    /** store.h5 matches the checkpoint; {@code external} are the rows it holds past the journal's. */
    private record Matches(List<ExternalRows> external) implements CheckpointComparison {
    }

    /** Rows of a table that store.h5 holds past what the journal has: another program appended them. */
    private record ExternalRows(String table, TableDefinition definition, long from, long count) {
    }

    /**
     * Opens the store's files for writing, recovering them if needed. The caller holds the store
     * lock, and starts the writer over what this returns.
     *
     * @param fresh discard existing tables first (mode "w")
     * @throws StoreRecoveryException if the journal is damaged or store.h5 cannot be rebuilt
     */
    static Recovered open(StoreFiles files, Durability durability, boolean fresh) {
        if (fresh) {
            files.deleteData();
        }
        files.deleteLeftovers();
        boolean fsync = durability == Durability.FSYNC;
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        if (cp != null && cp.closed()) {
            // a writer has the store again: until it closes it, a reader must not take it for closed
            cp = cp.withClosed(false);
            cp.write(files.checkpoint());
        }
        boolean h5Exists = Files.exists(files.h5());
        if (!RowJournal.exists(files.journal())) {
            if (cp != null) {
                throw new StoreRecoveryException("cannot open store " + files.dir() + " for writing: the checkpoint "
                        + files.checkpoint() + " records journal records up to offset " + cp.journalOffset() + ", but there"
                        + " is no journal " + files.journal() + ": the journal is lost (if that is known and accepted,"
                        + " delete the checkpoint to adopt store.h5 as a store without a journal)");
            }
            return adopt(files, fsync, h5Exists);
        }
        // the journal is the truth: read what a checkpoint we trust does not already say
        Optional<Rebuild> distrust = distrust(cp, h5Exists);
        boolean trusted = distrust.isEmpty();
        JournalScan scan = new JournalScan(files.journal(),
                trusted ? JournalTables.fromJournal(cp.tables(), files.checkpoint()) : List.of(),
                trusted ? cp.rows() : new long[0]);
        long validEnd;
        long journalSize;
        try {
            journalSize = size(files.journal());
            if (cp != null && cp.journalOffset() > journalSize) {
                throw new StoreRecoveryException(TrustChecks.journalLost(files, journalSize, cp.journalOffset())
                        + " (if that is known and accepted, delete the checkpoint to open the store with the journal's"
                        + " records alone)");
            }
            validEnd = RowJournal.scan(files.journal(), trusted ? cp.journalOffset() : RowJournal.HEADER_SIZE, scan);
        } catch (StoreRecoveryException | StoreFormatException e) {
            throw e.withContext("cannot open store " + files.dir() + " for writing (its journal is left as it is: no"
                    + " record is cut off a damaged journal)");
        }
        if (validEnd < journalSize) {
            LOG.warn("cutting the torn last record off the journal {}: {} bytes at offset {}", files.journal(),
                    journalSize - validEnd, validEnd);
        }
        JournalWriter journal = new JournalWriter(RowJournal.openForAppend(files.journal(), fsync, validEnd),
                scan.definitions, scan.rows);
        StoreView view;
        try {
            StoreH5Decision decision = trusted ? openTrustedView(files, journal, cp, scan) : distrust.get();
            view = decision instanceof Opened opened ? opened.view() : rebuildView(files, journal, (Rebuild) decision);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return new Recovered(journal, view);
    }

    /** Why the checkpoint does not let store.h5 be opened as it is, if it does not. */
    private static Optional<Rebuild> distrust(Checkpoint cp, boolean h5Exists) {
        String why = cp == null ? "there is no valid checkpoint"
                : !cp.hasDigests() ? "the checkpoint was written by an earlier cox4j (without row digests)"
                : !cp.consistent() ? "the writer stopped while it was changing store.h5, or found store.h5 not as written"
                : cp.anyNotHeld() ? "store.h5 did not hold every table"
                : !h5Exists ? "store.h5 is missing"
                : null;
        return why == null ? Optional.empty() : Optional.of(new Rebuild(why, false));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new CoxIOException("cannot read journal " + p + ": " + e, e);
        }
    }

    /** The tables the journal defines past a point, every table's rows there, and those past the point. */
    private static final class JournalScan implements RowJournal.Visitor {
        private final Path path;
        final List<TableDefinition> definitions;
        long[] rows;
        long[] tail = new long[64];

        JournalScan(Path path, List<TableDefinition> known, long[] knownRows) {
            this.path = path;
            this.definitions = new ArrayList<>(known);
            this.rows = Arrays.copyOf(knownRows, Math.max(64, knownRows.length));
        }

        @Override
        public void table(long offset, JournalTable t) {
            if (t.id() == definitions.size()) {
                definitions.add(JournalTables.fromJournal(t, path));
            }
        }

        @Override
        public void row(long offset, JournalRow row) {
            int id = row.tableId();
            if (id >= definitions.size()) {
                throw new StoreRecoveryException("journal " + path + " has a row of table #" + id + " at offset " + offset
                        + " before that table is defined");
            }
            if (id >= rows.length) {
                rows = Arrays.copyOf(rows, Math.max(id + 1, 2 * rows.length));
            }
            if (id >= tail.length) {
                tail = Arrays.copyOf(tail, Math.max(id + 1, 2 * tail.length));
            }
            rows[id]++;
            tail[id]++;
        }

        long tail(int id) {
            return id < tail.length ? tail[id] : 0;
        }
    }

    /**
     * No journal yet: a new store, or one Python (or cox4j before its journal existed) wrote. The
     * journal is written beside its place and moved there once it holds every row of store.h5, so
     * that a journal in place is never a half-made one.
     */
    private static Recovered adopt(StoreFiles files, boolean fsync, boolean h5Exists) {
        Path made = files.journalBeingMade();
        JournalWriter journal = new JournalWriter(RowJournal.create(made, fsync), List.of(), new long[0]);
        StoreView view = null;
        try {
            StoreH5 h5;
            if (h5Exists) {
                try {
                    h5 = StoreH5.open(files, files.h5(), true);
                } catch (RuntimeException e) {
                    throw new StoreRecoveryException("cannot open " + files.h5() + " and there is no journal "
                            + files.journal() + " to rebuild it from: " + e.getMessage(), e);
                }
            } else {
                h5 = StoreH5.create(files, files.h5());
            }
            view = new StoreView(files, h5, RowJournal.HEADER_SIZE, new long[0], new long[0]);
            try {
                if (TrustChecks.rowCounts(h5, files.h5()) instanceof Implausible implausible) {
                    throw new StoreFormatException(implausible.why());
                }
                for (String name : h5.tableNames()) {
                    TableDefinition def = journal.define(name, h5.schema(name));
                    long count = h5.rows(name);
                    TrustChecks.checkReadable(h5, def, 0, count);
                    importRows(h5, def, 0, count, RowDigest.EMPTY, journal, view);
                }
            } catch (CoxIOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StoreRecoveryException("cannot adopt " + files.h5() + " (a store without a journal) into "
                        + files.journal() + ": " + e.getMessage() + "; there is no journal to rebuild it from", e);
            }
            long end = journal.end();
            List<TableDefinition> definitions = journal.definitions();
            long[] rows = new long[definitions.size()];
            for (TableDefinition d : definitions) {
                rows[d.id()] = journal.rows(d.id());
            }
            journal.force();
            journal.close();
            files.moveIntoPlace(made, files.journal());
            journal = new JournalWriter(RowJournal.openForAppend(files.journal(), fsync, end), definitions, rows);
            view.skipTo(end);
            view.writeCheckpoint(true, journal.definitions());
        } catch (RuntimeException e) {
            closeQuietly(view);
            journal.close();
            files.deleteQuietly(made);
            throw e;
        }
        return new Recovered(journal, view);
    }

    /**
     * store.h5 opened against a consistent checkpoint with digests, the journal's tail applied and
     * the rows another program (pandas, Python cox) added copied into the journal; or, if store.h5
     * does not match the checkpoint or its extra rows are not to be imported, the {@link Rebuild}.
     */
    private static StoreH5Decision openTrustedView(StoreFiles files, JournalWriter journal, Checkpoint cp,
            JournalScan scan) {
        StoreH5 h5;
        try {
            h5 = StoreH5.open(files, files.h5(), true);
        } catch (RuntimeException e) {
            // pandas may still read what cox4j cannot: set aside, never overwritten
            return new Rebuild("store.h5 cannot be read: " + e.getMessage(), true);
        }
        int n = Math.max(cp.rows().length, journal.definitions().size());
        StoreView view = new StoreView(files, h5, cp.journalOffset(), Arrays.copyOf(cp.rows(), n),
                Arrays.copyOf(cp.digests(), n));
        boolean keep = false;
        try {
            CheckpointComparison comparison;
            try {
                comparison = compare(files, journal, cp, h5);
                if (comparison instanceof Matches matches) {
                    comparison = checkImport(files, h5, scan, matches);
                }
            } catch (RuntimeException e) {
                // whatever store.h5 throws while it is looked at means it is not sound
                comparison = new Rebuild("store.h5 cannot be read: " + e.getMessage(), true);
            }
            if (comparison instanceof Rebuild rebuild) {
                return rebuild;
            }
            List<ExternalRows> external = ((Matches) comparison).external();
            try {
                // the journal's rows past the checkpoint go in first; the external rows are of other tables
                view.applyTo(journal.end(), journal);
                for (ExternalRows x : external) {
                    LOG.info("importing {} rows that another program appended to table '{}' in {}", x.count(), x.table(),
                            files.h5());
                    TableDefinition def = x.definition() != null ? x.definition()
                            : journal.define(x.table(), h5.schema(x.table()));
                    importRows(h5, def, x.from(), x.count(), view.digest(def.id()), journal, view);
                }
                if (!external.isEmpty()) {
                    view.skipTo(journal.end());
                    view.writeCheckpoint(true, journal.definitions());
                }
            } catch (StoreRecoveryException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new StoreRecoveryException("cannot bring " + files.h5() + " up to date from the journal " + files.journal()
                        + " (its rows past the checkpoint " + files.checkpoint() + "): " + e.getMessage(), e);
            }
            keep = true;
            return new Opened(view);
        } finally {
            if (!keep) {
                // a view given up on writes nothing (and cannot hide the failure with one of its own): the
                // checkpoint already says whether store.h5 is to be rebuilt
                view.abandon();
            }
        }
    }

    /**
     * Compares store.h5's tables with the checkpoint's: they match, with the rows another program
     * appended; or the rebuild.
     */
    private static CheckpointComparison compare(StoreFiles files, JournalWriter journal, Checkpoint cp, StoreH5 h5) {
        List<ExternalRows> external = new ArrayList<>();
        List<TableDefinition> checkpointed = JournalTables.fromJournal(cp.tables(), files.checkpoint());
        for (TableDefinition d : checkpointed) {
            long expected = cp.rows()[d.id()];
            TableInH5 found = TrustChecks.compare(h5, d, expected);
            if (found instanceof Mismatch mismatch) {
                return new Rebuild(mismatch.why(true), false);
            }
            if (found instanceof Held held && held.rows() > expected) {
                external.add(new ExternalRows(d.name(), d, expected, held.rows() - expected));
            }
        }
        for (String name : h5.tableNames()) {
            if (cp.indexOf(name) >= 0) {
                continue;
            }
            TableDefinition d = journal.definitionOf(name);
            if (d != null) {
                return new Rebuild("table '" + name + "' is in store.h5 but not in the checkpoint, and the journal"
                        + " defines it after the checkpoint: which rows are whose cannot be told",
                        h5.rows(name) > journal.rows(d.id()));
            }
            external.add(new ExternalRows(name, null, 0, h5.rows(name)));
        }
        return new Matches(external);
    }

    /**
     * Whether the rows another program appended may be imported: store.h5 reads as sound, their
     * number is plausible, and the journal has no rows of those tables past the checkpoint (or
     * the order of the rows could not be told). {@code matches} if so, else the rebuild, store.h5
     * set aside.
     */
    private static CheckpointComparison checkImport(StoreFiles files, StoreH5 h5, JournalScan scan, Matches matches) {
        if (matches.external().isEmpty()) {
            return matches;
        }
        if (TrustChecks.rowCounts(h5, files.h5()) instanceof Implausible implausible) {
            return new Rebuild(implausible.why(), true);
        }
        for (ExternalRows x : matches.external()) {
            String rows = x.count() + " rows of table '" + x.table() + "' in store.h5";
            if (x.definition() != null) {
                if (scan.tail(x.definition().id()) > 0) {
                    return new Rebuild(rows + " are past the " + x.from() + " the checkpoint records, but the journal"
                            + " also has " + scan.tail(x.definition().id()) + " rows of it past the checkpoint: which came"
                            + " first cannot be told", true);
                }
                long cap = TrustChecks.importCap(x.from());
                if (x.count() > cap) {
                    return new Rebuild(rows + " are past the " + x.from() + " the checkpoint records, more than the "
                            + cap + " cox4j takes for rows another program appended (docs/trust.md)", true);
                }
            }
            TableDefinition def = x.definition() != null ? x.definition()
                    : new TableDefinition(-1, x.table(), h5.schema(x.table()));
            TrustChecks.checkReadable(h5, def, x.from(), x.count());
        }
        return matches;
    }

    /**
     * Copies rows of a table store.h5 holds but the journal does not into the journal; they stay
     * in store.h5 as they are.
     */
    private static void importRows(StoreH5 h5, TableDefinition def, long fromRow, long count, long digest,
            JournalWriter journal, StoreView view) {
        CellEncoding[] encodings = JournalTables.encodings(def.schema());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long d = digest;
        for (long first = fromRow; first < fromRow + count; first += IMPORT_BATCH) {
            int n = (int) Math.min(IMPORT_BATCH, fromRow + count - first);
            Columns columns = h5.read(def.name(), def.schema(), first, n);
            for (int r = 0; r < n; r++) {
                buf = RowJournal.encodeRow(buf, def.id(), encodings, columns.row(r));
                journal.append(buf, def.id());
            }
            d = columns.digest(d);
        }
        view.setRows(def.id(), fromRow + count, d);
    }

    /**
     * Writes a new store.h5 from the whole journal beside the old one, then puts it in its place;
     * the old one is first set aside if it may hold rows the journal does not.
     */
    private static StoreView rebuildView(StoreFiles files, JournalWriter journal, Rebuild rebuild) {
        Path tmp = files.rebuild();
        String why = rebuild.why();
        if (rebuild.setAside() || holdsRowsTheJournalDoesNot(files, journal)) {
            Path aside = files.setAside();
            LOG.warn("{} may hold rows the journal {} does not; it is kept as {}", files.h5(), files.journal(), aside);
        }
        LOG.warn("rebuilding {} from the journal {}: {}", files.h5(), files.journal(), why);
        StoreView view = null;
        try {
            view = new StoreView(files, StoreH5.create(files, tmp), RowJournal.HEADER_SIZE,
                    new long[journal.definitions().size()], new long[journal.definitions().size()]);
            view.applyRange(journal.end(), journal);
            view.publish(tmp);
            view.writeCheckpoint(true, journal.definitions());
            if (!view.notHeld().isEmpty()) {
                LOG.warn("the rebuilt {} does not hold table(s) {}; their rows are in the journal {}", files.h5(),
                        names(view.notHeld().keySet(), journal), files.journal());
            }
            return view;
        } catch (RuntimeException e) {
            closeQuietly(view);
            files.deleteQuietly(tmp);
            throw new StoreRecoveryException("cannot rebuild " + files.h5() + " from the journal " + files.journal()
                    + " (tried because " + why + "): " + e.getMessage(), e);
        }
    }

    private static List<String> names(Iterable<Integer> ids, JournalWriter journal) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(journal.definitionById(id).name());
        }
        return out;
    }

    /**
     * Whether the store.h5 about to be rebuilt has a table the journal does not define, or more
     * rows of a table than the journal: rows another program wrote, which a rebuild must not
     * destroy. A store.h5 that cannot be read may hold them too (another reader may manage where
     * cox4j refuses), so it counts as holding them.
     */
    private static boolean holdsRowsTheJournalDoesNot(StoreFiles files, JournalWriter journal) {
        if (!Files.exists(files.h5())) {
            return false;
        }
        try (StoreH5 h5 = StoreH5.open(files, files.h5(), false)) {
            for (String name : h5.tableNames()) {
                TableDefinition d = journal.definitionOf(name);
                if (d == null ? h5.rows(name) > 0 : h5.rows(name) > journal.rows(d.id())) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** Closes a view given up on after a failure, without writing to its file: the original failure is reported. */
    private static void closeQuietly(StoreView view) {
        if (view != null) {
            try {
                view.abandon();
            } catch (RuntimeException ignored) {
                // the original failure is reported
            }
        }
    }
}
