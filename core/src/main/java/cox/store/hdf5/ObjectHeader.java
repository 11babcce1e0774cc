package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A version-1 object header (specification "Version 1 Data Object Header Prefix"): a 16-byte
 * prefix, then messages of 8-byte-aligned sizes, continued in further blocks that continuation
 * messages point to. Reading checks the version, every block and message against the file and the
 * header's own counts, and stops a continuation cycle.
 */
final class ObjectHeader {
    static final int NIL = 0x0;
    static final int DATASPACE = 0x1;
    static final int LINK_INFO = 0x2;
    static final int DATATYPE = 0x3;
    static final int FILL_VALUE_OLD = 0x4;
    static final int FILL_VALUE = 0x5;
    static final int LINK = 0x6;
    static final int EXTERNAL_FILES = 0x7;
    static final int LAYOUT = 0x8;
    static final int GROUP_INFO = 0xA;
    static final int FILTER_PIPELINE = 0xB;
    static final int ATTRIBUTE = 0xC;
    static final int COMMENT = 0xD;
    static final int MODIFICATION_TIME_OLD = 0xE;
    static final int CONTINUATION = 0x10;
    static final int SYMBOL_TABLE = 0x11;
    static final int MODIFICATION_TIME = 0x12;
    static final int ATTRIBUTE_INFO = 0x15;
    static final int REFERENCE_COUNT = 0x16;
    /** The highest message type HDF5 defines (file space info, 0x17, and beyond it one reserved). */
    static final int MAX_TYPE = 0x18;
    /** Message flag: the message is shared (stored in another object header or the shared-message heap). */
    static final int FLAG_SHARED = 0x2;
    static final int FLAG_CONSTANT = 0x1;
    static final int PREFIX_SIZE = 16;
    static final int MESSAGE_HEADER_SIZE = 8;
    private static final int MAX_BLOCKS = 4096;

    /**
     * One message as it sits in the file.
     *
     * @param type the message type
     * @param flags the message flags
     * @param dataAddress where its data starts in the file
     * @param data its data (a little-endian buffer of the message's size)
     */
    record Message(int type, int flags, long dataAddress, ByteBuffer data) {
        int size() {
            return data.limit();
        }

