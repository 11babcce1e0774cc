package cox.store;

import cox.exceptions.StoreFormatException;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading side of a store opened with {@link Mode#READ}: never writes a byte, and may read a
 * store another process is writing. A table's rows are those of {@code store.h5} followed by the
 * rows the journal holds beyond them (the tail the writer's flusher has not applied yet); if
 * {@code store.h5} cannot be read at that moment (the writer is changing it), the journal alone,
 * which holds every row, answers.
 */
final class StoreReader {
    private static final int H5_ATTEMPTS = 5;

    private final StoreFiles files;

    StoreReader(StoreFiles files) {
        this.files = files;
    }

    /** The store's tables: those the journal defines, in order, then those only store.h5 has. */
    Map<String, Schema> tables() {
        Map<String, Schema> out = new LinkedHashMap<>();
        if (RowJournal.exists(files.journal())) {
            for (TableDefinition d : journalDefinitions()) {
                out.put(d.name(), d.schema());
            }
        }
        if (Files.exists(files.h5())) {
            try (StoreH5 h5 = openH5()) {
                if (h5 != null) {
                    for (String name : h5.tableNames()) {
                        out.putIfAbsent(name, h5.schema(name));
                    }
                } else if (!RowJournal.exists(files.journal())) {
                    // no journal to fall back on: report why store.h5 cannot be read
                    StoreH5.open(files.h5(), false).close();
                }
            }
        }
        return out;
    }

    private List<TableDefinition> journalDefinitions() {
        List<TableDefinition> defs = new ArrayList<>();
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        long from = RowJournal.HEADER_SIZE;
        if (cp != null) {
            defs.addAll(JournalTables.fromJournal(cp.tables(), files.checkpoint()));
            from = cp.journalOffset();
        }
        RowJournal.scan(files.journal(), from, new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable t) {
                if (t.id() == defs.size()) {
                    defs.add(JournalTables.fromJournal(t, files.journal()));
                }
            }
        });
        return defs;
    }

    private StoreH5 openH5() {
        StoreFormatException last = null;
        for (int attempt = 0; attempt < H5_ATTEMPTS; attempt++) {
            try {
                return StoreH5.open(files.h5(), false);
            } catch (StoreFormatException e) {
                last = e;
                pause();
            }
        }
        if (!RowJournal.exists(files.journal()) && last != null) {
            throw last;
        }
        return null;
    }

    /** The number of rows of table {@code name} now. */
    long count(String name, Schema schema) {
        return scan(name, schema, true).count();
    }

    /** The rows of table {@code name} now. */
    Columns read(String name, Schema schema) {
        return scan(name, schema, false).columns();
    }

    /** What one look at a table found: its row count, and its rows unless only counted. */
    private record TableRows(long count, Columns columns) {
    }

    private TableRows scan(String name, Schema schema, boolean countOnly) {
        long n = 0;
        Columns columns = null;
        boolean h5Read = false;
        if (Files.exists(files.h5())) {
            for (int attempt = 0; attempt < H5_ATTEMPTS && !h5Read; attempt++) {
                try (StoreH5 h5 = StoreH5.open(files.h5(), false)) {
                    n = h5.rows(name);
                    if (!countOnly) {
                        columns = h5.read(name, schema, 0, (int) n);
                    }
                    h5Read = true;
                } catch (StoreFormatException e) {
                    if (!RowJournal.exists(files.journal()) && attempt == H5_ATTEMPTS - 1) {
                        throw e;
                    }
                    pause();
                }
            }
        }
        if (!h5Read) {
            n = 0;
            columns = countOnly ? null : Columns.empty(schema);
        }
        if (!RowJournal.exists(files.journal())) {
            return new TableRows(n, columns);
        }
        JournalTail tail = journalTail(name, schema, n, h5Read, !countOnly);
        return new TableRows(n + tail.count, countOnly ? null : columns.append(tail.rows));
    }

    /**
     * The rows of one table in the journal past the first {@code inH5}: counted, and collected
     * unless only counted.
     */
    private static final class JournalTail implements RowJournal.Visitor {
        private final String name;
        private final CellEncoding[] encodings;
        private final long inH5;
        private final boolean collect;
        /** The table's id in the journal, once a definition names it; -1 before. */
        int tableId = -1;
        /** Rows of the table met so far, counting from the first row of the table. */
        long seen;
        long count;
        final List<Object[]> rows = new ArrayList<>();

        JournalTail(String name, Schema schema, long seen, long inH5, boolean collect) {
            this.name = name;
            this.encodings = JournalTables.encodings(schema);
            this.seen = seen;
            this.inH5 = inH5;
            this.collect = collect;
        }

        @Override
        public void table(long offset, JournalTable t) {
            if (t.name().equals(name)) {
                tableId = t.id();
            }
        }

        @Override
        public void row(long offset, JournalRow row) {
            if (row.tableId() == tableId && seen++ >= inH5) {
                count++;
                if (collect) {
                    rows.add(row.cells(encodings));
                }
            }
        }
    }

    private JournalTail journalTail(String name, Schema schema, long inH5, boolean h5Read, boolean collect) {
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        long from = RowJournal.HEADER_SIZE;
        long seen = 0;
        int id = -1;
        if (h5Read && cp != null) {
            for (JournalTable t : cp.tables()) {
                if (t.name().equals(name)) {
                    id = t.id();
                }
            }
            if (id < 0 || cp.rows()[id] <= inH5) {
                // start at the checkpoint: the rows before it are in store.h5
                from = cp.journalOffset();
                seen = id < 0 ? 0 : cp.rows()[id];
            } else {
                id = -1;
            }
        }
        JournalTail tail = new JournalTail(name, schema, seen, inH5, collect);
        if (from > RowJournal.HEADER_SIZE) {
            tail.tableId = id;
        }
        RowJournal.scan(files.journal(), from, tail);
        return tail;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
