package cox.pickle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes Java data as a binary pickle (protocol 2 or 4) that {@code pickle.loads} turns into the
 * natural Python value; mirrors {@code pickle.dumps(obj, protocol)}. No memo and no frames are
 * written (both are optional in the format).
 *
 * <table>
 *   <caption>Java to Python</caption>
 *   <tr><td>{@code null}, {@code Boolean}</td><td>None, bool</td></tr>
 *   <tr><td>{@code Byte, Short, Integer, Long, BigInteger}</td><td>int</td></tr>
 *   <tr><td>{@code Float, Double}</td><td>float (bit-exact: NaN, -0.0, infinities)</td></tr>
 *   <tr><td>{@code String, Character, char[]}, an {@code Enum} (its name)</td><td>str</td></tr>
 *   <tr><td>{@code byte[]}</td><td>bytes</td></tr>
 *   <tr><td>{@code List} and other non-set {@code Collection}s; {@code int[], long[], double[],
 *       float[], short[], boolean[]}</td><td>list</td></tr>
 *   <tr><td>{@code Object[]}</td><td>tuple (what {@link Unpickler} returns for a tuple)</td></tr>
 *   <tr><td>{@code Set}</td><td>set</td></tr>
 *   <tr><td>{@code Map}</td><td>dict, in the map's iteration order</td></tr>
 *   <tr><td>a record</td><td>dict of its components, in declaration order</td></tr>
 *   <tr><td>a Java bean (public no-arg constructor and public getters)</td><td>dict of its
 *       properties, sorted by name</td></tr>
 *   <tr><td>{@link PythonGlobal}</td><td>that class or function (e.g. {@code float})</td></tr>
 *   <tr><td>{@link Reduction}</td><td>the value of its call (with state and items)</td></tr>
 *   <tr><td>{@link PersistentId}</td><td>what the reader's {@code persistent_load} gives for it</td></tr>
 *   <tr><td>a type with a reducer ({@link #withReducer})</td><td>what its reducer returns, written
 *       as above</td></tr>
 * </table>
 * Anything else is an {@link IllegalArgumentException} naming the class; so is nesting deeper
 * than {@value #MAX_DEPTH} levels (a cyclic structure ends that way too).
 *
 * <p>Protocol 2 (Python 2.3 and later; torch.save's {@code data.pkl}) writes strings as
 * {@code BINUNICODE}, bytes as {@code _codecs.encode(text, 'latin1')} and sets as
 * {@code set([...])}, as CPython does for that protocol; protocol 4 (Python 3.4 and later; what
 * dill writes for cox's OBJECT cells) uses its short opcodes.
 *
 * <p>Immutable and thread-safe; {@link #withReducer} returns a new pickler.
 */
public final class Pickler {
    /** Deepest container nesting that is written. */
    public static final int MAX_DEPTH = 1000;

    private static final PythonGlobal CODECS_ENCODE = new PythonGlobal("_codecs", "encode");
    private static final PythonGlobal BYTES = new PythonGlobal("builtins", "bytes");
    private static final PythonGlobal SET = new PythonGlobal("builtins", "set");
    private static final String PLAIN_DATA = "null, boolean, number, string, byte[], list, set, map, array, record,"
            + " Java bean, PythonGlobal, Reduction or PersistentId";

    private final int protocol;
    private final Map<Class<?>, Function<Object, ?>> reducers;

    private Pickler(int protocol, Map<Class<?>, Function<Object, ?>> reducers) {
        this.protocol = protocol;
        this.reducers = reducers;
    }

    /**
     * A pickler writing {@code protocol}, with no reducers.
     *
     * @param protocol 2 or 4
     * @return the pickler
     * @throws IllegalArgumentException for another protocol
     */
    public static Pickler protocol(int protocol) {
        if (protocol != 2 && protocol != 4) {
            throw new IllegalArgumentException("pickle protocol must be 2 or 4: got " + protocol);
        }
        return new Pickler(protocol, Map.of());
    }

    /**
     * A pickler that writes values of {@code type} (and its subtypes) as what {@code reducer}
     * returns for them, typically a {@link Reduction}; the first matching reducer, in the order
     * they were added, wins, and is asked before the mapping above.
     *
     * @param <T> the type
     * @param type the class of the values
     * @param reducer gives the value to write instead; may throw {@link IllegalArgumentException}
     *     for a value it cannot write
     * @return a new pickler with the reducer added
     */
    public <T> Pickler withReducer(Class<T> type, Function<? super T, ?> reducer) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reducer, "reducer");
        Map<Class<?>, Function<Object, ?>> more = new LinkedHashMap<>(reducers);
        more.put(type, o -> reducer.apply(type.cast(o)));
        return new Pickler(protocol, more);
    }

    /**
     * The value as a pickle.
     *
     * @param value the value
     * @return the pickle's bytes
     * @throws IllegalArgumentException if the value (or something inside it) has no Python
     *     counterpart, or nests deeper than {@value #MAX_DEPTH} levels
     */
    public byte[] dumps(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            dump(value, out);
        } catch (IOException e) {
            throw new AssertionError("a ByteArrayOutputStream does not throw", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the value as a pickle to {@code out} ({@code pickle.dump}); does not close or flush
     * it.
     *
     * @param value the value
     * @param out where to write
     * @throws IllegalArgumentException as {@link #dumps(Object)}
     * @throws IOException if writing fails
     */
    public void dump(Object value, OutputStream out) throws IOException {
        out.write(Opcodes.PROTO);
        out.write(protocol);
        new Writer(out).save(value, 0);
        out.write(Opcodes.STOP);
    }

    private String plainData() {
        if (reducers.isEmpty()) {
            return PLAIN_DATA;
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : reducers.keySet()) {
            names.add(c.getName());
        }
        return PLAIN_DATA.replace(" or PersistentId", ", PersistentId or " + String.join(", ", names));
    }

    /** One dump: the stream and a scratch buffer. */
    private final class Writer {
        private final OutputStream out;
        private final byte[] buf = new byte[9];

        Writer(OutputStream out) {
            this.out = out;
        }

        void save(Object v, int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH
                        + " levels (is it cyclic?)");
            }
            if (v == null) {
                out.write(Opcodes.NONE);
                return;
            }
            for (Map.Entry<Class<?>, Function<Object, ?>> r : reducers.entrySet()) {
                if (r.getKey().isInstance(v)) {
                    save(r.getValue().apply(v), depth + 1);
                    return;
                }
            }
            if (v instanceof Boolean b) {
                out.write(b ? Opcodes.NEWTRUE : Opcodes.NEWFALSE);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                saveLong(((Number) v).longValue());
            } else if (v instanceof BigInteger b) {
                saveBigInteger(b);
            } else if (v instanceof Double || v instanceof Float) {
                out.write(Opcodes.BINFLOAT);
                ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN)
                        .putLong(0, Double.doubleToRawLongBits(((Number) v).doubleValue()));
                out.write(buf, 0, 8);
            } else if (v instanceof String s) {
                saveString(s);
            } else if (v instanceof Character) {
                saveString(v.toString());
            } else if (v instanceof char[] c) {
                saveString(new String(c));
            } else if (v instanceof Enum<?> e) {
                saveString(e.name());
            } else if (v instanceof byte[] b) {
                saveBytes(b, depth);
            } else if (v instanceof PythonGlobal g) {
                saveGlobal(g);
            } else if (v instanceof Reduction r) {
                saveReduction(r, depth);
            } else if (v instanceof PersistentId p) {
                save(p.id(), depth + 1);
                out.write(Opcodes.BINPERSID);
            } else if (v instanceof Map<?, ?> m) {
                out.write(Opcodes.EMPTY_DICT);
                saveDictItems(m, depth);
            } else if (v instanceof Set<?> s) {
                if (protocol >= 4) {
                    out.write(Opcodes.EMPTY_SET);
                    saveItems(s.iterator(), Opcodes.ADDITEMS, depth);
                } else {
                    saveReduction(Reduction.call(SET, new ArrayList<Object>(s)), depth);
                }
            } else if (v instanceof Collection<?> c) {
                out.write(Opcodes.EMPTY_LIST);
                saveItems(c.iterator(), Opcodes.APPENDS, depth);
            } else if (v instanceof Object[] t) {
                saveTuple(t, depth);
            } else if (v.getClass().isArray()) {
                out.write(Opcodes.EMPTY_LIST);
                saveItems(JavaData.primitiveIterator(v), Opcodes.APPENDS, depth);
            } else if (v.getClass().isRecord()) {
                save(JavaData.recordToMap(v), depth);
            } else {
                save(JavaData.beanToMap(v, plainData()), depth);
            }
        }

        private void saveTuple(Object[] t, int depth) throws IOException {
            if (t.length == 0) {
                out.write(Opcodes.EMPTY_TUPLE);
            } else if (t.length <= 3) {
                for (Object o : t) {
                    save(o, depth + 1);
                }
                out.write(Opcodes.TUPLE1 + t.length - 1);
            } else {
                out.write(Opcodes.MARK);
                for (Object o : t) {
                    save(o, depth + 1);
                }
                out.write(Opcodes.TUPLE);
            }
        }

        /** {@code callable args REDUCE}, then items and state as CPython's save_reduce orders them. */
        private void saveReduction(Reduction r, int depth) throws IOException {
            saveGlobal(r.callable());
            saveTuple(r.args().toArray(), depth);
            out.write(Opcodes.REDUCE);
            saveDictItems(r.dictItems(), depth);
            if (r.state() != null) {
                save(r.state(), depth + 1);
                out.write(Opcodes.BUILD);
            }
        }

        /** Sets {@code m}'s items on the dict on the stack, in batches of 1000 as CPython does. */
        private void saveDictItems(Map<?, ?> m, int depth) throws IOException {
            if (m.isEmpty()) {
                return;
            }
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n % 1000 == 0) {
                    if (n > 0) {
                        out.write(Opcodes.SETITEMS);
                    }
                    out.write(Opcodes.MARK);
                }
                save(e.getKey(), depth + 1);
                save(e.getValue(), depth + 1);
                n++;
            }
            out.write(Opcodes.SETITEMS);
        }

        private void saveItems(Iterator<?> it, int batchOp, int depth) throws IOException {
            int n = 0;
            while (it.hasNext()) {
                if (n % 1000 == 0) {
                    if (n > 0) {
                        out.write(batchOp);
                    }
                    out.write(Opcodes.MARK);
                }
                save(it.next(), depth + 1);
                n++;
            }
            if (n > 0) {
                out.write(batchOp);
            }
        }

        private void saveLong(long v) throws IOException {
            if (v >= 0 && v <= 0xFF) {
                out.write(Opcodes.BININT1);
                out.write((int) v);
            } else if (v >= 0 && v <= 0xFFFF) {
                out.write(Opcodes.BININT2);
                out.write((int) v & 0xFF);
                out.write((int) (v >>> 8));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write(Opcodes.BININT);
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) v);
                out.write(buf, 0, 4);
            } else {
                saveBigInteger(BigInteger.valueOf(v));
            }
        }

        private void saveBigInteger(BigInteger v) throws IOException {
            if (v.bitLength() < 32) {
                saveLong(v.longValue());
                return;
            }
            byte[] be = v.toByteArray(); // minimal two's complement, as Python's encode_long
            int n = be.length;
            if (n < 256) {
                out.write(Opcodes.LONG1);
                out.write(n);
            } else {
                out.write(Opcodes.LONG4);
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, n);
                out.write(buf, 0, 4);
            }
            for (int i = n - 1; i >= 0; i--) {
                out.write(be[i]);
            }
        }

        private void saveString(String s) throws IOException {
            checkEncodable(s);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length < 256 && protocol >= 4) {
                out.write(Opcodes.SHORT_BINUNICODE);
                out.write(b.length);
            } else {
                out.write(Opcodes.BINUNICODE);
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
                out.write(buf, 0, 4);
            }
            out.write(b);
        }

        private void saveBytes(byte[] b, int depth) throws IOException {
            if (protocol < 3) {
                if (b.length == 0) {
                    saveReduction(Reduction.call(BYTES), depth);
                } else {
                    saveReduction(Reduction.call(CODECS_ENCODE, new String(b, StandardCharsets.ISO_8859_1), "latin1"),
                            depth);
                }
                return;
            }
            if (b.length < 256) {
                out.write(Opcodes.SHORT_BINBYTES);
                out.write(b.length);
            } else {
                out.write(Opcodes.BINBYTES);
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
                out.write(buf, 0, 4);
            }
            out.write(b);
        }

        private void saveGlobal(PythonGlobal g) throws IOException {
            out.write(Opcodes.GLOBAL);
            out.write((g.module() + "\n" + g.name() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Refuses a string with a surrogate that is not half of a pair: UTF-8 cannot encode it, and
     * Java would write '?' in its place.
     *
     * @throws IllegalArgumentException naming the character and its index
     */
    static void checkEncodable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format("a string holds a lone surrogate U+%04X at index %d,"
                        + " which UTF-8 cannot encode", (int) c, i));
            }
        }
    }
}