        /** A fresh little-endian view of the data, positioned at 0. */
        ByteBuffer buffer() {
            return data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0);
        }
    }

    /**
     * A block of the header as it sits in the file.
     *
     * @param address where the block starts (for the first one, where its messages start)
     * @param length the block's length
     */
    record Block(long address, long length) {
    }

    final long address;
    final String what;
    final List<Message> messages;
    final List<Block> blocks;

    private ObjectHeader(long address, String what, List<Message> messages, List<Block> blocks) {
        this.address = address;
        this.what = what;
        this.messages = List.copyOf(messages);
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Reads the object header at {@code address}.
     *
     * @param what the object, for messages (e.g. {@code "dataset /results/table"})
     */
    static ObjectHeader read(FileBytes f, long address, String what) {
        ByteBuffer prefix = f.read(address, PREFIX_SIZE, "object header of " + what);
        int version = prefix.get(0) & 0xff;
        if (version != 1) {
            if (prefix.get(0) == 'O' && prefix.get(1) == 'H' && prefix.get(2) == 'D' && prefix.get(3) == 'R') {
                throw f.unsupported("object header of " + what + " at address " + address + " is a version-2 header"
                        + " (HDF5's \"latest\" format); cox4j handles version-1 headers");
            }
            throw f.error("object header of " + what + " at address " + address + " has version " + version
                    + "; expected 1");
        }
        int count = Short.toUnsignedInt(prefix.getShort(2));
        long firstSize = Integer.toUnsignedLong(prefix.getInt(8));
        List<Message> messages = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        List<Block> todo = new ArrayList<>();
        todo.add(new Block(address + PREFIX_SIZE, firstSize));
        seen.add(address);
        long total = PREFIX_SIZE + firstSize;
        while (!todo.isEmpty()) {
            Block block = todo.remove(0);
            if (blocks.size() >= MAX_BLOCKS) {
                throw f.error("object header of " + what + " at address " + address + " has more than " + MAX_BLOCKS
                        + " continuation blocks");
            }
            blocks.add(block);
            ByteBuffer b = f.read(block.address, block.length, "object header block of " + what);
            int p = 0;
            while (p < b.limit()) {
                if (b.limit() - p < MESSAGE_HEADER_SIZE) {
                    throw f.error("object header of " + what + " at address " + address + ": block at "
                            + block.address + " ends inside a message header");
                }
                int type = Short.toUnsignedInt(b.getShort(p));
                int size = Short.toUnsignedInt(b.getShort(p + 2));
                int flags = b.get(p + 4) & 0xff;
                if (type > MAX_TYPE) {
                    throw f.error("object header of " + what + " at address " + address + ": message at "
                            + (block.address + p) + " has type " + type + ", which HDF5 does not define");
                }
                if (size > b.limit() - p - MESSAGE_HEADER_SIZE) {
                    throw f.error("object header of " + what + " at address " + address + ": message of type " + type
                            + " at " + (block.address + p) + " claims " + size + " bytes, more than its block holds");
                }
                ByteBuffer data = b.slice(p + MESSAGE_HEADER_SIZE, size).order(ByteOrder.LITTLE_ENDIAN);
                if (type == NIL) {
                    // HDF5 zeroes a message it deletes: a NIL message with data is one whose type was damaged
                    for (int i = 0; i < size; i++) {
                        if (data.get(i) != 0) {
                            throw f.error("object header of " + what + " at address " + address + ": message at "
                                    + (block.address + p) + " has type NIL but holds data");
                        }
                    }
                }
                Message m = new Message(type, flags, block.address + p + MESSAGE_HEADER_SIZE, data);
                messages.add(m);
                if (messages.size() > count) {
                    throw f.error("object header of " + what + " at address " + address + " holds more messages than"
                            + " the " + count + " its prefix counts");
                }
                if (type == CONTINUATION) {
                    if (size < 16) {
                        throw f.error("object header of " + what + ": continuation message of " + size + " bytes");
                    }
                    long at = data.getLong(0);
                    long len = data.getLong(8);
                    if (!seen.add(at)) {
                        throw f.error("object header of " + what + " at address " + address
                                + " continues into itself (block " + at + " is listed twice)");
                    }
                    f.check(at, len, "object header continuation of " + what);
                    total += len;
                    if (total > f.length()) {
                        throw f.error("object header of " + what + " at address " + address
                                + " claims more bytes than the file holds");
                    }
                    todo.add(new Block(at, len));
                }
                p += MESSAGE_HEADER_SIZE + size;
            }
        }
        if (messages.size() != count) {
            throw f.error("object header of " + what + " at address " + address + " holds " + messages.size()
                    + " messages where its prefix counts " + count);
        }
        return new ObjectHeader(address, what, messages, blocks);
    }

    /** The first message of {@code type}, or null. */
    Message first(int type) {
        for (Message m : messages) {
            if (m.type == type) {
                return m;
            }
        }
        return null;
    }

    /** Every message of {@code type}, in order. */
    List<Message> all(int type) {
        List<Message> out = new ArrayList<>();
        for (Message m : messages) {
            if (m.type == type) {
                out.add(m);
            }
        }
        return out;
    }

    /** Adds the prefix and every block to {@code regions}. */
    void addTo(Regions regions) {
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (i == 0) {
                regions.add(address, PREFIX_SIZE + b.length, "object header of " + what);
            } else {
                regions.add(b.address, b.length, "object header block of " + what);
            }
        }
    }

    /** Total bytes the header occupies in the file (prefix and every block). */
    long occupiedBytes() {
        long n = PREFIX_SIZE;
        for (Block b : blocks) {
            n += b.length;
        }
        return n;
    }

    // ------------------------------------------------------------------ writing

    /**
     * A message to write.
     *
     * @param type the message type
     * @param flags the message flags
     * @param data its data, padded to a multiple of 8 bytes when written
     */
    record NewMessage(int type, int flags, byte[] data) {
        int paddedSize() {
            return (data.length + 7) & ~7;
        }
    }

    /** The size of a one-block header holding {@code messages}. */
    static int encodedSize(List<NewMessage> messages) {
        int n = PREFIX_SIZE;
        for (NewMessage m : messages) {
            n += MESSAGE_HEADER_SIZE + m.paddedSize();
        }
        return n;
    }

    /**
     * A one-block version-1 header holding {@code messages}, reference count 1.
     *
     * @throws IllegalArgumentException if a message is larger than a version-1 header can hold
     */
    static byte[] encode(List<NewMessage> messages) {
        ByteBuffer b = ByteBuffer.allocate(encodedSize(messages)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).put((byte) 0).putShort((short) messages.size()).putInt(1)
                .putInt(b.capacity() - PREFIX_SIZE).putInt(0);
        for (NewMessage m : messages) {
            if (m.paddedSize() > FormatLimits.MAX_MESSAGE_BYTES) {
                throw new IllegalArgumentException("a header message of " + m.data.length + " bytes is larger than"
                        + " an HDF5 version-1 object header holds (" + FormatLimits.MAX_MESSAGE_BYTES + ")");
            }
            b.putShort((short) m.type).putShort((short) m.paddedSize()).put((byte) m.flags).put(new byte[3]);
            b.put(m.data);
            b.position(b.position() + m.paddedSize() - m.data.length);
        }
        return b.array();
    }

    /** Offset, within {@link #encode encode(messages)}, of message {@code index}'s data. */
    static int dataOffset(List<NewMessage> messages, int index) {
        int n = PREFIX_SIZE;
        for (int i = 0; i < index; i++) {
            n += MESSAGE_HEADER_SIZE + messages.get(i).paddedSize();
        }
        return n + MESSAGE_HEADER_SIZE;
    }
}
