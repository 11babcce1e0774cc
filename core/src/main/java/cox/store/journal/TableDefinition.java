package cox.store.journal;

import cox.store.Schema;

/**
 * A table as the journal knows it: the small number the journal's row records use for it, its
 * name and its schema.
 *
 * @param id the table's number in this store's journal, from 0
 * @param name the table name
 * @param schema its columns
 */
public record TableDefinition(int id, String name, Schema schema) {
}
