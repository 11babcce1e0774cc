package cox.store;

import cox.exceptions.StoreFormatException;
import cox.store.journal.CellEncoding;
import cox.store.journal.JournalColumn;
import cox.store.journal.JournalTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates between the store's tables and the journal's: each {@link ColumnType} is written as
 * its pinned journal code, and its cells in the journal's {@link CellEncoding}.
 */
final class JournalTables {
    private JournalTables() {
    }

    static JournalTable toJournal(TableDefinition d) {
        List<JournalColumn> columns = new ArrayList<>(d.schema().size());
        for (Map.Entry<String, ColumnType> c : d.schema().entrySet()) {
            columns.add(new JournalColumn(c.getKey(), c.getValue().journalCode()));
        }
        return new JournalTable(d.id(), d.name(), columns);
    }

    /**
     * The table a journal (or checkpoint) record defines.
     *
     * @param file the journal or checkpoint, named in the message
     * @throws StoreFormatException if a column's type code is unknown or a name is invalid
     */
    static TableDefinition fromJournal(JournalTable t, Path file) {
        Schema.Builder sb = Schema.builder();
        for (JournalColumn c : t.columns()) {
            ColumnType type = ColumnType.ofJournalCode(c.typeCode());
            if (type == null) {
                throw new StoreFormatException(file + ": table '" + t.name() + "' has column '" + c.name()
                        + "' of type code " + c.typeCode() + ", which this cox4j does not know (0 to 6)");
            }
            try {
                sb.add(c.name(), type);
            } catch (IllegalArgumentException e) {
                throw new StoreFormatException(file + ": table '" + t.name() + "': " + e.getMessage(), e);
            }
        }
        return new TableDefinition(t.id(), t.name(), sb.build());
    }

    static List<TableDefinition> fromJournal(List<JournalTable> tables, Path file) {
        List<TableDefinition> out = new ArrayList<>(tables.size());
        for (JournalTable t : tables) {
            out.add(fromJournal(t, file));
        }
        return out;
    }

    static List<JournalTable> toJournal(List<TableDefinition> tables) {
        List<JournalTable> out = new ArrayList<>(tables.size());
        for (TableDefinition d : tables) {
            out.add(toJournal(d));
        }
        return out;
    }

    /** How the journal encodes each column of {@code schema}, in order. */
    static CellEncoding[] encodings(Schema schema) {
        CellEncoding[] out = new CellEncoding[schema.size()];
        int i = 0;
        for (ColumnType t : schema.values()) {
            out[i++] = switch (t) {
                case INT -> CellEncoding.INT64;
                case FLOAT -> CellEncoding.FLOAT64;
                case BOOL -> CellEncoding.BOOL;
                case STR, OBJECT, PICKLE, PYTORCH_STATE -> CellEncoding.TEXT;
            };
        }
        return out;
    }
}
