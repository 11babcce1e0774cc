package cox.store.journal;

import java.util.List;
import java.util.Objects;

/**
 * A table as the journal knows it: the small number its row records use for it, its name and its
 * columns in order. Immutable.
 *
 * @param id the table's number in this journal, 0 to 65535, in the order tables were defined
 * @param name the table name
 * @param columns its columns, in order
 */
public record JournalTable(int id, String name, List<JournalColumn> columns) {
    /**
     * Copies the columns and checks the id's range.
     *
     * @throws IllegalArgumentException if the id does not fit in two bytes
     */
    public JournalTable {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("table id must be 0 to 65535: got " + id + " for table '" + name + "'");
        }
    }
}
