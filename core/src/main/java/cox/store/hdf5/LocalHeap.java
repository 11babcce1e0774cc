package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A local heap (specification "Local Heaps"): the names of a group's links, NUL-terminated and
 * padded to 8 bytes, in a data segment with a free list. Reading checks the segment and free list
 * against the file; writing lays out a fresh heap for a list of names.
 *
 * @param address the heap's header address
 * @param dataAddress the data segment's address
 * @param data the data segment
 */
record LocalHeap(long address, long dataAddress, byte[] data) {
    static final int HEADER_SIZE = 32;
    static final long FREE_NONE = 1;
    /** The smallest data segment HDF5 gives a new group. */
    static final int MIN_DATA = 88;

    static LocalHeap read(FileBytes f, long address, String what) {
        ByteBuffer b = f.read(address, HEADER_SIZE, "local heap of " + what);
        if (b.get(0) != 'H' || b.get(1) != 'E' || b.get(2) != 'A' || b.get(3) != 'P') {
            throw f.error("local heap of " + what + " at address " + address + " has no HEAP signature");
        }
        if (b.get(4) != 0) {
            throw f.error("local heap of " + what + " at address " + address + " has version " + b.get(4));
        }
        long size = b.getLong(8);
        long free = b.getLong(16);
        long dataAddress = b.getLong(24);
        if (size < 0 || size > f.length()) {
            throw f.error("local heap of " + what + " at address " + address + " claims a data segment of "
                    + Long.toUnsignedString(size) + " bytes, more than the file holds");
        }
        ByteBuffer d = f.read(dataAddress, size, "local heap data of " + what);
        byte[] data = new byte[(int) size];
        d.get(0, data);
        // walk the free list: it must stay inside the segment and not loop
        int steps = 0;
        while (free != FREE_NONE) {
            if (free < 0 || free > size - 16 || ++steps > size / 16 + 1) {
                throw f.error("local heap of " + what + " at address " + address + " has a bad free list (block at "
                        + free + " in a " + size + "-byte segment)");
            }
            ByteBuffer fb = ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long next = fb.getLong((int) free);
            long blockSize = fb.getLong((int) free + 8);
            if (blockSize < 16 || blockSize > size - free) {
                throw f.error("local heap of " + what + " at address " + address + " has a free block of "
                        + blockSize + " bytes at " + free + " outside its " + size + "-byte segment");
            }
            if (next != FREE_NONE && next <= free) {
                throw f.error("local heap of " + what + " at address " + address + " has an unordered free list");
            }
            free = next;
        }
        return new LocalHeap(address, dataAddress, data);
    }

    void addTo(Regions regions, String what) {
        regions.add(address, HEADER_SIZE, "local heap of " + what);
        regions.add(dataAddress, data.length, "local heap data of " + what);
    }

    /**
     * The NUL-terminated name at {@code offset}.
     *
     * @throws cox.exceptions.StoreFormatException if the offset or name lies outside the segment
     */
    String name(long offset, FileBytes f, String what) {
        if (offset < 0 || offset >= data.length) {
            throw f.error("local heap of " + what + " at address " + address + ": name offset " + offset
                    + " lies outside its " + data.length + "-byte segment");
        }
        int end = (int) offset;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        if (end == data.length) {
            throw f.error("local heap of " + what + " at address " + address + ": name at " + offset
                    + " is not NUL-terminated");
        }
        return new String(data, (int) offset, end - (int) offset, StandardCharsets.UTF_8);
    }

    /**
     * A heap for {@code names}: the empty name at offset 0 (the group's own), then each name, then
     * a free block if room is left. {@code offsets} receives each name's offset.
     */
    static byte[][] layout(List<String> names, long[] offsets) {
        Encoder e = new Encoder();
        e.zeros(8);
        for (int i = 0; i < names.size(); i++) {
            offsets[i] = e.size();
            e.bytes(names.get(i).getBytes(StandardCharsets.UTF_8)).u8(0).pad8();
        }
        int used = e.size();
        int size = Math.max(MIN_DATA, used);
        if (size - used > 0 && size - used < 16) {
            size += 16 - (size - used);
        }
        long free = FREE_NONE;
        if (size > used) {
            free = used;
            e.u64(FREE_NONE).u64(size - used);
            e.zeros(size - used - 16);
        }
        Encoder h = new Encoder(HEADER_SIZE);
        h.bytes(new byte[] {'H', 'E', 'A', 'P'}).u8(0).zeros(3).u64(size).u64(free).u64(-1);
        return new byte[][] {h.toArray(), e.toArray()};
    }

    /** The header bytes of a heap whose data segment is at {@code dataAddress}. */
    static byte[] header(byte[][] layout, long dataAddress) {
        byte[] h = layout[0].clone();
        ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(24, dataAddress);
        return h;
    }
}
