package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies an object (a group with everything under it, or a dataset) from one HDF5 file into a new
 * one being written, message by message: addresses inside messages are rewritten (symbol tables,
 * chunk indexes, contiguous data), every other message is copied byte for byte. Objects that hold
 * addresses cox4j cannot rewrite (variable-length or reference data, shared messages, external
 * files, HDF5's new-format groups and dense attributes) are refused with the feature named.
 *
 * <p>With no target it only walks: it checks that the object can be copied and adds up the bytes
 * its structures occupy, without reading chunk data.
 */
final class ObjectCopier {
    private final FileBytes source;
    private final Superblock sourceBlock;
    private final FileSpace target;
    private final Superblock targetBlock;
    private final Map<Long, Long> copied = new HashMap<>();
    private long occupied;

    /**
     * @param target where to copy to, or null to only walk
     * @param targetBlock the K values of the target file (ignored when walking)
     */
    ObjectCopier(FileBytes source, Superblock sourceBlock, FileSpace target, Superblock targetBlock) {
        this.source = source;
        this.sourceBlock = sourceBlock;
        this.target = target;
        this.targetBlock = targetBlock;
    }

    /** Bytes of every structure walked or copied so far (headers, heaps, nodes, chunks, data). */
    long occupied() {
        return occupied;
    }

    /** Adds bytes of structures walked elsewhere. */
    void addOccupied(long bytes) {
        occupied += bytes;
    }

    /**
     * Copies (or walks) the object whose header is at {@code header}.
     *
     * @param what the object's path, for messages
     * @return {new header address, its B-tree, its heap} (B-tree and heap -1 unless a group); all
     *     -1 when walking
     */
    long[] copy(long header, String what, int depth) {
        if (depth > 64) {
            throw source.error(what + ": groups nested deeper than 64");
        }
        if (copied.containsKey(header)) {
            throw source.error(what + ": the object at " + header + " is linked twice (a hard link), which cox4j"
                    + " does not rewrite");
        }
        copied.put(header, -1L);
        ObjectHeader h = ObjectHeader.read(source, header, what);
        occupied += h.occupiedBytes();
        List<ObjectHeader.NewMessage> out = new ArrayList<>();
        long btree = -1;
        long heap = -1;
        for (ObjectHeader.Message m : h.messages) {
            if ((m.flags() & ObjectHeader.FLAG_SHARED) != 0) {
                throw source.error(what + " has a shared message (type " + m.type() + "), which cox4j does not"
                        + " rewrite");
            }
            switch (m.type()) {
                case ObjectHeader.NIL:
                case ObjectHeader.CONTINUATION:
                    break;
                case ObjectHeader.SYMBOL_TABLE: {
                    long[] st = copyGroup(m, what, depth);
                    btree = st[0];
                    heap = st[1];
                    out.add(new ObjectHeader.NewMessage(m.type(), m.flags(),
                            new Encoder(16).u64(btree).u64(heap).toArray()));
                    break;
                }
                case ObjectHeader.LAYOUT:
                    out.add(new ObjectHeader.NewMessage(m.type(), m.flags(), copyLayout(m, what)));
                    break;
                case ObjectHeader.DATATYPE: {
                    Datatype t = Datatype.read(m.buffer(), source, what);
                    if (t.refersOutside()) {
                        throw source.error(what + " holds " + describe(t) + " data, which cox4j does not rewrite");
                    }
                    out.add(raw(m));
                    break;
                }
                case ObjectHeader.ATTRIBUTE: {
                    Attribute a = Attribute.read(m, source, what);
                    if (a.type().refersOutside()) {
                        throw source.error(what + ": attribute '" + a.name() + "' holds " + describe(a.type())
                                + " data, which cox4j does not rewrite");
                    }
                    out.add(raw(m));
                    break;
                }
                case ObjectHeader.DATASPACE:
                case ObjectHeader.FILL_VALUE_OLD:
                case ObjectHeader.FILL_VALUE:
                case ObjectHeader.FILTER_PIPELINE:
                case ObjectHeader.COMMENT:
                case ObjectHeader.MODIFICATION_TIME_OLD:
                case ObjectHeader.MODIFICATION_TIME:
                    out.add(raw(m));
                    break;
                case ObjectHeader.LINK_INFO:
                case ObjectHeader.LINK:
                case ObjectHeader.GROUP_INFO:
                    throw source.error(what + " is a group in HDF5's new format (link messages), which cox4j does"
                            + " not rewrite");
                case ObjectHeader.ATTRIBUTE_INFO:
                    throw source.error(what + " keeps attributes in dense storage, which cox4j does not rewrite");
                case ObjectHeader.EXTERNAL_FILES:
                    throw source.error(what + " stores data in external files, which cox4j does not rewrite");
                default:
                    throw source.error(what + " has a header message of type " + m.type()
                            + ", which cox4j does not rewrite");
            }
        }
        if (target == null) {
            return new long[] {-1, -1, -1};
        }
        byte[] bytes = ObjectHeader.encode(out);
        long at = target.allocate(bytes.length);
        target.write(at, bytes);
        copied.put(header, at);
        return new long[] {at, btree, heap};
    }

    private static String describe(Datatype t) {
        return t.describe().contains("reference") ? "reference" : "variable-length";
    }

    private static ObjectHeader.NewMessage raw(ObjectHeader.Message m) {
        byte[] b = new byte[m.size()];
        m.buffer().get(b);
        return new ObjectHeader.NewMessage(m.type(), m.flags(), b);
    }

    private long[] copyGroup(ObjectHeader.Message m, String what, int depth) {
        if (m.size() < 16) {
            throw source.error(what + ": symbol table message is cut short");
        }
        long btree = m.data().getLong(0);
        long heapAddress = m.data().getLong(8);
        LocalHeap heap = LocalHeap.read(source, heapAddress, what);
        occupied += LocalHeap.HEADER_SIZE + heap.data().length;
        Regions nodes = new Regions();
        List<SymbolTable.Entry> links = SymbolTable.read(source, sourceBlock, btree, heap, what, nodes);
        occupied += nodes.bytes();
        List<SymbolTable.NewEntry> entries = new ArrayList<>();
        for (SymbolTable.Entry e : links) {
            if (e.cacheType() == SymbolTable.CACHE_SOFT_LINK) {
                throw source.error(what + "/" + e.name() + " is a soft link, which cox4j does not rewrite");
            }
            long[] c = copy(e.header(), what.equals("/") ? "/" + e.name() : what + "/" + e.name(), depth + 1);
            entries.add(new SymbolTable.NewEntry(e.name(), c[0], c[1], c[2]));
        }
        if (target == null) {
            return new long[] {-1, -1};
        }
        return SymbolTable.write(target, targetBlock, entries);
    }

    private byte[] copyLayout(ObjectHeader.Message m, String what) {
        ByteBuffer b = m.buffer();
        if (b.limit() < 2 || (b.get(0) & 0xff) != 3) {
            throw source.error(what + " has a layout message of version " + (b.limit() > 0 ? b.get(0) : -1)
                    + ", which cox4j does not rewrite");
        }
        int layoutClass = b.get(1) & 0xff;
        byte[] raw = new byte[b.limit()];
        b.get(0, raw);
        ByteBuffer out = ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (layoutClass) {
            case 0: // compact: the data is in the message
                return raw;
            case 1: {
                if (b.limit() < 18) {
                    throw source.error(what + ": layout message is cut short");
                }
                long address = b.getLong(2);
                long size = b.getLong(10);
                if (address == Superblock.UNDEFINED) {
                    return raw;
                }
                source.check(address, size, "contiguous data of " + what);
                occupied += size;
                if (target != null) {
                    long at = target.allocate(size);
                    copyBytes(address, at, size);
                    out.putLong(2, at);
                }
                return raw;
            }
            case 2: {
                if (b.limit() < 11) {
                    throw source.error(what + ": layout message is cut short");
                }
                int ndims = b.get(2) & 0xff;
                if (ndims < 2 || ndims > 33 || b.limit() < 11 + 4 * ndims) {
                    throw source.error(what + ": chunk layout of " + ndims + " dimensions");
                }
                long root = b.getLong(3);
                if (root == Superblock.UNDEFINED) {
                    return raw;
                }
                ChunkIndex index = ChunkIndex.read(source, sourceBlock.chunkK(), root, ndims, what);
                occupied += index.nodeBytes;
                List<ChunkIndex.Chunk> moved = new ArrayList<>();
                for (ChunkIndex.Chunk c : index.chunks) {
                    occupied += c.size();
                    if (target != null) {
                        long at = target.allocate(c.size());
                        copyBytes(c.address(), at, c.size());
                        moved.add(new ChunkIndex.Chunk(c.size(), c.filterMask(), c.offsets(), at));
                    }
                }
                if (target != null && moved.isEmpty()) {
                    // a root node listing no chunk (HDF5 may leave one; so may damage): no chunk to index
                    out.putLong(3, Superblock.UNDEFINED);
                } else if (target != null) {
                    List<ChunkIndex.PathNode> path = ChunkIndex.write(target, targetBlock.chunkK(), ndims, moved,
                            index.finalOffsets);
                    out.putLong(3, path.get(0).address());
                }
                return raw;
            }
            default:
                throw source.error(what + " has layout class " + layoutClass + ", which cox4j does not rewrite");
        }
    }

    /** Copies {@code count} bytes at {@code from} in the source to {@code to} in the target. */
    void copyBytes(long from, long to, long count) {
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(1 << 20, count - done);
            ByteBuffer b = source.read(from + done, n, "data copied by cox4j");
            target.write(to + done, b);
            done += n;
        }
    }
}
