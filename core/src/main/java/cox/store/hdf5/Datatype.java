package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HDF5 datatype message (specification "Datatype Message"): the classes pandas frame tables
 * use (fixed-point, floating-point, fixed-length string, bitfield, array, compound), read with
 * every size and count checked, and written as HDF5 and PyTables write them. Other classes are
 * read as {@link Other}, which names the class for error messages.
 */
sealed interface Datatype {
    int CLASS_FIXED = 0;
    int CLASS_FLOAT = 1;
    int CLASS_TIME = 2;
    int CLASS_STRING = 3;
    int CLASS_BITFIELD = 4;
    int CLASS_OPAQUE = 5;
    int CLASS_COMPOUND = 6;
    int CLASS_REFERENCE = 7;
    int CLASS_ENUM = 8;
    int CLASS_VLEN = 9;
    int CLASS_ARRAY = 10;
    /** Deepest nesting of compound and array types read. */
    int MAX_DEPTH = 8;

    /** Size in bytes of one element. */
    int size();

    /** Appends this type's message bytes to {@code out}. */
    void encode(Encoder out);

    /** This type's message bytes. */
    default byte[] encode() {
        Encoder e = new Encoder();
        encode(e);
        return e.toArray();
    }

    /** A human name for messages ("int64", "big-endian int32", "variable-length", ...). */
    String describe();

    /** Whether this type or a type inside it has a class that refers to other storage (vlen, reference). */
    default boolean refersOutside() {
        return false;
    }

    /** Signed or unsigned integer. */
    record FixedPoint(int size, boolean signed, boolean bigEndian) implements Datatype {
        static final FixedPoint INT64 = new FixedPoint(8, true, false);

        @Override
        public void encode(Encoder out) {
            out.u8(0x10 | CLASS_FIXED).u8((bigEndian ? 1 : 0) | (signed ? 0x08 : 0)).u8(0).u8(0).u32(size);
            out.u16(0).u16(size * 8);
        }

        @Override
        public String describe() {
            return (bigEndian ? "big-endian " : "") + (signed ? "int" : "uint") + (size * 8);
        }
    }

    /** IEEE floating point (the layout fields are kept as read, to recognise the standard ones). */
    record FloatingPoint(int size, boolean bigEndian, boolean ieee) implements Datatype {
        static final FloatingPoint FLOAT64 = new FloatingPoint(8, false, true);

        @Override
        public void encode(Encoder out) {
            if (size != 8 || !ieee || bigEndian) {
                throw new IllegalStateException("cox4j writes only little-endian IEEE float64");
            }
            // sign at bit 63, mantissa normalisation "implied", exponent 52..62 (11 bits), bias 1023
            out.u8(0x10 | CLASS_FLOAT).u8(0x20).u8(63).u8(0).u32(8);
            out.u16(0).u16(64).u8(52).u8(11).u8(0).u8(52).u32(1023);
        }

        @Override
        public String describe() {
            return (bigEndian ? "big-endian " : "") + (ieee ? "float" : "non-IEEE float") + (size * 8);
        }
    }

    /** Fixed-length string. {@code padding} 0 = NUL-terminated, 1 = NUL-padded, 2 = space-padded; {@code utf8} else ASCII. */
    record StringType(int size, int padding, boolean utf8) implements Datatype {
        @Override
        public void encode(Encoder out) {
            out.u8(0x10 | CLASS_STRING).u8(padding | (utf8 ? 0x10 : 0)).u8(0).u8(0).u32(size);
        }

        @Override
        public String describe() {
            return (utf8 ? "UTF-8" : "ASCII") + " string of " + size + " bytes";
        }
    }

    /** Bitfield: PyTables stores bool as an 8-bit one. */
    record Bitfield(int size, boolean bigEndian) implements Datatype {
        static final Bitfield B8 = new Bitfield(1, false);

        @Override
        public void encode(Encoder out) {
            out.u8(0x10 | CLASS_BITFIELD).u8(bigEndian ? 1 : 0).u8(0).u8(0).u32(size);
            out.u16(0).u16(size * 8);
        }

        @Override
        public String describe() {
            return size * 8 + "-bit bitfield";
        }
    }

    /** An array of {@code base} elements: the {@code (n,)}-shaped members of {@code values_block_K}. */
    record ArrayType(Datatype base, int[] dims) implements Datatype {
        @Override
        public int size() {
            return base.size() * count();
        }

        int count() {
            int n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        @Override
        public void encode(Encoder out) {
            out.u8(0x20 | CLASS_ARRAY).u8(0).u8(0).u8(0).u32(size());
            out.u8(dims.length).u8(0).u8(0).u8(0);
            for (int d : dims) {
                out.u32(d);
            }
            for (int i = 0; i < dims.length; i++) {
                out.u32(i);
            }
            base.encode(out);
        }

        @Override
        public String describe() {
            return "array of " + count() + " " + base.describe();
        }

        @Override
        public boolean refersOutside() {
            return base.refersOutside();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArrayType a && a.base.equals(base) && java.util.Arrays.equals(a.dims, dims);
        }

        @Override
        public int hashCode() {
            return base.hashCode() * 31 + java.util.Arrays.hashCode(dims);
        }

        @Override
        public String toString() {
            return "ArrayType[" + base + ", " + java.util.Arrays.toString(dims) + "]";
        }
    }

