package cox.store.hdf5;

import cox.pickle.PickleWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An attribute message (specification "Attribute Message"), read in versions 1 to 3 and written in
 * version 1 as PyTables writes it, with PyTables' conventions (FORMAT.md): a string is a scalar
 * NUL-terminated UTF-8 string (the empty string a NULL dataspace), a pickled Python object an
 * ASCII string, an integer a little-endian int64, a bool an 8-bit bitfield.
 *
 * @param name the attribute name
 * @param type its datatype
 * @param space its dataspace
 * @param data its raw value bytes (never changed: attributes read from equal messages share them)
 * @param dataAddress where the value bytes sit in the file (-1 for a new attribute)
 */
record Attribute(String name, Datatype type, Dataspace space, byte[] data, long dataAddress) {
    /** Longest attribute name accepted when reading. */
    static final int MAX_NAME = 1 << 16;

    /**
     * Reads an attribute message; one whose bytes were read before ({@link ParseCache#ATTRIBUTES})
     * is not parsed again.
     */
    static Attribute read(ObjectHeader.Message m, FileBytes f, String what) {
        ByteBuffer b = m.buffer();
        Attribute known = ParseCache.ATTRIBUTES.get(b);
        if (known != null) {
            return new Attribute(known.name, known.type, known.space, known.data, m.dataAddress() + known.dataAddress);
        }
        Attribute a = parse(m, f, what);
        ParseCache.ATTRIBUTES.put(b, new Attribute(a.name, a.type, a.space, a.data, a.dataAddress - m.dataAddress()));
        return a;
    }

