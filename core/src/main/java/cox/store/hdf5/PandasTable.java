package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One pandas frame table in a {@link PandasStoreFile}: the group {@code /NAME} with pandas'
 * attributes and the PyTables table {@code /NAME/table}. Appends rows, widening the string block
 * when a value needs more room, and reads row ranges into column arrays.
 *
 * <p>Cells are Java values already checked against the schema: {@code Long} for INT,
 * {@code Double} for FLOAT, {@code Boolean} for BOOL and {@code String} for the text types.
 * Thread-safe: every method synchronises on the file; a read-only file's tables are read without
 * a lock. Not part of the cox4j API.
 */
public final class PandasTable {
    private final PandasStoreFile file;
    private final String name;
    private final List<FrameColumn> columns;
    /** The layout rows are written in (wider than {@link #diskLayout} once a widening is pending). */
    private BlockLayout layout;
    /** The table as the file holds it, or null for a table not written yet. */
    private FileStructure.Table disk;
    private BlockLayout diskLayout;
    /** Appends in place, and knows where the rows appended so far are; null when the table's layout is not one cox4j appends to in place (or the file is read-only). */
    private TableAppender appender;
    /** Rows waiting for the next rewrite of the file. */
    private final List<Object[]> pending = new ArrayList<>();
    /** The table must be written afresh at the next commit (new, wider, pandas' index to drop, foreign layout). */
    private boolean rewrite;
    /** Rows this writer added: the table is written from its rows at a rewrite, not copied. */
    private boolean touched;
    private long expectedRows;
    /** Rows of a table only jHDF reads. */
    private long foreignRows;

    /** A table read from the file. */
    PandasTable(PandasStoreFile file, FileStructure.Table disk, TableAppender appender) {
        this.file = file;
        this.name = disk.name;
        this.columns = disk.frame.columns;
        this.layout = disk.frame.layout;
        this.diskLayout = layout;
        this.disk = disk;
        this.appender = appender;
    }

    /** A table of a file only jHDF reads (read-only). */
    PandasTable(PandasStoreFile file, FrameTable frame, long rows) {
        this.file = file;
        this.name = frame.name;
        this.columns = frame.columns;
        this.layout = frame.layout;
        this.diskLayout = layout;
        this.foreignRows = rows;
    }

    /** A new table, written at the next commit. */
    PandasTable(PandasStoreFile file, String name, List<FrameColumn> columns, BlockLayout layout, long expectedRows) {
        this.file = file;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.layout = layout;
        this.diskLayout = layout;
        this.rewrite = true;
        this.touched = true;
        this.expectedRows = expectedRows;
    }

    /** @return the table (group) name */
    public String name() {
        return name;
    }

    /** @return the columns in order: how each is stored, and its COX_DATA type when the table has one */
    public List<FrameColumn> columns() {
        return columns;
    }

    /**
     * Rows in the table: for a writable file every row appended (some may not be visible to other
     * readers yet, see docs/live-reads.md); for a read-only file the rows its extent covers.
     *
     * @return the row count
     */
    public long nrows() {
        synchronized (file) {
            return diskRows() + pending.size();
        }
    }

    /** @return the byte width of the string block, or 0 if the table has no text column */
    public int stringWidth() {
        synchronized (file) {
            BlockLayout.Member m = layout.stringMember();
            return m == null ? 0 : m.elementSize;
        }
    }