    /** One member of a compound type. */
    record Member(String name, int offset, Datatype type) {
    }

    /** A compound type (a table row). */
    record Compound(int size, List<Member> members) implements Datatype {
        public Compound {
            members = List.copyOf(members);
        }

        @Override
        public void encode(Encoder out) {
            // version 2: member names padded to 8 bytes, 4-byte offsets (HDF5 uses it when a member is an array)
            out.u8(0x20 | CLASS_COMPOUND).u16(members.size()).u8(0).u32(size);
            for (Member m : members) {
                byte[] name = m.name.getBytes(StandardCharsets.UTF_8);
                out.bytes(name).u8(0);
                out.zeros((8 - ((name.length + 1) & 7)) & 7);
                out.u32(m.offset);
                m.type.encode(out);
            }
        }

        @Override
        public String describe() {
            return "compound of " + members.size() + " members";
        }

        @Override
        public boolean refersOutside() {
            for (Member m : members) {
                if (m.type.refersOutside()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A class cox4j does not read table cells of (time, opaque, reference, enum, variable-length). */
    record Other(int typeClass, int size, byte[] raw) implements Datatype {
        @Override
        public void encode(Encoder out) {
            out.bytes(raw);
        }

        @Override
        public String describe() {
            switch (typeClass) {
                case CLASS_TIME:
                    return "time";
                case CLASS_OPAQUE:
                    return "opaque";
                case CLASS_REFERENCE:
                    return "reference";
                case CLASS_ENUM:
                    return "enum";
                case CLASS_VLEN:
                    return "variable-length";
                default:
                    return "class " + typeClass;
            }
        }

        @Override
        public boolean refersOutside() {
            return typeClass == CLASS_VLEN || typeClass == CLASS_REFERENCE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other x && x.typeClass == typeClass && java.util.Arrays.equals(x.raw, raw);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return "Other[" + describe() + ", " + size + " bytes]";
        }
    }

    /**
     * Reads a datatype message from {@code b} at its position, advancing past it.
     *
     * @param f the file, for error messages
     * @param what the object it belongs to
     */
    static Datatype read(ByteBuffer b, FileBytes f, String what) {
        return read(b, f, what, 0);
    }

    private static Datatype read(ByteBuffer b, FileBytes f, String what, int depth) {
        if (depth > MAX_DEPTH) {
            throw f.error(what + ": datatype nested deeper than " + MAX_DEPTH);
        }
        need(b, 8, f, what);
        int start = b.position();
        int classVersion = b.get() & 0xff;
        int typeClass = classVersion & 0x0f;
        int version = classVersion >>> 4;
        int bits0 = b.get() & 0xff;
        int bits1 = b.get() & 0xff;
        int bits2 = b.get() & 0xff;
        long size = Integer.toUnsignedLong(b.getInt());
        if (version < 1 || version > 4) {
            throw f.error(what + ": datatype version " + version + " of class " + typeClass + " is not defined");
        }
        if (size == 0 || size > Integer.MAX_VALUE / 2) {
            throw f.error(what + ": datatype of class " + typeClass + " has size " + size);
        }
        int n = (int) size;
        switch (typeClass) {
            case CLASS_FIXED: {
                need(b, 4, f, what);
                int offset = Short.toUnsignedInt(b.getShort());
                int precision = Short.toUnsignedInt(b.getShort());
                if (offset != 0 || precision != 8 * n || (n != 1 && n != 2 && n != 4 && n != 8)) {
                    return new Other(typeClass, n, raw(b, start));
                }
                return new FixedPoint(n, (bits0 & 0x08) != 0, (bits0 & 0x01) != 0);
            }
            case CLASS_FLOAT: {
                need(b, 12, f, what);
                int offset = Short.toUnsignedInt(b.getShort());
                int precision = Short.toUnsignedInt(b.getShort());
                int expLocation = b.get() & 0xff;
                int expSize = b.get() & 0xff;
                int mantLocation = b.get() & 0xff;
                int mantSize = b.get() & 0xff;
                long bias = Integer.toUnsignedLong(b.getInt());
                boolean vax = (bits0 & 0x40) != 0;
                boolean ieee = !vax && offset == 0 && ((n == 8 && precision == 64 && expLocation == 52 && expSize == 11
                        && mantLocation == 0 && mantSize == 52 && bias == 1023 && bits1 == 63)
                        || (n == 4 && precision == 32 && expLocation == 23 && expSize == 8 && mantLocation == 0
                        && mantSize == 23 && bias == 127 && bits1 == 31))
                        && ((bits0 >>> 4) & 3) == 2;
                return new FloatingPoint(n, (bits0 & 0x01) != 0, ieee);
            }
            case CLASS_STRING:
                return new StringType(n, bits0 & 0x0f, ((bits0 >>> 4) & 0x0f) == 1);
            case CLASS_BITFIELD: {
                need(b, 4, f, what);
                int offset = Short.toUnsignedInt(b.getShort());
                int precision = Short.toUnsignedInt(b.getShort());
                if (offset != 0 || precision != 8 * n) {
                    return new Other(typeClass, n, raw(b, start));
                }
                return new Bitfield(n, (bits0 & 0x01) != 0);
            }
            case CLASS_ARRAY: {
                if (version < 2) {
                    throw f.error(what + ": array datatype of version " + version);
                }
                need(b, version == 2 ? 4 : 1, f, what);
                int rank = b.get() & 0xff;
                if (version == 2) {
                    b.position(b.position() + 3);
                }
                if (rank == 0 || rank > 32) {
                    throw f.error(what + ": array datatype of rank " + rank);
                }
                need(b, 4L * rank * (version == 2 ? 2 : 1), f, what);
                int[] dims = new int[rank];
                long count = 1;
                for (int i = 0; i < rank; i++) {
                    long d = Integer.toUnsignedLong(b.getInt());
                    count *= d;
                    if (d == 0 || count > n) {
                        throw f.error(what + ": array datatype dimensions do not fit its size " + n);
                    }
                    dims[i] = (int) d;
                }
                if (version == 2) {
                    b.position(b.position() + 4 * rank);
                }
                Datatype base = read(b, f, what, depth + 1);
                if ((long) base.size() * count != n) {
                    throw f.error(what + ": array datatype of " + count + " elements of " + base.size()
                            + " bytes has size " + n);
                }
                return new ArrayType(base, dims);
            }
            case CLASS_COMPOUND: {
                int count = bits0 | (bits1 << 8);
                if (count == 0) {
                    throw f.error(what + ": compound datatype without members");
                }
                if (count > b.remaining() / 4) {
                    throw f.error(what + ": compound datatype claims " + count + " members, more than its message holds");
                }
                List<Member> members = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String name = name(b, version < 3, f, what);
                    long offset;
                    if (version < 3) {
                        need(b, 4, f, what);
                        offset = Integer.toUnsignedLong(b.getInt());
                    } else {
                        int width = n < 256 ? 1 : n < 65536 ? 2 : n < (1 << 24) ? 3 : 4;
                        need(b, width, f, what);
                        offset = 0;
                        for (int k = 0; k < width; k++) {
                            offset |= (long) (b.get() & 0xff) << (8 * k);
                        }
                    }
                    Datatype type;
                    if (version == 1) {
                        need(b, 28, f, what);
                        int rank = b.get() & 0xff;
                        b.position(b.position() + 3 + 4 + 4);
                        int[] dims = new int[4];
                        long c = 1;
                        for (int k = 0; k < 4; k++) {
                            dims[k] = b.getInt();
                            if (k < rank && c <= Integer.MAX_VALUE) {
                                c *= Integer.toUnsignedLong(dims[k]); // stays below 2^63: both factors < 2^32
                            }
                        }
                        Datatype base = read(b, f, what, depth + 1);
                        if (rank > 4) {
                            throw f.error(what + ": compound member '" + name + "' of rank " + rank);
                        }
                        if (rank == 0) {
                            type = base;
                        } else {
                            if (c == 0 || c > Integer.MAX_VALUE || c * base.size() > n) {
                                throw f.error(what + ": compound member '" + name + "' does not fit the compound");
                            }
                            type = new ArrayType(base, java.util.Arrays.copyOf(dims, rank));
                        }
                    } else {
                        type = read(b, f, what, depth + 1);
                    }
                    if (offset + type.size() > n) {
                        throw f.error(what + ": compound member '" + name + "' at byte " + offset + " of "
                                + type.size() + " bytes lies outside the " + n + "-byte compound");
                    }
                    members.add(new Member(name, (int) offset, type));
                }
                List<Member> byOffset = new ArrayList<>(members);
                byOffset.sort((x, y) -> Integer.compare(x.offset(), y.offset()));
                for (int i = 1; i < byOffset.size(); i++) {
                    Member a = byOffset.get(i - 1);
                    if (a.offset() + a.type().size() > byOffset.get(i).offset()) {
                        throw f.error(what + ": compound members '" + a.name() + "' and '" + byOffset.get(i).name()
                                + "' overlap");
                    }
                }
                return new Compound(n, members);
            }
            default:
                // properties of other classes are not needed: the caller only names the class
                return new Other(typeClass, n, raw(b, start));
        }
    }

    private static byte[] raw(ByteBuffer b, int start) {
        byte[] r = new byte[b.position() - start];
        b.get(start, r);
        return r;
    }

    private static String name(ByteBuffer b, boolean padded, FileBytes f, String what) {
        int start = b.position();
        int end = start;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        if (end >= b.limit()) {
            throw f.error(what + ": compound member name is not NUL-terminated inside its datatype message");
        }
        byte[] bytes = new byte[end - start];
        b.get(start, bytes);
        int consumed = end - start + 1;
        if (padded) {
            consumed = (consumed + 7) & ~7;
        }
        need(b, consumed, f, what);
        b.position(start + consumed);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void need(ByteBuffer b, long n, FileBytes f, String what) {
        if (b.remaining() < n) {
            throw f.error(what + ": datatype message is cut short");
        }
    }
}