    /** Parses an attribute message. */
    private static Attribute parse(ObjectHeader.Message m, FileBytes f, String what) {
        ByteBuffer b = m.buffer();
        if (b.limit() < 8) {
            throw f.error(what + ": attribute message at " + m.dataAddress() + " is cut short");
        }
        int version = b.get(0) & 0xff;
        int flags = b.get(1) & 0xff;
        int nameSize = Short.toUnsignedInt(b.getShort(2));
        int typeSize = Short.toUnsignedInt(b.getShort(4));
        int spaceSize = Short.toUnsignedInt(b.getShort(6));
        int at;
        boolean padded;
        if (version == 1) {
            at = 8;
            padded = true;
        } else if (version == 2 || version == 3) {
            if ((flags & 3) != 0) {
                throw f.unsupported(what + ": attribute at " + m.dataAddress() + " uses a shared datatype or dataspace");
            }
            at = version == 2 ? 8 : 9;
            padded = false;
        } else {
            throw f.error(what + ": attribute message at " + m.dataAddress() + " has version " + version);
        }
        if (nameSize == 0) {
            throw f.error(what + ": attribute at " + m.dataAddress() + " has an empty name");
        }
        int nameEnd = at + nameSize;
        int typeAt = padded ? pad8(nameEnd) : nameEnd;
        int spaceAt = padded ? pad8(typeAt + typeSize) : typeAt + typeSize;
        int dataAt = padded ? pad8(spaceAt + spaceSize) : spaceAt + spaceSize;
        if (dataAt > b.limit()) {
            throw f.error(what + ": attribute message at " + m.dataAddress() + " is shorter than its fields claim");
        }
        if (b.get(nameEnd - 1) != 0) {
            throw f.error(what + ": attribute name at " + m.dataAddress() + " is not NUL-terminated");
        }
        byte[] nameBytes = new byte[nameSize - 1];
        b.get(at, nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        String where = what + ", attribute '" + name + "'";
        Datatype type = Datatype.read(b.slice(typeAt, typeSize).order(java.nio.ByteOrder.LITTLE_ENDIAN), f, where);
        Dataspace space = Dataspace.read(b.slice(spaceAt, spaceSize).order(java.nio.ByteOrder.LITTLE_ENDIAN), f, where);
        long elements = space.elements();
        if (elements < 0 || elements > (b.limit() - dataAt) / Math.max(1, type.size())) {
            throw f.error(where + ": value of " + elements + " elements of " + type.size()
                    + " bytes does not fit its " + m.size() + "-byte message");
        }
        int n = (int) (elements * type.size());
        byte[] data = new byte[n];
        b.get(dataAt, data);
        return new Attribute(name, type, space, data, m.dataAddress() + dataAt);
    }

    private static int pad8(int n) {
        return (n + 7) & ~7;
    }

    /**
     * The value of a fixed-length string attribute up to its first NUL ("" for a NULL space).
     *
     * @return the bytes, or null if this is not a scalar string attribute
     */
    byte[] textBytes() {
        if (space.kind() == Dataspace.NULL && type instanceof Datatype.StringType) {
            return new byte[0];
        }
        if (!(type instanceof Datatype.StringType) || space.elements() != 1) {
            return null;
        }
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return Arrays.copyOf(data, end);
    }

    /** The value of a scalar int64 attribute, or null if it is not one. */
    Long int64() {
        if (type instanceof Datatype.FixedPoint fp && fp.size() == 8 && fp.signed() && !fp.bigEndian()
                && space.elements() == 1) {
            return ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return null;
    }

    /** Offset of the value within this attribute's message data, when written by {@link #encode}. */
    int valueOffset() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        return 8 + pad8(nameBytes.length + 1) + pad8(type.encode().length) + pad8(space.encode().length);
    }

    /** The version-1 attribute message's data. */
    byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] t = type.encode();
        byte[] s = space.encode();
        Encoder e = new Encoder(64 + nameBytes.length + t.length + s.length + data.length);
        e.u8(1).u8(0).u16(nameBytes.length + 1).u16(t.length).u16(s.length);
        e.bytes(nameBytes).u8(0).pad8();
        e.bytes(t).pad8();
        e.bytes(s).pad8();
        e.bytes(data);
        return e.toArray();
    }

    /** This attribute as a header message to write. */
    ObjectHeader.NewMessage message() {
        return new ObjectHeader.NewMessage(ObjectHeader.ATTRIBUTE, 0, encode());
    }

    // ------------------------------------------------------------------ PyTables conventions

    /** A plain string: scalar NUL-terminated UTF-8; the empty string has a NULL dataspace (and a 1-byte type). */
    static Attribute string(String name, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0) {
            return new Attribute(name, new Datatype.StringType(1, 0, true), Dataspace.NULL_SPACE, new byte[0], -1);
        }
        return new Attribute(name, new Datatype.StringType(b.length, 0, true), Dataspace.SCALAR_SPACE, b, -1);
    }

    /** A Python object: its protocol-0 pickle as a scalar ASCII string. */
    static Attribute pickle(String name, Object value) {
        byte[] b = PickleWriter.dumpsProtocol0(value);
        return new Attribute(name, new Datatype.StringType(b.length, 0, false), Dataspace.SCALAR_SPACE, b, -1);
    }

    /** The fill value of a string member: one NUL byte, ASCII. */
    static Attribute emptyAscii(String name) {
        return new Attribute(name, new Datatype.StringType(1, 0, false), Dataspace.SCALAR_SPACE, new byte[1], -1);
    }

    static Attribute int64(String name, long value) {
        byte[] b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        return new Attribute(name, Datatype.FixedPoint.INT64, Dataspace.SCALAR_SPACE, b, -1);
    }

    static Attribute float64(String name, double value) {
        byte[] b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(value).array();
        return new Attribute(name, Datatype.FloatingPoint.FLOAT64, Dataspace.SCALAR_SPACE, b, -1);
    }

    static Attribute bool8(String name, boolean value) {
        return new Attribute(name, Datatype.Bitfield.B8, Dataspace.SCALAR_SPACE, new byte[] {(byte) (value ? 1 : 0)},
                -1);
    }
}
