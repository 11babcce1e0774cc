package cox.store.hdf5;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a rewrite of an open {@link PandasStoreFile} writes (docs/live-reads.md, W5): the whole file
 * afresh through {@link StoreFileBuilder}, every table a writer touched as it is now (its rows on
 * disk, widened if its string block grew, then its pending rows; pandas' index dropped), every other
 * object copied as it was. The caller renames the result over the file.
 *
 * <p>Not thread-safe: the owning file holds its lock while one is written.
 */
final class StoreFileRewrite {
    private final FileBytes source;
    private final FileStructure structure;
    private final Clock clock;
    /** Rows per chunk of new and widened tables, or 0 to choose as PyTables does. */
    private final long chunkRows;

    /**
     * @param source the file as it is
     * @param structure its structure, as read
     * @param clock the time written as a new table's modification time
     * @param chunkRows rows per chunk of new and widened tables, or 0 to choose as PyTables does
     */
    StoreFileRewrite(FileBytes source, FileStructure structure, Clock clock, long chunkRows) {
        this.source = source;
        this.structure = structure;
        this.clock = clock;
        this.chunkRows = chunkRows;
    }

    /**
     * Writes the new file to {@code target} (created or truncated).
     *
     * @param tables the file's tables by name: those of the file, then new ones
     * @param ticker the time source of the new file's space
     */
    void write(Path target, Map<String, PandasTable> tables, Ticker ticker) {
        List<StoreFileBuilder.Link> links = new ArrayList<>();
        for (SymbolTable.Entry e : structure.rootLinks) {
            PandasTable t = tables.get(e.name());
            if (t == null || !t.touched()) {
                links.add(new StoreFileBuilder.CopiedObject(e.name(), e.header()));
            } else {
                links.add(image(t));
            }
        }
        for (PandasTable t : tables.values()) {
            if (t.disk() == null && t.nrows() > 0) {
                links.add(image(t));
            }
        }
        List<ObjectHeader.NewMessage> root = new ArrayList<>();
        for (ObjectHeader.Message m : structure.rootHeader.all(ObjectHeader.ATTRIBUTE)) {
            root.add(raw(m));
        }
        StoreFileBuilder.write(target, source, structure.superblock, root, links, ticker);
    }

    private static ObjectHeader.NewMessage raw(ObjectHeader.Message m) {
        byte[] b = new byte[m.size()];
        m.buffer().get(b);
        return new ObjectHeader.NewMessage(m.type(), m.flags(), b);
    }

    /** What a rewrite writes for table {@code t}: its rows on disk (widened if need be), then its pending rows. */
    private StoreFileBuilder.TableImage image(PandasTable t) {
        BlockLayout layout = t.layout();
        FileStructure.Table disk = t.disk();
        long diskRows = t.diskRows();
        long total = diskRows + t.pending().size();
        List<ObjectHeader.NewMessage> groupMessages = new ArrayList<>();
        List<ObjectHeader.NewMessage> datasetMessages = new ArrayList<>();
        List<StoreFileBuilder.CopiedObject> children = new ArrayList<>();
        int nrowsIndex = -1;
        long rowsPerChunk;
        boolean widened = layout != t.diskLayout();
        if (disk == null) {
            for (Attribute a : PandasAttributes.group(t.name(), t.columns(), layout)) {
                groupMessages.add(a.message());
            }
            datasetMessages.add(new ObjectHeader.NewMessage(ObjectHeader.FILL_VALUE, ObjectHeader.FLAG_CONSTANT,
                    StoreFileBuilder.FILL_VALUE));
            datasetMessages.add(new ObjectHeader.NewMessage(ObjectHeader.MODIFICATION_TIME, 0,
                    StoreFileBuilder.modificationTime(clock)));
            for (Attribute a : PandasAttributes.dataset(t.columns(), layout, total)) {
                if (a.name().equals("NROWS")) {
                    nrowsIndex = datasetMessages.size();
                }
                datasetMessages.add(a.message());
            }
            rowsPerChunk = chunkRows > 0 ? chunkRows
                    : chunkRows(layout.rowSize, Math.max(t.expectedRows(), t.pending().size()));
        } else {
            for (ObjectHeader.Message m : disk.groupHeader.all(ObjectHeader.ATTRIBUTE)) {
                groupMessages.add(raw(m));
            }
            for (SymbolTable.Entry e : disk.groupLinks) {
                if (!e.name().equals("table") && !e.name().equals("_i_table")) {
                    children.add(new StoreFileBuilder.CopiedObject(e.name(), e.header()));
                }
            }
            List<Attribute> widenedAttributes = widened
                    ? PandasAttributes.widened(disk.dataset.attributes, layout, total) : null;
            int attribute = 0;
            for (ObjectHeader.Message m : disk.dataset.objectHeader.messages) {
                switch (m.type()) {
                    case ObjectHeader.FILL_VALUE:
                    case ObjectHeader.FILL_VALUE_OLD:
                    case ObjectHeader.MODIFICATION_TIME:
                    case ObjectHeader.MODIFICATION_TIME_OLD:
                    case ObjectHeader.COMMENT:
                        datasetMessages.add(raw(m));
                        break;
                    case ObjectHeader.ATTRIBUTE: {
                        Attribute a = disk.dataset.attributes.get(attribute);
                        if (a.name().equals("NROWS")) {
                            nrowsIndex = datasetMessages.size();
                        }
                        datasetMessages.add(widened ? widenedAttributes.get(attribute).message() : raw(m));
                        attribute++;
                        break;
                    }
                    default:
                        break;
                }
            }
            rowsPerChunk = !widened ? disk.dataset.chunkRows
                    : chunkRows > 0 ? chunkRows : chunkRows(layout.rowSize, total);
        }
        Datatype.Compound rowType = disk != null && !widened ? disk.dataset.rowType : PandasAttributes.rowType(layout);
        long srcChunkRows = disk == null ? 0 : disk.dataset.chunkRows;
        long finalChunkRows = rowsPerChunk;
        StoreFileBuilder.Rows rows = new StoreFileBuilder.Rows() {
            @Override
            public long count() {
                return total;
            }

            @Override
            public void fill(long first, int n, byte[] out) {
                int done = 0;
                if (first < diskRows) {
                    int m = (int) Math.min(n, diskRows - first);
                    t.fillFromDisk(first, m, out, layout);
                    done = m;
                }
                if (done < n) {
                    int from = (int) (first + done - diskRows);
                    byte[] b = t.encodePending(from, n - done, first + done);
                    System.arraycopy(b, 0, out, done * layout.rowSize, b.length);
                }
            }

            @Override
            public long wholeChunk(long first) {
                if (widened || disk == null || srcChunkRows != finalChunkRows || first + finalChunkRows > diskRows) {
                    return -1;
                }
                int c = (int) (first / srcChunkRows);
                TableAppender a = t.appender();
                return a != null ? a.chunkAddress(c) : disk.dataset.chunkAddress[c];
            }
        };
        return new StoreFileBuilder.TableImage(t.name(), groupMessages, rowType, rowsPerChunk, datasetMessages,
                nrowsIndex, rows, children);
    }

    /**
     * Rows per chunk as PyTables chooses them for a table of {@code rowSize}-byte rows expected to
     * hold {@code expectedRows} (pandas passes at least 10,000): 64 KiB for up to 10 MB of rows,
     * doubling per decade of megabytes.
     */
    static long chunkRows(int rowSize, long expectedRows) {
        long rows = Math.max(expectedRows, 10_000);
        long mb = Math.multiplyHigh(rows, rowSize) != 0 ? Long.MAX_VALUE : rows * rowSize / (1024 * 1024);
        mb = Math.max(1, Math.min(mb, 10_000_000));
        int zone = (int) Math.floor(Math.log10(mb) + 1e-12);
        long chunkBytes = 8L * 8192 * (1L << zone);
        return Math.max(1, chunkBytes / rowSize);
    }
}
