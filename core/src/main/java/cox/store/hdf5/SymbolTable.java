package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An "old-style" group's links (specification "Group Symbol Table Nodes" and "Version 1
 * B-trees", node type 0): a B-tree whose leaves point to symbol table nodes (SNODs) of entries
 * sorted by name, names kept in the group's local heap. Reading walks the whole tree, checking
 * signatures, levels, counts and the order of names; writing lays out a fresh tree for a sorted
 * list of entries.
 */
final class SymbolTable {
    static final int ENTRY_SIZE = 40;
    /** Cache type of an entry for a group: the scratch pad holds its B-tree and heap addresses. */
    static final int CACHE_GROUP = 1;
    static final int CACHE_SOFT_LINK = 2;
    private static final int MAX_LEVEL = 16;

    private SymbolTable() {
    }

    /**
     * One link as it sits in a symbol table node.
     *
     * @param name the link name
     * @param header the object header address it points to
     * @param cacheType 0, {@link #CACHE_GROUP} or {@link #CACHE_SOFT_LINK}
     * @param scratch the 16-byte scratch pad
     * @param entryAddress where the entry sits in the file
     */
    record Entry(String name, long header, int cacheType, byte[] scratch, long entryAddress) {
        long cachedBTree() {
            return ByteBuffer.wrap(scratch).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        }

        long cachedHeap() {
            return ByteBuffer.wrap(scratch).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
        }
    }

    static int nodeSize(int internalK) {
        return 24 + 2 * internalK * 8 + (2 * internalK + 1) * 8;
    }

    static int snodSize(int leafK) {
        return 8 + 2 * leafK * ENTRY_SIZE;
    }

    /**
     * Reads every link of the group whose B-tree is at {@code btree}, in name order.
     *
     * @param what the group, for messages
     * @param regions receives the range of every node read (may be null)
     */
    static List<Entry> read(FileBytes f, Superblock sb, long btree, LocalHeap heap, String what, Regions regions) {
        List<Entry> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        readNode(f, sb, btree, -1, heap, what, out, seen, regions);
        for (int i = 1; i < out.size(); i++) {
            if (compareNames(out.get(i - 1).name, out.get(i).name) >= 0) {
                throw f.error("group " + what + ": links '" + out.get(i - 1).name + "' and '" + out.get(i).name
                        + "' are out of order in its symbol table");
            }
        }
        return out;
    }

    /** Reads a node's subtree into {@code out}; returns the name of its last entry. */
    private static String readNode(FileBytes f, Superblock sb, long address, int expectLevel, LocalHeap heap,
            String what, List<Entry> out, Set<Long> seen, Regions regions) {
        if (!seen.add(address)) {
            throw f.error("group " + what + ": B-tree node at " + address + " is reached twice");
        }
        int k = sb.groupInternalK();
        int size = nodeSize(k);
        ByteBuffer b = f.read(address, size, "group B-tree node of " + what);
        if (b.get(0) != 'T' || b.get(1) != 'R' || b.get(2) != 'E' || b.get(3) != 'E') {
            throw f.error("group " + what + ": no B-tree node (TREE signature) at address " + address);
        }
        if (b.get(4) != 0) {
            throw f.error("group " + what + ": B-tree node at " + address + " has node type " + b.get(4)
                    + "; expected 0 (group)");
        }
        int level = b.get(5) & 0xff;
        int n = Short.toUnsignedInt(b.getShort(6));
        if (level > MAX_LEVEL || (expectLevel >= 0 && level != expectLevel)) {
            throw f.error("group " + what + ": B-tree node at " + address + " has level " + level
                    + (expectLevel >= 0 ? "; expected " + expectLevel : ""));
        }
        if (n > 2 * k || (n == 0 && expectLevel >= 0)) {
            throw f.error("group " + what + ": B-tree node at " + address + " has " + n + " children; expected "
                    + (expectLevel >= 0 ? 1 : 0) + " to " + 2 * k);
        }
        if (expectLevel < 0 && (b.getLong(8) != Superblock.UNDEFINED || b.getLong(16) != Superblock.UNDEFINED)) {
            throw f.error("group " + what + ": its root B-tree node at " + address + " has siblings");
        }
        if (regions != null) {
            regions.add(address, size, "group B-tree node of " + what);
        }
        String last = null;
        for (int i = 0; i < n; i++) {
            long child = b.getLong(24 + 8 + 16 * i);
            String childLast = level > 0 ? readNode(f, sb, child, level - 1, heap, what, out, seen, regions)
                    : readSnod(f, sb, child, heap, what, out, seen, regions);
            // key i + 1 is the name of the last link under child i
            String key = heap.name(b.getLong(24 + 16 * (i + 1)), f, what);
            if (!key.equals(childLast)) {
                throw f.error("group " + what + ": B-tree node at " + address + " has key '" + key + "' after a child"
                        + " whose last link is '" + childLast + "'");
            }
            last = childLast;
        }
        return last;
    }

