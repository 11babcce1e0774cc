package cox.store.hdf5;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Appends rows in place to a table dataset laid out as cox4j lays it out, in the order that lets
 * a reader open the file at any moment and see a consistent prefix of the rows (docs/live-reads.md):
 *
 * <ol>
 *   <li>rows go into the last chunk where they fit (beyond the extent, so no reader looks at them),
 *       else into a new chunk allocated at the end of the file;</li>
 *   <li>a new chunk is then entered in the chunk index: in place at the end of the last leaf if it
 *       has room (the new entry first, the entry count last), else in a new leaf (and new parents,
 *       and at most a new root) written at the end of the file and linked in the same way;</li>
 *   <li>the owner then publishes the file's new end-of-file address ({@link FileSpace#publishEnd});</li>
 *   <li>only {@link LivePublisher#PUBLISH_DELAY_NANOS} after an end-of-file address covering a
 *       new chunk (or a new root) was published is the root switched, and the extent and
 *       {@code NROWS} grown over it: a reader that opened the file earlier, and so may not read
 *       beyond the old end, is past its lookups by then; after a new root, the extent waits the
 *       delay once more, for a reader that read the old root.</li>
 * </ol>
 *
 * <p>Not thread-safe: the owning {@link PandasStoreFile} serialises calls; {@link LivePublisher}
 * drives steps 3 and 4.
 */
final class TableAppender {
    final long chunkRows;
    final int rowSize;
    final int chunkBytes;
    private final int k;
    private final long extentField;
    private final long nrowsField;
    private final long rootField;

    private long[] chunkAddress;
    private int chunkCount;
    private long rows;
    private long visible;
    /** The rightmost path of the chunk index, root first: node addresses and entry counts. */
    private long[] pathAddress;
    private int[] pathCount;
    private long currentRoot;
    /** Whether the current root is not yet in the dataset's header. */
    private boolean rootPending;
    /** The end of the allocated space once the current root was written. */
    private long rootEnd;
    /** The end of the allocated space once the last chunk was indexed. */
    private long lastChunkEnd;
    private boolean chunksThisCycle;
    /**
     * {chunks, required end, not before}: once an end-of-file address covering the required end has
     * been published for the delay, and not before the given time, the first {@code chunks}
     * chunks may be covered by the extent.
     */
    private final ArrayDeque<long[]> milestones = new ArrayDeque<>();
    private long safeChunks;
    private final long delay;

    /**
     * State of a dataset as read: its chunks (all indexed ones) and extent.
     *
     * @param now the current time (of the file's ticker): indexed chunks beyond the extent become
     *     usable a delay later
     */
    TableAppender(TableDataset ds, int k, long now, long delay) {
        this.delay = delay;
        this.chunkRows = ds.chunkRows;
        this.rowSize = ds.rowSize;
        this.chunkBytes = (int) ds.chunkBytes();
        this.k = k;
        this.extentField = ds.extentField;
        this.nrowsField = ds.nrowsField;
        this.rootField = ds.indexRootField;
        this.chunkAddress = Arrays.copyOf(ds.chunkAddress, Math.max(16, ds.chunkAddress.length * 2));
        this.chunkCount = ds.chunkAddress.length;
        this.rows = ds.extent;
        this.visible = ds.extent;
        if (ds.index != null) {
            int depth = ds.index.rightmost.size();
            pathAddress = new long[depth];
            pathCount = new int[depth];
            for (int i = 0; i < depth; i++) {
                pathAddress[i] = ds.index.rightmost.get(i).address();
                pathCount[i] = ds.index.rightmost.get(i).count();
            }
            currentRoot = ds.index.root;
        } else {
            pathAddress = new long[0];
            pathCount = new int[0];
            currentRoot = Superblock.UNDEFINED;
        }
        safeChunks = ds.chunksFor(ds.extent);
        if (chunkCount > safeChunks) {
            // chunks a killed writer indexed beyond the extent: reused, but covered only after the delay
            milestones.add(new long[] {chunkCount, ds.end, now + delay});
        }
    }

    /**
     * Whether a dataset's chunk index is laid out as this class extends it: the last key of every
     * node on the rightmost path is the end of the last chunk with a zero byte offset.
     */
    static boolean laidOutForAppending(TableDataset ds) {
        if (ds.nrowsField < 0 || ds.extentField < 0 || ds.indexRootField < 0 || ds.unsupported != null) {
            return false;
        }
        if (ds.index == null) {
            return true;
        }
        long end = (long) ds.chunkAddress.length * ds.chunkRows;
        return ds.index.finalOffsets[0] == end && ds.index.finalOffsets[1] == 0;
    }

    long rows() {
        return rows;
    }

    long visibleRows() {
        return visible;
    }

    int chunkCount() {
        return chunkCount;
    }

    long chunkAddress(int i) {
        return chunkAddress[i];
    }

    /**
     * Writes {@code count} encoded rows ({@code rowSize} bytes each, in {@code bytes}) after the
     * last row, indexing each new chunk after its rows are written.
     */
    void append(FileSpace space, byte[] bytes, int count) {
        int done = 0;
        while (done < count) {
            long at = rows + done;
            long chunk = at / chunkRows;
            int inChunk = (int) (at % chunkRows);
            int n = (int) Math.min(count - done, chunkRows - inChunk);
            if (chunk == chunkCount) {
                long address = space.allocate(chunkBytes);
                space.write(address, java.nio.ByteBuffer.wrap(bytes, done * rowSize, n * rowSize));
                index(space, address);
            } else {
                space.write(chunkAddress[(int) chunk] + (long) inChunk * rowSize,
                        java.nio.ByteBuffer.wrap(bytes, done * rowSize, n * rowSize));
            }
            done += n;
        }
        rows += count;
    }

    /** Enters chunk number {@link #chunkCount} at {@code address} into the chunk index. */
    private void index(FileSpace space, long address) {
        int c = chunkCount;
        long first = c * chunkRows;
        long end = first + chunkRows;
        if (chunkCount == chunkAddress.length) {
            chunkAddress = Arrays.copyOf(chunkAddress, chunkAddress.length * 2);
        }
        chunkAddress[chunkCount++] = address;
        chunksThisCycle = true;
        int depth = pathAddress.length;
        if (depth == 0) {
            long leaf = newNode(space, 0, address, first, end, Superblock.UNDEFINED);
            pathAddress = new long[] {leaf};
            pathCount = new int[] {1};
            newRoot(leaf, space);
            lastChunkEnd = space.end();
            return;
        }
        // the lowest node on the rightmost path with room, from the leaf up
        int room = depth - 1;
        while (room >= 0 && pathCount[room] >= 2 * k) {
            room--;
        }
        // new nodes below it, from the leaf up: each holds one entry, pointing at the one below
        long child = address;
        int levels = depth - 1 - room;
        long[] fresh = new long[levels];
        for (int i = 0; i < levels; i++) {
            int pathIndex = depth - 1 - i;
            long left = pathAddress[pathIndex];
            fresh[i] = newNode(space, i, child, first, end, left);
            space.writeLong(left + 16, fresh[i]); // the old node's right sibling
            child = fresh[i];
        }
        if (room >= 0) {
            appendEntry(space, pathAddress[room], pathCount[room], child, first, end);
            pathCount[room]++;
            for (int i = 0; i < levels; i++) {
                pathAddress[depth - 1 - i] = fresh[i];
                pathCount[depth - 1 - i] = 1;
            }
            // the nodes above it now end where the new chunk ends
            for (int i = 0; i < room; i++) {
                space.writeLong(ChunkIndex.keyAddress(pathAddress[i], pathCount[i], 2) + 8, end);
            }
            lastChunkEnd = space.end();
            return;
        }
        // every node on the path is full: a new root over the old root and the new chain
        Encoder e = nodeHeader(depth, 2, Superblock.UNDEFINED);
        ChunkIndex.key(e, chunkBytes, 0, new long[] {0, 0});
        e.u64(currentRoot);
        ChunkIndex.key(e, chunkBytes, 0, new long[] {first, 0});
        e.u64(child);
        ChunkIndex.key(e, 0, 0, new long[] {end, 0});
        long root = writeNode(space, e);
        long[] addresses = new long[depth + 1];
        int[] counts = new int[depth + 1];
        addresses[0] = root;
        counts[0] = 2;
        for (int i = 0; i < depth; i++) {
            addresses[1 + i] = fresh[depth - 1 - i];
            counts[1 + i] = 1;
        }
        pathAddress = addresses;
        pathCount = counts;
        newRoot(root, space);
        lastChunkEnd = space.end();
    }

    private void newRoot(long root, FileSpace space) {
        currentRoot = root;
        rootPending = true;
        rootEnd = space.end();
    }

    private Encoder nodeHeader(int level, int entries, long left) {
        Encoder e = new Encoder(ChunkIndex.nodeSize(k, 2));
        e.bytes(new byte[] {'T', 'R', 'E', 'E'}).u8(1).u8(level).u16(entries).u64(left).u64(Superblock.UNDEFINED);
        return e;
    }

    private long writeNode(FileSpace space, Encoder e) {
        int size = ChunkIndex.nodeSize(k, 2);
        e.zeros(size - e.size());
        long at = space.allocate(size);
        space.write(at, e.toArray());
        return at;
    }

    /** A node of one entry: {@code child} for rows {@code [first, end)}. */
    private long newNode(FileSpace space, int level, long child, long first, long end, long left) {
        Encoder e = nodeHeader(level, 1, left);
        ChunkIndex.key(e, chunkBytes, 0, new long[] {first, 0});
        e.u64(child);
        ChunkIndex.key(e, 0, 0, new long[] {end, 0});
        return writeNode(space, e);
    }

    /**
     * Appends {@code child} (rows from {@code first}, ending at {@code end}) as entry {@code n} of
     * the node at {@code node}: its new last key, the child pointer and the size in its first key
     * are written first, at addresses above the entry count, which is written last.
     */
    private void appendEntry(FileSpace space, long node, int n, long child, long first, long end) {
        Encoder last = new Encoder(24);
        ChunkIndex.key(last, 0, 0, new long[] {end, 0});
        space.write(ChunkIndex.keyAddress(node, n + 1, 2), last.toArray());
        space.writeLong(ChunkIndex.childAddress(node, n, 2), child);
        // key n (the node's old last key) already holds offset {first, 0}: only its chunk size changes
        space.writeInt(ChunkIndex.keyAddress(node, n, 2), chunkBytes);
        space.writeShort(node + 6, n + 1);
    }

    /**
     * Ends a cycle of appends: this cycle's new chunks may be covered once an end-of-file address
     * covering them has been published for the delay (unless they wait for a new root).
     */
    void endCycle() {
        if (chunksThisCycle && !rootPending) {
            milestones.add(new long[] {chunkCount, lastChunkEnd, FileSpace.LONG_AGO});
        }
        chunksThisCycle = false;
    }

    private long rootDue(FileSpace space) {
        long covered = space.coveredAt(rootEnd);
        return covered == Long.MAX_VALUE ? Long.MAX_VALUE : covered + delay;
    }

    private long due(long[] milestone, FileSpace space) {
        long covered = space.coveredAt(milestone[1]);
        return covered == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(covered + delay, milestone[2]);
    }

    /**
     * Switches to a new root and grows the extent and NROWS as far as the delays allow at
     * {@code now}.
     *
     * @return whether something is left to publish later
     */
    boolean publish(FileSpace space, long now) {
        if (rootPending && rootDue(space) <= now) {
            space.writeLong(rootField, currentRoot);
            rootPending = false;
            // the chunks under the new root: covered from now on, after the delay
            milestones.add(new long[] {chunkCount, lastChunkEnd, now + delay});
        }
        while (!milestones.isEmpty() && due(milestones.peekFirst(), space) <= now) {
            safeChunks = Math.max(safeChunks, milestones.pollFirst()[0]);
        }
        long target = Math.min(rows, safeChunks * chunkRows);
        if (target > visible) {
            space.writeLong(extentField, target);
            space.writeLong(nrowsField, target);
            visible = target;
        }
        return visible < rows || rootPending;
    }

    /** The earliest time at which {@link #publish} can do more, or -1 if nothing waits. */
    long nextDue(FileSpace space) {
        if (visible >= rows && !rootPending) {
            return -1;
        }
        long next = Long.MAX_VALUE;
        if (rootPending) {
            next = rootDue(space);
        }
        if (!milestones.isEmpty()) {
            next = Math.min(next, due(milestones.peekFirst(), space));
        }
        return next;
    }

    /** Whether the root shown in the header is the current one. */
    boolean rootPublished() {
        return !rootPending;
    }
}
