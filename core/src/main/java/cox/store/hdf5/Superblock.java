package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The superblock, versions 0 and 1 (HDF5 file format specification, "Superblock (Versions 0 and
 * 1)"), with 8-byte offsets and lengths, at the start of the file: what pandas and PyTables write
 * by default. It holds the B-tree K values, the end-of-file address (the space the file's objects
 * occupy, which a reader may not read beyond) and the root group's symbol table entry, whose
 * scratch pad caches the root group's B-tree and local heap addresses.
 *
 * @param version 0 or 1
 * @param groupLeafK half the number of entries a symbol table node holds
 * @param groupInternalK half the number of children a group B-tree node has
 * @param chunkK half the number of children a chunk B-tree node has
 * @param endOfFile the end-of-file ("end of allocation") address
 * @param rootHeader the root group's object header address
 * @param rootBTree the root group's B-tree address, from the cache
 * @param rootHeap the root group's local heap address, from the cache
 */
record Superblock(int version, int groupLeafK, int groupInternalK, int chunkK, long endOfFile, long rootHeader,
        long rootBTree, long rootHeap) {
    static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** Size of a version-0 superblock with its root symbol table entry. */
    static final int SIZE_V0 = 96;
    /** Where a version-0 superblock keeps the end-of-file address. */
    static final long END_OF_FILE_FIELD = 40;
    static final long UNDEFINED = -1L;
    /** The K values HDF5 (and so pandas) uses by default. */
    static final int DEFAULT_LEAF_K = 4;
    static final int DEFAULT_INTERNAL_K = 16;
    static final int DEFAULT_CHUNK_K = 32;

    /**
     * Reads the superblock at address 0.
     *
     * @throws cox.exceptions.StoreFormatException if it is missing, damaged, or a version or
     *     layout cox4j does not handle (the message names the feature)
     */
    static Superblock read(FileBytes f) {
        if (f.length() < 8) {
            throw f.error("not an HDF5 file: " + f.length() + " bytes, shorter than the HDF5 signature");
        }
        ByteBuffer b = f.read(0, Math.min(f.length(), 100), "superblock");
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (b.get(i) != SIGNATURE[i]) {
                throw f.error("not an HDF5 file: no HDF5 signature at address 0");
            }
        }
        if (b.limit() < 9) {
            throw f.error("superblock is cut short");
        }
        int version = b.get(8) & 0xff;
        if (version > 1) {
            throw f.unsupported("superblock version " + version + " (files written with HDF5's \"latest\" format);"
                    + " cox4j reads and writes superblock versions 0 and 1");
        }
        int size = version == 0 ? SIZE_V0 : SIZE_V0 + 4;
        if (b.limit() < size) {
            throw f.error("superblock is cut short: " + b.limit() + " of " + size + " bytes");
        }
        int offsets = b.get(13) & 0xff;
        int lengths = b.get(14) & 0xff;
        if (offsets != 8 || lengths != 8) {
            throw f.unsupported("superblock uses " + offsets + "-byte addresses and " + lengths
                    + "-byte lengths; cox4j handles 8-byte ones");
        }
        if (b.get(9) != 0 || b.get(10) != 0 || b.get(12) != 0) {
            throw f.error("superblock has free-space, symbol-table-entry or shared-header version "
                    + b.get(9) + "/" + b.get(10) + "/" + b.get(12) + "; expected 0/0/0");
        }
        int leafK = Short.toUnsignedInt(b.getShort(16));
        int internalK = Short.toUnsignedInt(b.getShort(18));
        int chunkK = DEFAULT_CHUNK_K;
        int at = 24;
        if (version == 1) {
            chunkK = Short.toUnsignedInt(b.getShort(24));
            at = 28;
        }
        if (leafK == 0 || internalK == 0 || chunkK == 0 || leafK > 1024 || internalK > 1024 || chunkK > 1024) {
            throw f.error("superblock has B-tree K values " + leafK + "/" + internalK + "/" + chunkK
                    + "; expected 1 to 1024");
        }
        long base = b.getLong(at);
        long endOfFile = b.getLong(at + 16);
        long driver = b.getLong(at + 24);
        if (base != 0) {
            throw f.unsupported("superblock has base address " + base + " (a user block); cox4j handles files that start"
                    + " with the superblock");
        }
        if (driver != UNDEFINED) {
            throw f.unsupported("superblock names a file driver information block (a multi-file or family driver)");
        }
        int ste = at + 32;
        long rootHeader = b.getLong(ste + 8);
        int cacheType = b.getInt(ste + 16);
        if (cacheType != 1) {
            throw f.error("root group symbol table entry has cache type " + cacheType + "; expected 1 (a group"
                    + " with a symbol table)");
        }
        long rootBTree = b.getLong(ste + 24);
        long rootHeap = b.getLong(ste + 32);
        if (endOfFile < size || endOfFile == UNDEFINED) {
            throw f.error("superblock end-of-file address " + Long.toUnsignedString(endOfFile)
                    + " is smaller than the superblock");
        }
        return new Superblock(version, leafK, internalK, chunkK, endOfFile, rootHeader, rootBTree, rootHeap);
    }

    /** The 96 bytes of a version-0 superblock with these values. */
    byte[] encode() {
        if (version != 0) {
            throw new IllegalStateException("cox4j writes version-0 superblocks");
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE_V0).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE);
        b.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0).put((byte) 8).put((byte) 8).put((byte) 0);
        b.putShort((short) groupLeafK).putShort((short) groupInternalK);
        b.putInt(0);
        b.putLong(0).putLong(UNDEFINED).putLong(endOfFile).putLong(UNDEFINED);
        b.putLong(0).putLong(rootHeader).putInt(1).putInt(0).putLong(rootBTree).putLong(rootHeap);
        return b.array();
    }

    /** Size in bytes of this superblock. */
    int size() {
        return version == 0 ? SIZE_V0 : SIZE_V0 + 4;
    }

    /** Address of the end-of-file field. */
    long endOfFileField() {
        return version == 0 ? END_OF_FILE_FIELD : END_OF_FILE_FIELD + 4;
    }
}
