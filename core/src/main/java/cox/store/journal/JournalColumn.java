package cox.store.journal;

import java.util.Objects;

/**
 * A column as a table record of the journal holds it: its name and the code of its type. The
 * code is the store layer's (one byte on disk, 0 to 255); the journal stores and returns it
 * without interpreting it.
 *
 * @param name the column name
 * @param typeCode the code of the column's type, 0 to 255
 */
public record JournalColumn(String name, int typeCode) {
    /**
     * Checks the name and the code's range.
     *
     * @throws IllegalArgumentException if the code does not fit in one byte
     */
    public JournalColumn {
        Objects.requireNonNull(name, "name");
        if (typeCode < 0 || typeCode > 255) {
            throw new IllegalArgumentException("type code of column '" + name + "' must be 0 to 255: got " + typeCode);
        }
    }
}
