package cox.store.hdf5;

import java.nio.ByteBuffer;

/**
 * A dataspace message (specification "Dataspace Message"), versions 1 and 2: scalar, null, or
 * simple with dimensions and optional maximum dimensions ({@link #UNLIMITED} for growable ones).
 *
 * @param kind {@link #SCALAR}, {@link #SIMPLE} or {@link #NULL}
 * @param dims current dimensions (empty unless simple)
 * @param maxDims maximum dimensions, or null if the message has none
 */
record Dataspace(int kind, long[] dims, long[] maxDims) {
    static final int SCALAR = 0;
    static final int SIMPLE = 1;
    static final int NULL = 2;
    static final long UNLIMITED = -1L;
    static final Dataspace SCALAR_SPACE = new Dataspace(SCALAR, new long[0], null);
    static final Dataspace NULL_SPACE = new Dataspace(NULL, new long[0], null);
    /** Offset of the first dimension in a version-1 message. */
    static final int V1_DIMS_OFFSET = 8;

    /** Reads the message in {@code b} (position 0). */
    static Dataspace read(ByteBuffer b, FileBytes f, String what) {
        if (b.remaining() < 4) {
            throw f.error(what + ": dataspace message is cut short");
        }
        int p = b.position();
        int version = b.get(p) & 0xff;
        int rank = b.get(p + 1) & 0xff;
        int flags = b.get(p + 2) & 0xff;
        int kind;
        int at;
        if (version == 1) {
            kind = rank == 0 ? SCALAR : SIMPLE;
            at = p + 8;
        } else if (version == 2) {
            kind = b.get(p + 3) & 0xff;
            if (kind > NULL) {
                throw f.error(what + ": dataspace of type " + kind);
            }
            at = p + 4;
        } else {
            throw f.error(what + ": dataspace message of version " + version);
        }
        if (rank > 32) {
            throw f.error(what + ": dataspace of rank " + rank);
        }
        if (kind != SIMPLE && rank != 0) {
            throw f.error(what + ": scalar or null dataspace of rank " + rank);
        }
        boolean hasMax = (flags & 1) != 0;
        long need = (long) rank * 8 * (hasMax ? 2 : 1) + (version == 1 && (flags & 2) != 0 ? rank * 8L : 0);
        if (b.limit() - at < need) {
            throw f.error(what + ": dataspace message is cut short");
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getLong(at + 8 * i);
        }
        long[] max = null;
        if (hasMax) {
            max = new long[rank];
            for (int i = 0; i < rank; i++) {
                max[i] = b.getLong(at + 8 * (rank + i));
                if (max[i] != UNLIMITED && Long.compareUnsigned(dims[i], max[i]) > 0) {
                    throw f.error(what + ": dataspace dimension " + Long.toUnsignedString(dims[i])
                            + " exceeds its maximum " + Long.toUnsignedString(max[i]));
                }
            }
        }
        return new Dataspace(kind, dims, max);
    }

    /** Number of elements (0 for a null space, 1 for a scalar), or -1 if it does not fit a long. */
    long elements() {
        if (kind == NULL) {
            return 0;
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /** The message bytes: version 1 for scalar and simple spaces, version 2 for the null space (version 1 has none). */
    byte[] encode() {
        Encoder e = new Encoder();
        if (kind == NULL) {
            e.u8(2).u8(0).u8(0).u8(NULL);
            return e.toArray();
        }
        e.u8(1).u8(dims.length).u8(maxDims != null ? 1 : 0).u8(0).u32(0);
        for (long d : dims) {
            e.u64(d);
        }
        if (maxDims != null) {
            for (long d : maxDims) {
                e.u64(d);
            }
        }
        return e.toArray();
    }

    /** A one-dimensional growable space of {@code rows} rows, as a table's dataset has. */
    static Dataspace growable(long rows) {
        return new Dataspace(SIMPLE, new long[] {rows}, new long[] {UNLIMITED});
    }
}
