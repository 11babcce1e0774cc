package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreRecoveryException;
import cox.store.journal.RowJournal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The journal a store writer appends to, with what it has defined: the tables in the order they
 * were defined (their ids) and how many rows each has in the journal. Thread-safe: a definition
 * or row is appended and counted under one lock, so counts and file never disagree.
 */
final class JournalWriter implements AutoCloseable {
    private final RowJournal journal;
    private final Path path;
    // guarded by this
    private final List<TableDefinition> definitions;
    private long[] rows;

    /**
     * @param definitions the tables the journal defines already, by id
     * @param rows their row counts in the journal, by id (may be longer)
     */
    JournalWriter(RowJournal journal, List<TableDefinition> definitions, long[] rows) {
        this.journal = journal;
        this.path = journal.path();
        this.definitions = new ArrayList<>(definitions);
        this.rows = Arrays.copyOf(rows, Math.max(rows.length, Math.max(definitions.size(), 1)));
    }

    Path path() {
        return path;
    }

    /** The offset after the last record appended. */
    long end() {
        return journal.end();
    }

    /**
     * Defines a table: its record goes to the journal before any of its rows.
     *
     * @throws CoxIOException if the journal cannot be written
     */
    synchronized TableDefinition define(String name, Schema schema) {
        TableDefinition d = new TableDefinition(definitions.size(), name, schema);
        journal.appendTable(JournalTables.toJournal(d));
        definitions.add(d);
        if (rows.length < definitions.size()) {
            rows = Arrays.copyOf(rows, definitions.size() * 2);
        }
        return d;
    }

    /**
     * Appends a sealed row record of table {@code tableId} ({@link StoreWriter#encodeRow}).
     *
     * @throws CoxIOException if the journal cannot be written
     */
    synchronized void append(ByteBuffer sealedRow, int tableId) {
        journal.append(sealedRow);
        rows[tableId]++;
    }

    synchronized List<TableDefinition> definitions() {
        return List.copyOf(definitions);
    }

    /** The table named {@code name}, or null. */
    synchronized TableDefinition definitionOf(String name) {
        for (TableDefinition d : definitions) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The table with id {@code id}.
     *
     * @throws StoreRecoveryException if the journal defines no such table
     */
    synchronized TableDefinition definitionById(int id) {
        if (id < 0 || id >= definitions.size()) {
            throw new StoreRecoveryException("journal " + path + " has a row of undefined table #" + id);
        }
        return definitions.get(id);
    }

    /** The rows of table {@code tableId} in the journal. */
    synchronized long rows(int tableId) {
        return tableId < rows.length ? rows[tableId] : 0;
    }

    /** Forces the journal to the device. */
    void force() {
        journal.force();
    }

    @Override
    public void close() {
        journal.close();
    }
}
