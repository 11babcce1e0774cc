package cox.store.journal;

import cox.exceptions.StoreFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A row record met during a {@link RowJournal#scan}: which table it belongs to, and its cells once
 * the caller says how they are encoded. Valid only during the {@link RowJournal.Visitor#row} call
 * that receives it; not thread-safe.
 */
public final class JournalRow {
    private final Path journal;
    private final long offset;
    private final int tableId;
    private final ByteBuffer cells;

    JournalRow(Path journal, long offset, int tableId, ByteBuffer cells) {
        this.journal = journal;
        this.offset = offset;
        this.tableId = tableId;
        this.cells = cells;
    }

    /**
     * The table this row belongs to.
     *
     * @return the id of a table defined earlier in the journal (or in the checkpoint)
     */
    public int tableId() {
        return tableId;
    }

    /**
     * Where the record starts in the journal.
     *
     * @return the byte offset of the record's frame
     */
    public long offset() {
        return offset;
    }

    /**
     * Decodes the row's cells.
     *
     * @param encodings how each of the table's columns is encoded, in order
     * @return one {@code Long}, {@code Double}, {@code Boolean} or {@code String} per column
     * @throws StoreFormatException if the record does not hold exactly those cells (the message
     *     names the journal, the offset and the table id)
     */
    public Object[] cells(CellEncoding[] encodings) {
        try {
            return RecordCodec.decodeRow(cells.duplicate().order(cells.order()), encodings);
        } catch (StoreFormatException e) {
            throw e.withContext("journal " + journal + ": record at offset " + offset + " (a row of table #" + tableId + ")");
        }
    }
}
