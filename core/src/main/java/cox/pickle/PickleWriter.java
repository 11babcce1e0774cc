package cox.pickle;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes plain Java data as Python pickles that {@code pickle.loads} turns into the natural
 * Python value; mirrors {@code pickle.dumps}. The one entry point for plain data: protocol 4
 * through a {@link Pickler} without reducers (see there for the Java-to-Python mapping), and the
 * ASCII protocol 0 of HDF5 attributes. Formats with more (numpy arrays, torch.save) build their
 * own {@link Pickler}.
 *
 * <p>Why not razorvine's {@code Pickler}: it writes {@code byte[]} as {@code bytearray},
 * primitive arrays as {@code array.array}, beans with an extra {@code __class__} key, has
 * JVM-global static custom picklers, and has no protocol 0; the mapping cox needs is small
 * enough to own.
 *
 * <p>Stateless and thread-safe.
 */
public final class PickleWriter {
    /** Deepest container nesting that is written. */
    public static final int MAX_DEPTH = Pickler.MAX_DEPTH;

    private static final Pickler PROTOCOL_4 = Pickler.protocol(4);

    private PickleWriter() {
    }

    /**
     * The value as a protocol-4 pickle (what cox's dill writes for OBJECT cells; Python 3.4 and
     * later read it), without frames or memo.
     *
     * @param value plain data, as {@link Pickler} maps it
     * @return the pickle's bytes
     * @throws IllegalArgumentException if the value (or something inside it) has no Python
     *     counterpart, or nests deeper than {@value #MAX_DEPTH} levels
     */
    public static byte[] dumps(Object value) {
        return PROTOCOL_4.dumps(value);
    }

    /**
     * Writes the value as a protocol-4 pickle to {@code out} ({@code pickle.dump}); does not
     * close or flush it.
     *
     * @param value plain data
     * @param out where to write
     * @throws IllegalArgumentException as {@link #dumps(Object)}
     * @throws IOException if writing fails
     */
    public static void dump(Object value, OutputStream out) throws IOException {
        PROTOCOL_4.dump(value, out);
    }

    /**
     * The value as an ASCII protocol-0 pickle, byte for byte what Python 3's
     * {@code pickle.dumps(value, protocol=0)} writes (with its Python 2 names, e.g.
     * {@code c__builtin__\nfloat} and {@code c__builtin__\nlong} for {@link PythonGlobal#INT}),
     * including memo numbering; this is how PyTables and pandas pickle HDF5 attributes.
     * Strings, lists, tuples and dicts are memoised by identity, {@link PythonGlobal}s by value,
     * as CPython does for its (unique) class objects.
     *
     * <p>Handles {@code null}, {@code Boolean}, integers ({@code Byte} to {@code BigInteger}),
     * {@code Float}/{@code Double}, {@code String}, {@code byte[]} (as {@code _codecs.encode}),
     * {@code List}, {@code Object[]} (tuple), {@code Set}, {@code Map} and {@code PythonGlobal}.
     *
     * @param value the value
     * @return the pickle's bytes (ASCII)
     * @throws IllegalArgumentException for any other value or nesting deeper than
     *     {@value #MAX_DEPTH}
     */
    public static byte[] dumpsProtocol0(Object value) {
        return Protocol0Writer.dumps(value);
    }
}
