package cox.store;

import cox.exceptions.StoreFormatException;
import cox.store.hdf5.PandasStoreFile;
import cox.store.hdf5.PandasTable;
import cox.store.journal.CellEncoding;
import cox.store.journal.Checkpoint;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
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
            try (PandasStoreFile f = openH5()) {
                if (f != null) {
                    for (String name : f.tableNames()) {
                        out.putIfAbsent(name, FrameColumns.schemaOf(f.table(name), files.h5()));
                    }
                } else if (!RowJournal.exists(files.journal())) {
                    // no journal to fall back on: report why store.h5 cannot be read
                    PandasStoreFile.open(files.h5(), false).close();
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

    private PandasStoreFile openH5() {
        StoreFormatException last = null;
        for (int attempt = 0; attempt < H5_ATTEMPTS; attempt++) {
            try {
                return PandasStoreFile.open(files.h5(), false);
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

    /**
     * The rows of table {@code name} now.
     *
     * @param countOnly count the rows without reading them
     * @param rowCount receives the number of rows
     * @return the column arrays, or null when {@code countOnly}
     */
    Object[] read(String name, Schema schema, boolean countOnly, long[] rowCount) {
        long n = 0;
        Object[] columns = null;
        boolean h5Read = false;
        if (Files.exists(files.h5())) {
            for (int attempt = 0; attempt < H5_ATTEMPTS && !h5Read; attempt++) {
                try (PandasStoreFile f = PandasStoreFile.open(files.h5(), false)) {
                    PandasTable t = f.table(name);
                    n = t == null ? 0 : t.nrows();
                    if (!countOnly) {
                        columns = t == null ? ColumnArrays.empty(schema) : t.read(0, (int) n);
                    }
                    h5Read = true;
                } catch (StoreFormatException | IndexOutOfBoundsException e) {
                    if (!RowJournal.exists(files.journal()) && attempt == H5_ATTEMPTS - 1) {
                        throw e;
                    }
                    pause();
                }
            }
        }
        if (!h5Read) {
            n = 0;
            columns = countOnly ? null : ColumnArrays.empty(schema);
        }
        List<Object[]> tail = new ArrayList<>();
        long tailCount = 0;
        if (RowJournal.exists(files.journal())) {
            tailCount = journalTail(name, schema, n, h5Read, countOnly ? null : tail);
        }
        rowCount[0] = n + tailCount;
        return countOnly ? null : ColumnArrays.append(columns, (int) n, tail);
    }

    /** Rows of {@code name} in the journal past the first {@code inH5}; collected into {@code tail} unless null. */
    private long journalTail(String name, Schema schema, long inH5, boolean h5Read, List<Object[]> tail) {
        Checkpoint cp = Checkpoint.read(files.checkpoint());
        Map<Integer, JournalTable> defs = new HashMap<>();
        long from = RowJournal.HEADER_SIZE;
        long ordinal = 0;
        if (h5Read && cp != null) {
            int id = -1;
            for (JournalTable d : cp.tables()) {
                defs.put(d.id(), d);
                if (d.name().equals(name)) {
                    id = d.id();
                }
            }
            if (id < 0 || cp.rows()[id] <= inH5) {
                from = cp.journalOffset();
                ordinal = id < 0 ? 0 : cp.rows()[id];
            } else {
                defs.clear();
            }
        }
        CellEncoding[] encodings = JournalTables.encodings(schema);
        long[] state = {ordinal, 0, -1};
        if (from > RowJournal.HEADER_SIZE) {
            for (JournalTable d : defs.values()) {
                if (d.name().equals(name)) {
                    state[2] = d.id();
                }
            }
        }
        RowJournal.scan(files.journal(), from, new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable t) {
                if (t.name().equals(name)) {
                    state[2] = t.id();
                }
            }

            @Override
            public void row(long offset, JournalRow row) {
                if (row.tableId() == state[2] && state[0]++ >= inH5) {
                    state[1]++;
                    if (tail != null) {
                        tail.add(row.cells(encodings));
                    }
                }
            }
        });
        return state[1];
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