    /** Reads a symbol table node's entries into {@code out}; returns the last one's name. */
    private static String readSnod(FileBytes f, Superblock sb, long address, LocalHeap heap, String what,
            List<Entry> out, Set<Long> seen, Regions regions) {
        if (!seen.add(address)) {
            throw f.error("group " + what + ": symbol table node at " + address + " is reached twice");
        }
        int size = snodSize(sb.groupLeafK());
        ByteBuffer b = f.read(address, size, "symbol table node of " + what);
        if (b.get(0) != 'S' || b.get(1) != 'N' || b.get(2) != 'O' || b.get(3) != 'D') {
            throw f.error("group " + what + ": no symbol table node (SNOD signature) at address " + address);
        }
        if (b.get(4) != 1) {
            throw f.error("group " + what + ": symbol table node at " + address + " has version " + b.get(4));
        }
        int n = Short.toUnsignedInt(b.getShort(6));
        if (n == 0 || n > 2 * sb.groupLeafK()) {
            throw f.error("group " + what + ": symbol table node at " + address + " holds " + n + " entries; expected"
                    + " 1 to " + 2 * sb.groupLeafK());
        }
        if (regions != null) {
            regions.add(address, size, "symbol table node of " + what);
        }
        String last = null;
        for (int i = 0; i < n; i++) {
            int at = 8 + ENTRY_SIZE * i;
            long nameOffset = b.getLong(at);
            long header = b.getLong(at + 8);
            int cache = b.getInt(at + 16);
            byte[] scratch = new byte[16];
            b.get(at + 24, scratch);
            if (cache > CACHE_SOFT_LINK) {
                throw f.error("group " + what + ": symbol table entry at " + (address + at) + " has cache type "
                        + cache);
            }
            if (cache == CACHE_SOFT_LINK) {
                // a soft link: its value is a name in the heap
                heap.name(Integer.toUnsignedLong(b.getInt(at + 24)), f, what);
            }
            last = heap.name(nameOffset, f, what);
            if (last.isEmpty()) {
                throw f.error("group " + what + ": symbol table entry at " + (address + at) + " has an empty name");
            }
            out.add(new Entry(last, header, cache, scratch, address + at));
        }
        return last;
    }

    // ------------------------------------------------------------------ writing

    /**
     * A link to write.
     *
     * @param name the link name
     * @param header the object header address
     * @param btree for a group, its B-tree address (cached in the entry); else -1
     * @param heap for a group, its local heap address; else -1
     */
    record NewEntry(String name, long header, long btree, long heap) {
    }

    /**
     * Writes a group's local heap, symbol table nodes and B-tree for {@code entries} (any order;
     * they are sorted by name, as UTF-8 bytes compare, which is how HDF5 compares them).
     *
     * @return {B-tree address, heap address}
     */
    static long[] write(FileSpace space, Superblock sb, List<NewEntry> entries) {
        List<NewEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> compareNames(a.name, b.name));
        List<String> names = new ArrayList<>();
        for (NewEntry e : sorted) {
            names.add(e.name);
        }
        long[] offsets = new long[names.size()];
        byte[][] heap = LocalHeap.layout(names, offsets);
        int leafCap = 2 * sb.groupLeafK();
        int nodeCap = 2 * sb.groupInternalK();
        // level 0 of the B-tree points at SNODs; each level above groups up to nodeCap children
        int snods = (sorted.size() + leafCap - 1) / leafCap;
        // the B-tree comes first, like HDF5 lays a group out: B-tree, heap, then the nodes
        List<long[]> level = new ArrayList<>(); // each: {child address, key offset of its last name}
        long btreeRoot = -1;
        long heapAddress = space.allocate(LocalHeap.HEADER_SIZE + heap[1].length);
        space.write(heapAddress, LocalHeap.header(heap, heapAddress + LocalHeap.HEADER_SIZE));
        space.write(heapAddress + LocalHeap.HEADER_SIZE, heap[1]);
        for (int s = 0; s < snods; s++) {
            int from = s * leafCap;
            int to = Math.min(sorted.size(), from + leafCap);
            Encoder e = new Encoder(snodSize(sb.groupLeafK()));
            e.bytes(new byte[] {'S', 'N', 'O', 'D'}).u8(1).u8(0).u16(to - from);
            for (int i = from; i < to; i++) {
                NewEntry ne = sorted.get(i);
                e.u64(offsets[i]).u64(ne.header);
                if (ne.btree >= 0) {
                    e.u32(CACHE_GROUP).u32(0).u64(ne.btree).u64(ne.heap);
                } else {
                    e.u32(0).u32(0).zeros(16);
                }
            }
            e.zeros(snodSize(sb.groupLeafK()) - e.size());
            long at = space.allocate(e.size());
            space.write(at, e.toArray());
            level.add(new long[] {at, offsets[to - 1]});
        }
        int lvl = 0;
        do {
            List<long[]> parents = new ArrayList<>();
            int nodes = Math.max(1, (level.size() + nodeCap - 1) / nodeCap);
            long[] addresses = new long[nodes];
            for (int i = 0; i < nodes; i++) {
                addresses[i] = space.allocate(nodeSize(sb.groupInternalK()));
            }
            long firstKey = 0; // the empty name: the group's own, at heap offset 0
            for (int i = 0; i < nodes; i++) {
                int from = i * nodeCap;
                int to = Math.min(level.size(), from + nodeCap);
                Encoder e = new Encoder(nodeSize(sb.groupInternalK()));
                e.bytes(new byte[] {'T', 'R', 'E', 'E'}).u8(0).u8(lvl).u16(to - from);
                e.u64(i > 0 ? addresses[i - 1] : -1).u64(i + 1 < nodes ? addresses[i + 1] : -1);
                e.u64(firstKey);
                for (int c = from; c < to; c++) {
                    e.u64(level.get(c)[0]).u64(level.get(c)[1]);
                }
                e.zeros(nodeSize(sb.groupInternalK()) - e.size());
                space.write(addresses[i], e.toArray());
                long lastKey = to > from ? level.get(to - 1)[1] : 0;
                parents.add(new long[] {addresses[i], lastKey});
                firstKey = lastKey;
            }
            level = parents;
            lvl++;
            btreeRoot = addresses[0];
        } while (level.size() > 1);
        return new long[] {btreeRoot, heapAddress};
    }

    /** HDF5 orders link names by their bytes, as C's strcmp does (UTF-8, unsigned). */
    static int compareNames(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
