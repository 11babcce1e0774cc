package cox.store.hdf5;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a whole {@code store.h5} afresh, compactly: the root group, every frame table (its rows
 * copied from the old file, widened if its layout changed, then the rows not yet written) and
 * every other object copied as it was. Everything is laid out leaves first, each object once, with
 * no free space, so {@code h5stat} finds nothing unaccounted. Used to create a store, and to apply
 * a change that is not an append (a new table, a wider string block, dropping pandas' stale index)
 * by writing the new file beside the old one and renaming it over it ({@link StoreFileRewrite} says
 * what an open file's rewrite holds).
 */
final class StoreFileBuilder {
    /** The K values every file cox4j writes uses: HDF5's defaults. */
    static final Superblock K = new Superblock(0, Superblock.DEFAULT_LEAF_K, Superblock.DEFAULT_INTERNAL_K,
            Superblock.DEFAULT_CHUNK_K, 0, 0, 0, 0);
    /** A version-2 fill value message: allocated incrementally, filled on allocation, default (zero) fill. */
    static final byte[] FILL_VALUE = {2, 3, 0, 1, 0, 0, 0, 0};

    /** A root link to write. */
    sealed interface Link permits TableImage, CopiedObject {
        String name();
    }

    /**
     * An object of the old file copied as it is.
     *
     * @param name the link name
     * @param header its header address in the old file
     */
    record CopiedObject(String name, long header) implements Link {
    }

    /** Where a table's rows come from, in order: rows of the old file, then new rows. */
    interface Rows {
        /** Total rows. */
        long count();

        /** Writes rows {@code [first, first + n)} into {@code out} from offset 0. */
        void fill(long first, int n, byte[] out);

        /**
         * The address in the old file of the chunk holding rows {@code [first, first + chunkRows)}
         * when those rows can be copied as they are (same layout, same chunk shape), else -1.
         */
        long wholeChunk(long first);
    }

    /**
     * A frame table to write.
     *
     * @param name the table (group) name
     * @param groupMessages the group's attribute messages
     * @param rowType the row type
     * @param chunkRows rows per chunk
     * @param datasetMessages the dataset's messages other than dataspace, datatype, layout (fill
     *     value, modification time, attributes)
     * @param nrowsIndex which of them is the NROWS attribute, rewritten with the row count (-1: none)
     * @param rows the rows
     * @param children the group's other links to copy (pandas' index, when kept)
     */
    record TableImage(String name, List<ObjectHeader.NewMessage> groupMessages, Datatype.Compound rowType,
            long chunkRows, List<ObjectHeader.NewMessage> datasetMessages, int nrowsIndex, Rows rows,
            List<CopiedObject> children)
            implements Link {
    }

    private StoreFileBuilder() {
    }

    /**
     * Writes a store to {@code target} (created or truncated).
     *
     * @param source the old file objects are copied from (null if none)
     * @param rootMessages the root group's attribute messages
     * @param links the root's links
     * @param ticker the time source of the new file's space
     */
    static void write(Path target, FileBytes source, Superblock sourceBlock, List<ObjectHeader.NewMessage> rootMessages,
            List<Link> links, Ticker ticker) {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ)) {
            FileSpace space = new FileSpace(target, ch, Superblock.END_OF_FILE_FIELD, Superblock.SIZE_V0, 0,
                    FileSpace.LONG_AGO, 0, ticker);
            ObjectCopier copier = source == null ? null : new ObjectCopier(source, sourceBlock, space, K);
            List<SymbolTable.NewEntry> entries = new ArrayList<>();
            for (Link l : links) {
                if (l instanceof CopiedObject c) {
                    long[] a = copier.copy(c.header(), "/" + c.name(), 1);
                    entries.add(new SymbolTable.NewEntry(c.name(), a[0], a[1], a[2]));
                } else {
                    TableImage t = (TableImage) l;
                    long[] a = writeTable(space, copier, t);
                    entries.add(new SymbolTable.NewEntry(t.name(), a[0], a[1], a[2]));
                }
            }
            long[] rootTable = SymbolTable.write(space, K, entries);
            List<ObjectHeader.NewMessage> rootHeader = new ArrayList<>();
            rootHeader.add(new ObjectHeader.NewMessage(ObjectHeader.SYMBOL_TABLE, 0,
                    new Encoder(16).u64(rootTable[0]).u64(rootTable[1]).toArray()));
            rootHeader.addAll(rootMessages);
            byte[] rh = ObjectHeader.encode(rootHeader);
            long rootAddress = space.allocate(rh.length);
            space.write(rootAddress, rh);
            Superblock sb = new Superblock(0, K.groupLeafK(), K.groupInternalK(), K.chunkK(), space.end(), rootAddress,
                    rootTable[0], rootTable[1]);
            space.write(0, sb.encode());
        } catch (IOException e) {
            throw new CoxIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes a table's chunks, chunk index, dataset and group; returns {group header, B-tree, heap}. */
    private static long[] writeTable(FileSpace space, ObjectCopier copier, TableImage t) {
        long rows = t.rows().count();
        int rowSize = t.rowType().size();
        long chunkRows = t.chunkRows();
        int chunkBytes = (int) (chunkRows * rowSize);
        long chunks = (rows + chunkRows - 1) / chunkRows;
        long root = Superblock.UNDEFINED;
        if (chunks > 0) {
            long base = space.allocate(chunks * chunkBytes);
            List<ChunkIndex.Chunk> index = new ArrayList<>();
            byte[] buf = new byte[chunkBytes];
            for (long c = 0; c < chunks; c++) {
                long at = base + c * chunkBytes;
                long first = c * chunkRows;
                int n = (int) Math.min(chunkRows, rows - first);
                long old = n == chunkRows ? t.rows().wholeChunk(first) : -1;
                if (old >= 0) {
                    copier.copyBytes(old, at, chunkBytes);
                } else {
                    java.util.Arrays.fill(buf, (byte) 0);
                    t.rows().fill(first, n, buf);
                    space.write(at, ByteBuffer.wrap(buf));
                }
                index.add(new ChunkIndex.Chunk(chunkBytes, 0, new long[] {first, 0}, at));
            }
            root = ChunkIndex.write(space, K.chunkK(), 2, index, new long[] {chunks * chunkRows, 0}).get(0).address();
        }
        List<ObjectHeader.NewMessage> ds = new ArrayList<>();
        ds.add(new ObjectHeader.NewMessage(ObjectHeader.DATASPACE, 0, Dataspace.growable(rows).encode()));
        ds.add(new ObjectHeader.NewMessage(ObjectHeader.DATATYPE, ObjectHeader.FLAG_CONSTANT, t.rowType().encode()));
        ds.add(new ObjectHeader.NewMessage(ObjectHeader.LAYOUT, 0, chunkLayout(root, chunkRows, rowSize)));
        for (int i = 0; i < t.datasetMessages().size(); i++) {
            ds.add(i == t.nrowsIndex() ? Attribute.int64("NROWS", rows).message() : t.datasetMessages().get(i));
        }
        byte[] dh = ObjectHeader.encode(ds);
        long datasetAddress = space.allocate(dh.length);
        space.write(datasetAddress, dh);
        List<SymbolTable.NewEntry> children = new ArrayList<>();
        children.add(new SymbolTable.NewEntry("table", datasetAddress, -1, -1));
        for (CopiedObject c : t.children()) {
            long[] a = copier.copy(c.header(), "/" + t.name() + "/" + c.name(), 2);
            children.add(new SymbolTable.NewEntry(c.name(), a[0], a[1], a[2]));
        }
        long[] table = SymbolTable.write(space, K, children);
        List<ObjectHeader.NewMessage> gh = new ArrayList<>();
        gh.add(new ObjectHeader.NewMessage(ObjectHeader.SYMBOL_TABLE, 0,
                new Encoder(16).u64(table[0]).u64(table[1]).toArray()));
        gh.addAll(t.groupMessages());
        byte[] g = ObjectHeader.encode(gh);
        long groupAddress = space.allocate(g.length);
        space.write(groupAddress, g);
        return new long[] {groupAddress, table[0], table[1]};
    }

    /** A version-3 chunked layout message: index root, then chunk dimensions (rows, row bytes). */
    static byte[] chunkLayout(long root, long chunkRows, int rowSize) {
        return new Encoder(24).u8(3).u8(2).u8(2).u64(root).u32(chunkRows).u32(rowSize).toArray();
    }

    /** A version-1 modification time message. */
    static byte[] modificationTime(Clock clock) {
        return new Encoder(8).u8(1).zeros(3).u32(clock.instant().getEpochSecond()).toArray();
    }

    /** Moves {@code from} over {@code to} atomically (readers of the old file keep it). */
    static void replace(Path from, Path to) {
        try {
            try {
                Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                // a file system without atomic renames: a reader may briefly find no file, never half a one
                Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