    /** Rows the file holds (written, whether or not visible yet). Holds the file's lock. */
    long diskRows() {
        if (appender != null) {
            return appender.rows();
        }
        return disk == null ? foreignRows : disk.dataset.extent;
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends rows after the last one, numbering their {@code index} on from {@link #nrows()};
     * widens the string block first if a text cell is longer than it. The rows reach the file now,
     * or at the file's next commit when the table must first be rewritten; other readers see them
     * as docs/live-reads.md says.
     *
     * @param rows cells in schema order
     */
    public void append(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        synchronized (file) {
            file.checkWritable();
            if (disk != null && !touched) {
                String why = disk.dataset.unsupported != null ? disk.dataset.unsupported : disk.frame.notAppendable();
                if (why != null) {
                    throw new cox.exceptions.StoreFormatException("cannot append to table '" + name + "' in "
                            + file.path() + ": " + why);
                }
            }
            BlockLayout.Member text = layout.stringMember();
            if (text != null) {
                int needed = RowCodec.widestText(rows, columns);
                if (needed > text.elementSize) {
                    layout = layout.withStringWidth(Math.max(needed, 2 * text.elementSize));
                    requireRewrite();
                }
            }
            if (!touched && disk != null && disk.hasIndex()) {
                // pandas' PyTables index would go stale with our rows: the rewrite drops it
                requireRewrite();
            }
            touched = true;
            if (appender == null) {
                requireRewrite();
            }
            if (rewrite) {
                pending.addAll(rows);
                return;
            }
            byte[] bytes = encode(rows, layout, appender.rows());
            file.appended();
            appender.append(file.space(), bytes, rows.size());
        }
    }

    /** Sends this and later rows to the next rewrite; rows already appended in place stay where they are. */
    private void requireRewrite() {
        rewrite = true;
        file.rewriteNeeded();
    }

    private static byte[] encode(List<Object[]> rows, BlockLayout layout, long firstIndex) {
        ByteBuffer buf = ByteBuffer.allocate(rows.size() * layout.rowSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows.size(); r++) {
            RowCodec.encode(layout, buf, r * layout.rowSize, firstIndex + r, rows.get(r));
        }
        return buf.array();
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads {@code count} rows from row {@code start} into one array per schema column:
     * {@code long[]} for INT, {@code double[]} for FLOAT, {@code boolean[]} for BOOL,
     * {@code String[]} for the text types.
     *
     * @param start first row
     * @param count rows to read
     * @return the column arrays, in schema order
     * @throws cox.exceptions.StoreFormatException if the file is damaged
     */
    public Object[] read(long start, int count) {
        if (file.writable()) {
            synchronized (file) {
                file.commit();
                return readRows(start, count);
            }
        }
        return readRows(start, count);
    }

    private Object[] readRows(long start, int count) {
        long n = diskRows();
        if (start < 0 || count < 0 || start + count > n) {
            throw new IndexOutOfBoundsException("rows [" + start + ", " + (start + count) + ") of table '" + name
                    + "' with " + n + " rows");
        }
        if (count == 0) {
            return RowCodec.decode(diskLayout, columns, new byte[0], 0);
        }
        if (disk == null || disk.dataset.unsupported != null) {
            return file.readForeign(this, start, count);
        }
        int rowSize = diskLayout.rowSize;
        FileBytes f = file.bytes();
        byte[] whole = f.snapshotArray();
        if (whole != null) {
            // a file read whole: decode the rows where they lie, chunk by chunk
            Object[] out = RowCodec.allocate(columns, count);
            long chunkRows = disk.dataset.chunkRows;
            for (int done = 0; done < count; ) {
                long row = start + done;
                int chunk = (int) (row / chunkRows);
                int inChunk = (int) (row % chunkRows);
                long address = chunkAddress(chunk) + (long) inChunk * rowSize;
                int m = (int) Math.min(count - done, chunkRows - inChunk);
                if (address < 0 || address + (long) m * rowSize > f.length()) {
                    f.check(address, (long) m * rowSize, "chunk of table '" + name + "'"); // throws
                }
                RowCodec.decodeInto(diskLayout, columns, whole, (int) address, m, out, done);
                done += m;
            }
            return out;
        }
        // read and decode a few MiB at a time: no array as large as the table's bytes
        int piece = Math.max(1, Math.min(count, (4 << 20) / rowSize));
        byte[] bytes = new byte[Math.multiplyExact(piece, rowSize)];
        Object[] out = RowCodec.allocate(columns, count);
        for (int done = 0; done < count; done += piece) {
            int m = Math.min(piece, count - done);
            readRaw(start + done, m, bytes);
            RowCodec.decodeInto(diskLayout, columns, bytes, m, out, done);
        }
        return out;
    }

    /**
     * Reads the bytes of rows {@code [first, first + n)} into {@code out}, chunk by chunk; chunks
     * that lie one after the other in the file (as a rewrite lays them) are read in one go.
     */
    private void readRaw(long first, int n, byte[] out) {
        int rowSize = diskLayout.rowSize;
        long chunkRows = disk.dataset.chunkRows;
        FileBytes f = file.bytes();
        int done = 0;
        while (done < n) {
            long row = first + done;
            int chunk = (int) (row / chunkRows);
            int inChunk = (int) (row % chunkRows);
            long address = chunkAddress(chunk) + (long) inChunk * rowSize;
            int m = (int) Math.min(n - done, chunkRows - inChunk);
            // extend over the following chunks while they start where this one ends
            while (done + m < n && m < (1 << 24) / rowSize
                    && chunkAddress(chunk + 1) == chunkAddress(chunk) + chunkRows * rowSize) {
                chunk++;
                m = (int) Math.min(n - done, m + chunkRows);
            }
            f.readInto(address, out, done * rowSize, m * rowSize, "chunk of table '" + name + "'");
            done += m;
        }
    }

    private long chunkAddress(int chunk) {
        if (appender != null) {
            return appender.chunkAddress(chunk);
        }
        long[] addresses = disk.dataset.chunkAddress;
        if (chunk < 0 || chunk >= addresses.length) {
            throw file.bytes().error("table '" + name + "': chunk " + chunk + " is not in its chunk index ("
                    + addresses.length + " chunks)");
        }
        return addresses[chunk];
    }

    /** Reads rows {@code [first, first + n)} of the file's copy into {@code out} in {@code to}'s layout. Holds the lock. */
    void fillFromDisk(long first, int n, byte[] out, BlockLayout to) {
        int rowSize = diskLayout.rowSize;
        byte[] bytes = new byte[n * rowSize];
        readRaw(first, n, bytes);
        if (to.rowSize == rowSize && to == diskLayout) {
            System.arraycopy(bytes, 0, out, 0, bytes.length);
        } else {
            for (int r = 0; r < n; r++) {
                RowCodec.widen(diskLayout, bytes, r * rowSize, to, out, r * to.rowSize);
            }
        }
    }

    // ------------------------------------------------------------------ for the file

    /** What the table is (columns and layout) as the file holds it. */
    FrameTable frame() {
        return disk != null ? disk.frame : new FrameTable(name, columns, diskLayout);
    }

    FileStructure.Table disk() {
        return disk;
    }

    BlockLayout layout() {
        return layout;
    }

    BlockLayout diskLayout() {
        return diskLayout;
    }

    TableAppender appender() {
        return appender;
    }

    List<Object[]> pending() {
        return pending;
    }

    boolean needsRewrite() {
        return rewrite;
    }

    boolean touched() {
        return touched;
    }

    long expectedRows() {
        return expectedRows;
    }

    /** After the file was rewritten or reopened: the table as it now is on disk. */
    void reloaded(FileStructure.Table now, TableAppender newAppender) {
        this.disk = now;
        this.layout = now.frame.layout;
        this.diskLayout = layout;
        this.appender = newAppender;
        this.pending.clear();
        this.rewrite = false;
    }

    /** Encodes the pending rows, numbered on from {@code firstIndex}, in the current layout. */
    byte[] encodePending(int from, int n, long firstIndex) {
        return encode(pending.subList(from, from + n), layout, firstIndex);
    }
}
