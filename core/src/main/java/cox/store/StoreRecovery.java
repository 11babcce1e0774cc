package cox.store;

import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a store for writing: makes the journal, {@code store.h5} and the checkpoint agree
 * before the writer starts. A consistent checkpoint lets the journal's tail be applied to
 * {@code store.h5}; anything else (no or damaged checkpoint, a crash while the flusher was
 * writing, a damaged or missing {@code store.h5}, a table that does not match) rebuilds
 * {@code store.h5} from the whole journal. A store without a journal (new, or written by Python
 * cox or pandas) is adopted: its rows are copied into a new journal. Rows another program
 * appended to {@code store.h5} since the checkpoint are copied into the journal too.
 */
final class StoreRecovery {
    /** Rows read from store.h5 at a time when they are copied into the journal. */
    private static final int IMPORT_BATCH = StoreView.APPLY_BATCH;
    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

    private StoreRecovery() {
    }

    /**
     * Opens the store's files for writing, recovering them if needed, and starts the writer. The
     * caller holds the store lock.
     *
     * @param fresh discard existing tables first (mode "w")
     * @throws StoreRecoveryException if the journal is damaged or store.h5 cannot be rebuilt
     */
    static StoreWriter open(StoreFiles files, Durability durability, boolean fresh) {
        if (fresh) {
            files.deleteData();
        }
        boolean fsync = durability == Durability.FSYNC;
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        boolean h5Exists = Files.exists(files.h5());
        if (!RowJournal.exists(files.journal())) {
            return adopt(files, fsync, h5Exists);
        }
        // the journal is the truth: read what the checkpoint does not already say
        boolean trustCheckpoint = cp != null && cp.consistent() && h5Exists;
        JournalScan scan = new JournalScan(files.journal(),
                trustCheckpoint ? JournalTables.fromJournal(cp.tables(), files.checkpoint()) : List.of(),
                trustCheckpoint ? cp.rows() : new long[0]);
        long validEnd;
        try {
            validEnd = RowJournal.scan(files.journal(), trustCheckpoint ? cp.journalOffset() : RowJournal.HEADER_SIZE, scan);
        } catch (StoreRecoveryException | StoreFormatException e) {
            throw e.withContext("cannot open store " + files.dir() + " for writing (its journal is left as it is: no"
                    + " record is cut off a damaged journal)");
        }
        JournalWriter journal = new JournalWriter(RowJournal.openForAppend(files.journal(), fsync, validEnd),
                scan.definitions, scan.rows);
        StoreView view = null;
        try {
            if (trustCheckpoint) {
                view = openTrustedView(files, journal, cp);
            }
            if (view == null) {
                view = rebuildView(files, journal, cp == null ? "there is no valid checkpoint"
                        : !h5Exists ? "store.h5 is missing"
                        : !cp.consistent() ? "the writer stopped while it was changing store.h5"
                        : "store.h5 does not match the checkpoint");
            }
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return StoreWriter.start(files, journal, view);
    }

    /** The tables the journal defines past a point, and every table's rows there. */
    private static final class JournalScan implements RowJournal.Visitor {
        private final Path path;
        final List<TableDefinition> definitions;
        long[] rows;

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
            rows[id]++;
        }
    }

    /** No journal yet: a new store, or one Python (or cox4j before its journal existed) wrote. */
    private static StoreWriter adopt(StoreFiles files, boolean fsync, boolean h5Exists) {
        JournalWriter journal = new JournalWriter(RowJournal.create(files.journal(), fsync), List.of(), new long[0]);
        StoreView view = null;
        try {
            StoreH5 h5;
            if (h5Exists) {
                try {
                    h5 = StoreH5.open(files.h5(), true);
                } catch (StoreFormatException e) {
                    throw new StoreRecoveryException("cannot open " + files.h5() + " and there is no journal "
                            + files.journal() + " to rebuild it from: " + e.getMessage(), e);
                }
            } else {
                h5 = StoreH5.create(files.h5());
            }
            view = new StoreView(files, h5, RowJournal.HEADER_SIZE, new long[0]);
            for (String name : h5.tableNames()) {
                importRows(h5, name, 0, h5.rows(name), journal, view);
            }
            view.skipTo(journal.end());
            view.writeCheckpoint(true, journal.definitions());
        } catch (RuntimeException e) {
            closeQuietly(view);
            journal.close();
            files.deleteJournal();
            throw e;
        }
        return StoreWriter.start(files, journal, view);
    }

