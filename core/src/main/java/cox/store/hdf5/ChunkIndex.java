package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The chunk index of a chunked dataset: a version-1 B-tree of node type 1 (specification "Version
 * 1 B-trees"), whose keys hold a chunk's size in bytes, filter mask and offset (one value per
 * dataset dimension plus a last one for the element's bytes), and whose leaves point at chunks.
 *
 * <p>Reading walks the whole tree and checks signatures, node types, levels, counts, that chunk
 * offsets strictly increase and that every chunk lies inside the file; it keeps the rightmost path
 * from the root to the last leaf, which is where appended chunks go. Writing lays out a full tree
 * for a list of chunks, leaves first.
 */
final class ChunkIndex {
    static final int HEADER_SIZE = 24;
    private static final int MAX_LEVEL = 32;

    /**
     * One chunk as its key describes it.
     *
     * @param size its size in bytes in the file
     * @param filterMask which filters were skipped for it
     * @param offsets its offset in each dimension, the last being the element byte offset (0)
     * @param address where it is
     */
    record Chunk(int size, int filterMask, long[] offsets, long address) {
    }

    /**
     * A node on the rightmost path.
     *
     * @param address the node's address
     * @param level 0 for a leaf
     * @param count its entries
     */
    record PathNode(long address, int level, int count) {
    }

    final long root;
    final int ndims;
    final int k;
    final List<Chunk> chunks;
    /** The root's last key: the upper bound of the tree's offsets. */
    final long[] finalOffsets;
    /** From the root down to the last leaf. */
    final List<PathNode> rightmost;
    /** Bytes of every node. */
    final long nodeBytes;

    private ChunkIndex(long root, int ndims, int k, List<Chunk> chunks, long[] finalOffsets, List<PathNode> rightmost,
            long nodeBytes) {
        this.root = root;
        this.ndims = ndims;
        this.k = k;
        this.chunks = chunks;
        this.finalOffsets = finalOffsets;
        this.rightmost = rightmost;
        this.nodeBytes = nodeBytes;
    }

    static int keySize(int ndims) {
        return 8 + 8 * ndims;
    }

    static int nodeSize(int k, int ndims) {
        return HEADER_SIZE + 2 * k * 8 + (2 * k + 1) * keySize(ndims);
    }

    /** Address, within a node at {@code node}, of key {@code i}. */
    static long keyAddress(long node, int i, int ndims) {
        return node + HEADER_SIZE + (long) i * (keySize(ndims) + 8);
    }

    /** Address, within a node at {@code node}, of child pointer {@code i}. */
    static long childAddress(long node, int i, int ndims) {
        return keyAddress(node, i, ndims) + keySize(ndims);
    }

    /**
     * Reads the chunk index rooted at {@code root} of a dataset with {@code ndims - 1} dimensions.
     *
     * @param what the dataset, for messages
     */
    static ChunkIndex read(FileBytes f, int k, long root, int ndims, String what) {
        return read(f, k, root, ndims, what, null, null);
    }

    /**
     * As {@link #read(FileBytes, int, long, int, String)}, but only as far as chunks with offsets
     * below {@code limit} (null: every chunk): as a reader looks chunks up, it neither reads nor
     * checks nodes and chunks beyond the rows it reads, which a writer may be writing.
     */
    static ChunkIndex read(FileBytes f, int k, long root, int ndims, String what, long[] limit, Regions regions) {
        List<Chunk> chunks = new ArrayList<>();
        List<PathNode> rightmost = new ArrayList<>();
        long[] nodeBytes = {0};
        long[][] finalKey = {null};
        Set<Long> seen = new HashSet<>();
        readNode(f, k, root, -1, ndims, what, chunks, rightmost, true, seen, nodeBytes, finalKey, limit, regions);
        for (int i = 1; i < chunks.size(); i++) {
            if (compare(chunks.get(i - 1).offsets, chunks.get(i).offsets) >= 0) {
                throw f.error("chunk index of " + what + ": chunk offsets do not increase at entry " + i + " ("
                        + java.util.Arrays.toString(chunks.get(i).offsets) + " after "
                        + java.util.Arrays.toString(chunks.get(i - 1).offsets) + ")");
            }
        }
        return new ChunkIndex(root, ndims, k, chunks, finalKey[0], rightmost, nodeBytes[0]);
    }

    private static void readNode(FileBytes f, int k, long address, int expectLevel, int ndims, String what,
            List<Chunk> out, List<PathNode> rightmost, boolean onRightmost, Set<Long> seen, long[] nodeBytes,
            long[][] finalKey, long[] limit, Regions regions) {
        if (!seen.add(address)) {
            throw f.error("chunk index of " + what + ": B-tree node at " + address + " is reached twice");
        }
        int size = nodeSize(k, ndims);
        if ((long) seen.size() * size > f.length()) {
            throw f.error("chunk index of " + what + " has more nodes than the file holds");
        }
        ByteBuffer b = f.read(address, size, "chunk B-tree node of " + what);
        if (b.get(0) != 'T' || b.get(1) != 'R' || b.get(2) != 'E' || b.get(3) != 'E') {
            throw f.error("chunk index of " + what + ": no B-tree node (TREE signature) at address " + address);
        }
        if (b.get(4) != 1) {
            throw f.error("chunk index of " + what + ": B-tree node at " + address + " has node type " + b.get(4)
                    + "; expected 1 (raw data chunks)");
        }
        int level = b.get(5) & 0xff;
        int n = Short.toUnsignedInt(b.getShort(6));
        if (level > MAX_LEVEL || (expectLevel >= 0 && level != expectLevel)) {
            throw f.error("chunk index of " + what + ": B-tree node at " + address + " has level " + level
                    + (expectLevel >= 0 ? "; expected " + expectLevel : ""));
        }
        if (n > 2 * k || (n == 0 && expectLevel >= 0)) {
            throw f.error("chunk index of " + what + ": B-tree node at " + address + " has " + n
                    + " entries; expected 1 to " + 2 * k);
        }
        if (expectLevel < 0 && b.getLong(8) != Superblock.UNDEFINED) {
            // (a right sibling it may have: the old root, while a writer's new root waits to be published)
            throw f.error("chunk index of " + what + ": its root node at " + address + " has a left sibling");
        }
        nodeBytes[0] += size;
        if (regions != null) {
            regions.add(address, size, "chunk B-tree node of " + what);
        }
        if (onRightmost) {
            rightmost.add(new PathNode(address, level, n));
            if (finalKey[0] == null) {
                finalKey[0] = offsets(b, n, ndims);
            }
        }
        int keySize = keySize(ndims);
        for (int i = 0; i < n; i++) {
            int at = HEADER_SIZE + i * (keySize + 8);
            long child = b.getLong(at + keySize);
            if (limit != null && compare(offsets(b, i, ndims), limit) >= 0) {
                break;
            }
            if (level > 0) {
                readNode(f, k, child, level - 1, ndims, what, out, rightmost, onRightmost && i == n - 1, seen,
                        nodeBytes, finalKey, limit, regions);
            } else {
                int chunkSize = b.getInt(at);
                int mask = b.getInt(at + 4);
                long[] offsets = offsets(b, i, ndims);
                if (chunkSize <= 0) {
                    throw f.error("chunk index of " + what + ": chunk at offset " + java.util.Arrays.toString(offsets)
                            + " has size " + Integer.toUnsignedString(chunkSize));
                }
                f.check(child, chunkSize, "chunk of " + what + " at offset " + java.util.Arrays.toString(offsets));
                if ((long) out.size() * 8 > f.length()) {
                    throw f.error("chunk index of " + what + " lists more chunks than the file holds");
                }
                out.add(new Chunk(chunkSize, mask, offsets, child));
            }
        }
    }

    private static long[] offsets(ByteBuffer b, int i, int ndims) {
        int at = HEADER_SIZE + i * (keySize(ndims) + 8) + 8;
        long[] o = new long[ndims];
        for (int d = 0; d < ndims; d++) {
            o[d] = b.getLong(at + 8 * d);
        }
        return o;
    }

    static int compare(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compareUnsigned(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ writing

    /** The bytes of one key. */
    static void key(Encoder e, int size, int mask, long[] offsets) {
        e.u32(size).u32(mask);
        for (long o : offsets) {
            e.u64(o);
        }
    }

    /**
     * Writes a tree over {@code chunks} (in offset order): leaves of up to 2K chunks, full but for
     * the last, then levels above them, each node's first key that of its first chunk and its last
     * key {@code finalOffsets} (size 0) for the last node of a level, else the next node's first key.
     *
     * @return the rightmost path (root first); the root is its first node
     */
    static List<PathNode> write(FileSpace space, int k, int ndims, List<Chunk> chunks, long[] finalOffsets) {
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a chunk index needs at least one chunk");
        }
        int cap = 2 * k;
        int nodeSize = nodeSize(k, ndims);
        // entries of the current level: {first chunk index of the child, child address}
        List<long[]> level = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            level.add(new long[] {i, chunks.get(i).address});
        }
        List<PathNode> path = new ArrayList<>();
        int lvl = 0;
        while (true) {
            int nodes = (level.size() + cap - 1) / cap;
            long first = space.allocate((long) nodes * nodeSize);
            List<long[]> parents = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                int from = i * cap;
                int to = Math.min(level.size(), from + cap);
                long at = first + (long) i * nodeSize;
                Encoder e = new Encoder(nodeSize);
                e.bytes(new byte[] {'T', 'R', 'E', 'E'}).u8(1).u8(lvl).u16(to - from);
                e.u64(i > 0 ? at - nodeSize : -1).u64(i + 1 < nodes ? at + nodeSize : -1);
                for (int c = from; c < to; c++) {
                    Chunk ch = chunks.get((int) level.get(c)[0]);
                    key(e, ch.size, ch.filterMask, ch.offsets);
                    e.u64(level.get(c)[1]);
                }
                if (to < level.size()) {
                    Chunk next = chunks.get((int) level.get(to)[0]);
                    key(e, next.size, next.filterMask, next.offsets);
                } else {
                    key(e, 0, 0, finalOffsets);
                }
                e.zeros(nodeSize - e.size());
                space.write(at, e.toArray());
                parents.add(new long[] {level.get(from)[0], at});
                if (i == nodes - 1) {
                    path.add(0, new PathNode(at, lvl, to - from));
                }
            }
            if (nodes == 1) {
                return path;
            }
            level = parents;
            lvl++;
        }
    }
}
