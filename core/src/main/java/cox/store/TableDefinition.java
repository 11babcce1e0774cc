package cox.store;

/**
 * A table of an open store: its number in the store's journal, its name and its schema.
 *
 * @param id the table's number in the journal, from 0; -1 for a table only {@code store.h5} has,
 *     seen by a reader
 * @param name the table name
 * @param schema its columns
 */
record TableDefinition(int id, String name, Schema schema) {
}