    /** Rows of a table that store.h5 holds past what the journal has: another program appended them. */
    private record ExternalRows(String table, long from, long count) {
    }

    /**
     * store.h5 opened against a consistent checkpoint, the journal's tail applied and the rows
     * another program (pandas, Python cox) added copied into the journal; null if it does not
     * match the checkpoint (then it must be rebuilt).
     */
    private static StoreView openTrustedView(StoreFiles files, JournalWriter journal, Checkpoint cp) {
        StoreH5 h5;
        try {
            h5 = StoreH5.open(files.h5(), true);
        } catch (StoreFormatException e) {
            LOG.warn("{}; rebuilding it from the journal", e.getMessage());
            return null;
        }
        StoreView view = new StoreView(files, h5, cp.journalOffset(),
                Arrays.copyOf(cp.rows(), Math.max(cp.rows().length, journal.definitions().size())));
        try {
            List<TableDefinition> checkpointed = JournalTables.fromJournal(cp.tables(), files.checkpoint());
            List<ExternalRows> external = new ArrayList<>();
            for (TableDefinition d : checkpointed) {
                long expected = cp.rows()[d.id()];
                boolean present = h5.hasTable(d.name());
                if (present ? !h5.schema(d.name()).sameLayout(d.schema()) || h5.rows(d.name()) < expected
                        : expected != 0) {
                    LOG.warn("table '{}' in {} does not match the checkpoint; rebuilding it from the journal",
                            d.name(), files.h5());
                    view.close();
                    return null;
                }
                if (present && h5.rows(d.name()) > expected) {
                    external.add(new ExternalRows(d.name(), expected, h5.rows(d.name()) - expected));
                }
            }
            for (String name : h5.tableNames()) {
                if (checkpointed.stream().noneMatch(d -> d.name().equals(name))) {
                    external.add(new ExternalRows(name, 0, h5.rows(name)));
                }
            }
            // the journal's rows past the checkpoint go in after the external ones, which then join the journal
            view.applyTo(journal.end(), journal);
            for (ExternalRows x : external) {
                LOG.info("importing {} rows that another program appended to table '{}' in {}", x.count(), x.table(),
                        files.h5());
                importRows(h5, x.table(), x.from(), x.count(), journal, view);
            }
            if (!external.isEmpty()) {
                view.skipTo(journal.end());
                view.writeCheckpoint(true, journal.definitions());
            }
            return view;
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /**
     * Copies rows of a table store.h5 holds but the journal does not into the journal (defining
     * the table first if the journal does not know it); they stay in store.h5 as they are.
     */
    private static void importRows(StoreH5 h5, String name, long fromRow, long count, JournalWriter journal,
            StoreView view) {
        TableDefinition def = journal.definitionOf(name);
        if (def == null) {
            def = journal.define(name, h5.schema(name));
        }
        CellEncoding[] encodings = JournalTables.encodings(def.schema());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (long first = fromRow; first < fromRow + count; first += IMPORT_BATCH) {
            int n = (int) Math.min(IMPORT_BATCH, fromRow + count - first);
            Columns columns = h5.read(name, def.schema(), first, n);
            for (int r = 0; r < n; r++) {
                buf = RowJournal.encodeRow(buf, def.id(), encodings, columns.row(r));
                journal.append(buf, def.id());
            }
        }
        view.setRows(def.id(), h5.rows(name));
    }

    /** Writes a new store.h5 from the whole journal beside the old one, then puts it in its place. */
    private static StoreView rebuildView(StoreFiles files, JournalWriter journal, String why) {
        Path tmp = files.h5().resolveSibling(".store.h5.rebuild");
        LOG.warn("rebuilding {} from the journal {}: {}", files.h5(), files.journal(), why);
        StoreView view = null;
        try {
            view = new StoreView(files, StoreH5.create(tmp), RowJournal.HEADER_SIZE,
                    new long[journal.definitions().size()]);
            view.applyRange(journal.end(), journal);
            view.publish(tmp);
            view.writeCheckpoint(true, journal.definitions());
            return view;
        } catch (RuntimeException e) {
            closeQuietly(view);
            throw new StoreRecoveryException("cannot rebuild " + files.h5() + " from the journal " + files.journal()
                    + " (tried because " + why + "): " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(StoreView view) {
        if (view != null) {
            try {
                view.close();
            } catch (RuntimeException ignored) {
                // the original failure is reported
            }
        }
    }
}
