package cox.pickle;

import cox.torch.DType;
import cox.torch.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes plain Java data as Python pickles that {@code pickle.loads} turns into the natural
 * Python value; mirrors {@code pickle.dumps}.
 *
 * <p>{@link #dumps(Object)} writes protocol 4 (what cox's dill writes for OBJECT cells; Python
 * 3.4 and later read it), without frames or memo:
 * <table>
 *   <caption>Java to Python</caption>
 *   <tr><td>{@code null}, {@code Boolean}</td><td>None, bool</td></tr>
 *   <tr><td>{@code Byte, Short, Integer, Long, BigInteger}</td><td>int</td></tr>
 *   <tr><td>{@code Float, Double}</td><td>float (bit-exact: NaN, -0.0, infinities)</td></tr>
 *   <tr><td>{@code String, Character, char[]}, an {@code Enum} (its name)</td><td>str</td></tr>
 *   <tr><td>{@code byte[]}</td><td>bytes</td></tr>
 *   <tr><td>{@code List} and other non-set {@code Collection}s; {@code int[], long[], double[],
 *       float[], short[], boolean[]}</td><td>list</td></tr>
 *   <tr><td>{@code Object[]}</td><td>tuple (what {@link SafeUnpickler} returns for a tuple)</td></tr>
 *   <tr><td>{@code Set}</td><td>set</td></tr>
 *   <tr><td>{@code Map}</td><td>dict, in the map's iteration order</td></tr>
 *   <tr><td>a record</td><td>dict of its components, in declaration order</td></tr>
 *   <tr><td>a Java bean (public no-arg constructor and public getters)</td><td>dict of its
 *       properties, sorted by name</td></tr>
 *   <tr><td>{@link PythonGlobal}</td><td>that class or function (e.g. {@code float})</td></tr>
 *   <tr><td>{@link Tensor}</td><td>a {@code numpy.ndarray} of the same dtype and shape
 *       (numpy has no bfloat16, so a bfloat16 tensor is refused)</td></tr>
 * </table>
 * Tensors become numpy arrays rather than torch tensors because a pickled torch tensor embeds a
 * whole legacy {@code torch.save} stream, and because numpy is always there where cox runs
 * (pandas needs it) while torch may not be. Anything else is an
 * {@link IllegalArgumentException} naming the class; so is nesting deeper than
 * {@value #MAX_DEPTH} levels (a cyclic structure ends that way too).
 *
 * <p>{@link #dumpsProtocol0(Object)} writes ASCII protocol 0 with the Python 2 spellings PyTables
 * and pandas use for HDF5 attributes, byte for byte as Python 3's
 * {@code pickle.dumps(obj, protocol=0)}.
 *
 * <p>Why not razorvine's {@code Pickler}: it writes {@code byte[]} as {@code bytearray},
 * primitive arrays as {@code array.array}, beans with an extra {@code __class__} key, has
 * JVM-global static custom picklers, and has no protocol 0; the mapping above is what cox needs,
 * so this small writer owns it.
 *
 * <p>Stateless and thread-safe.
 */
public final class PickleWriter {
    /** Deepest container nesting that is written. */
    public static final int MAX_DEPTH = 1000;

    private static final PythonGlobal RECONSTRUCT =
            new PythonGlobal("numpy.core.multiarray", "_reconstruct");
    private static final PythonGlobal NDARRAY = new PythonGlobal("numpy", "ndarray");
    private static final PythonGlobal NP_DTYPE = new PythonGlobal("numpy", "dtype");
    private static final PythonGlobal CODECS_ENCODE = new PythonGlobal("_codecs", "encode");
    private static final PythonGlobal SET = new PythonGlobal("builtins", "set");
    private static final PythonGlobal BYTES = new PythonGlobal("builtins", "bytes");
    /** One identity so that repeated bytes reuse its memo entry, as in CPython. */
    private static final String LATIN1 = new String("latin1");

    private PickleWriter() {
    }

    // ================================================================ protocol 4

    /**
     * The value as a protocol-4 pickle.
     *
     * @throws IllegalArgumentException if the value (or something inside it) has no Python
     *     counterpart, or nests deeper than {@value #MAX_DEPTH} levels
     */
    public static byte[] dumps(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            dump(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with a ByteArrayOutputStream
        }
        return out.toByteArray();
    }

    /**
     * Writes the value as a protocol-4 pickle to {@code out} ({@code pickle.dump}); does not
     * close or flush it.
     *
     * @throws IllegalArgumentException as {@link #dumps(Object)}
     * @throws IOException if writing fails
     */
    public static void dump(Object value, OutputStream out) throws IOException {
        Binary w = new Binary(out);
        out.write(0x80);
        out.write(4);
        w.save(value, 0);
        out.write('.');
    }

    private static final class Binary {
        private final OutputStream out;
        private final byte[] buf = new byte[9];

        Binary(OutputStream out) {
            this.out = out;
        }

        void save(Object v, int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH
                        + " levels (is it cyclic?)");
            }
            if (v == null) {
                out.write('N');
            } else if (v instanceof Boolean) {
                out.write((Boolean) v ? 0x88 : 0x89);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short
                    || v instanceof Byte) {
                saveLong(((Number) v).longValue());
            } else if (v instanceof BigInteger) {
                saveBigInteger((BigInteger) v);
            } else if (v instanceof Double || v instanceof Float) {
                out.write('G');
                ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN)
                        .putLong(0, Double.doubleToRawLongBits(((Number) v).doubleValue()));
                out.write(buf, 0, 8);
            } else if (v instanceof String) {
                saveString((String) v);
            } else if (v instanceof Character) {
                saveString(v.toString());
            } else if (v instanceof char[]) {
                saveString(new String((char[]) v));
            } else if (v instanceof Enum) {
                saveString(((Enum<?>) v).name());
            } else if (v instanceof byte[]) {
                saveBytes((byte[]) v);
            } else if (v instanceof PythonGlobal) {
                saveGlobal((PythonGlobal) v);
            } else if (v instanceof Tensor) {
                saveTensor((Tensor) v);
            } else if (v instanceof Map) {
                out.write('}');
                Map<?, ?> m = (Map<?, ?>) v;
                if (!m.isEmpty()) {
                    int n = 0;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (n % 1000 == 0) {
                            if (n > 0) {
                                out.write('u');
                            }
                            out.write('(');
                        }
                        save(e.getKey(), depth + 1);
                        save(e.getValue(), depth + 1);
                        n++;
                    }
                    out.write('u');
                }
            } else if (v instanceof Set) {
                out.write(0x8f);
                saveItems(((Set<?>) v).iterator(), 0x90, depth);
            } else if (v instanceof Collection) {
                out.write(']');
                saveItems(((Collection<?>) v).iterator(), 'e', depth);
            } else if (v instanceof Object[]) {
                Object[] t = (Object[]) v;
                if (t.length == 0) {
                    out.write(')');
                } else if (t.length <= 3) {
                    for (Object o : t) {
                        save(o, depth + 1);
                    }
                    out.write(0x84 + t.length);
                } else {
                    out.write('(');
                    for (Object o : t) {
                        save(o, depth + 1);
                    }
                    out.write('t');
                }
            } else if (v.getClass().isArray()) {
                out.write(']');
                saveItems(primitiveIterator(v), 'e', depth);
            } else if (v.getClass().isRecord()) {
                save(recordToMap(v), depth);
            } else {
                Map<String, Object> bean = beanToMap(v);
                save(bean, depth);
            }
        }

        private void saveItems(Iterator<?> it, int batchOp, int depth) throws IOException {
            int n = 0;
            while (it.hasNext()) {
                if (n % 1000 == 0) {
                    if (n > 0) {
                        out.write(batchOp);
                    }
                    out.write('(');
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
                out.write('K');
                out.write((int) v);
            } else if (v >= 0 && v <= 0xFFFF) {
                out.write('M');
                out.write((int) v & 0xFF);
                out.write((int) (v >>> 8));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J');
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
                out.write(0x8a);
                out.write(n);
            } else {
                out.write(0x8b);
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, n);
                out.write(buf, 0, 4);
            }
            for (int i = n - 1; i >= 0; i--) {
                out.write(be[i]);
            }
        }

        private void saveString(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length < 256) {
                out.write(0x8c);
                out.write(b.length);
            } else {
                out.write('X');
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
                out.write(buf, 0, 4);
            }
            out.write(b);
        }

        private void saveBytes(byte[] b) throws IOException {
            if (b.length < 256) {
                out.write('C');
                out.write(b.length);
            } else {
                out.write('B');
                ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, b.length);
                out.write(buf, 0, 4);
            }
            out.write(b);
        }

        private void saveGlobal(PythonGlobal g) throws IOException {
            out.write('c');
            out.write((g.module() + "\n" + g.name() + "\n").getBytes(StandardCharsets.UTF_8));
        }

        private void saveTensor(Tensor t) throws IOException {
            String code = t.dtype().numpyCode();
            if (code == null) {
                throw new IllegalArgumentException("cannot pickle a " + t.dtype()
                        + " tensor: numpy has no " + t.dtype()
                        + " dtype (store it in a PYTORCH_STATE column)");
            }
            saveGlobal(RECONSTRUCT);
            saveGlobal(NDARRAY);
            saveLong(0);
            out.write(0x85);
            saveBytes(new byte[] {'b'});
            out.write(0x87);
            out.write('R');
            out.write('(');
            saveLong(1);
            long[] shape = t.shape();
            Object[] shapeTuple = new Object[shape.length];
            for (int i = 0; i < shape.length; i++) {
                shapeTuple[i] = shape[i];
            }
            save(shapeTuple, 0);
            saveGlobal(NP_DTYPE);
            saveString(code);
            out.write(0x89);
            out.write(0x88);
            out.write(0x87);
            out.write('R');
            out.write('(');
            saveLong(3);
            saveString(t.dtype().itemSize() == 1 ? "|" : "<");
            out.write('N');
            out.write('N');
            out.write('N');
            saveLong(-1);
            saveLong(-1);
            saveLong(0);
            out.write('t');
            out.write('b');
            out.write(0x89);
            int n = t.byteSize();
            out.write('B');
            ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).putInt(0, n);
            out.write(buf, 0, 4);
            t.writeTo(out);
            out.write('t');
            out.write('b');
        }
    }

    private static Iterator<Object> primitiveIterator(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Object next() {
                return java.lang.reflect.Array.get(array, i++);
            }
        };
    }

    private static Map<String, Object> recordToMap(Object record) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Method acc = c.getAccessor();
            try {
                acc.setAccessible(true);
                m.put(c.getName(), acc.invoke(record));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read component " + c.getName()
                        + " of record " + record.getClass().getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("component " + c.getName() + " of record "
                        + record.getClass().getName() + " threw " + e.getCause(), e.getCause());
            }
        }
        return m;
    }

    private static Map<String, Object> beanToMap(Object bean) {
        Class<?> cls = bean.getClass();
        boolean noArgConstructor;
        try {
            noArgConstructor = Modifier.isPublic(cls.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            noArgConstructor = false;
        }
        TreeMap<String, Object> m = new TreeMap<>();
        if (noArgConstructor && Modifier.isPublic(cls.getModifiers())) {
            for (Method meth : cls.getMethods()) {
                if (meth.getParameterCount() != 0 || Modifier.isStatic(meth.getModifiers())
                        || meth.getDeclaringClass() == Object.class) {
                    continue;
                }
                String n = meth.getName();
                String prop;
                if (n.startsWith("get") && n.length() > 3 && meth.getReturnType() != void.class) {
                    prop = n.substring(3);
                } else if (n.startsWith("is") && n.length() > 2
                        && meth.getReturnType() == boolean.class) {
                    prop = n.substring(2);
                } else {
                    continue;
                }
                prop = prop.length() > 1 && Character.isUpperCase(prop.charAt(1))
                        ? prop : Character.toLowerCase(prop.charAt(0)) + prop.substring(1);
                try {
                    m.put(prop, meth.invoke(bean));
                } catch (IllegalAccessException e) {
                    throw new IllegalArgumentException("cannot read property " + prop + " of "
                            + cls.getName() + ": " + e, e);
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException("property " + prop + " of " + cls.getName()
                            + " threw " + e.getCause(), e.getCause());
                }
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("cannot pickle a " + cls.getName()
                    + ": not plain data (null, boolean, number, string, byte[], list, set, map,"
                    + " array, record, Java bean, PythonGlobal or Tensor)");
        }
        return m;
    }

    // ================================================================ protocol 0

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
     * @throws IllegalArgumentException for any other value or nesting deeper than
     *     {@value #MAX_DEPTH}
     */
    public static byte[] dumpsProtocol0(Object value) {
        Ascii w = new Ascii();
        w.save(value, 0);
        w.out.append('.');
        return w.out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class Ascii {
        final StringBuilder out = new StringBuilder();
        private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
        private final HashMap<PythonGlobal, Integer> globals = new HashMap<>();
        private int next;

        private boolean get(Object key, boolean byValue) {
            Integer i = byValue ? globals.get(key) : memo.get(key);
            if (i == null) {
                return false;
            }
            out.append('g').append(i).append('\n');
            return true;
        }

        private void put(Object key, boolean byValue) {
            int i = next++;
            if (byValue) {
                globals.put((PythonGlobal) key, i);
            } else {
                memo.put(key, i);
            }
            out.append('p').append(i).append('\n');
        }

        void save(Object v, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("value nests deeper than " + MAX_DEPTH
                        + " levels (is it cyclic?)");
            }
            if (v == null) {
                out.append('N');
            } else if (v instanceof Boolean) {
                out.append((Boolean) v ? "I01\n" : "I00\n");
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short
                    || v instanceof Byte || v instanceof BigInteger) {
                BigInteger b = v instanceof BigInteger ? (BigInteger) v
                        : BigInteger.valueOf(((Number) v).longValue());
                if (b.bitLength() < 32) {
                    out.append('I').append(b).append('\n');
                } else {
                    out.append('L').append(b).append("L\n");
                }
            } else if (v instanceof Double || v instanceof Float) {
                out.append('F').append(pythonRepr(((Number) v).doubleValue())).append('\n');
            } else if (v instanceof String) {
                if (!get(v, false)) {
                    out.append('V');
                    rawUnicodeEscape((String) v);
                    out.append('\n');
                    put(v, false);
                }
            } else if (v instanceof PythonGlobal) {
                PythonGlobal g = (PythonGlobal) v;
                if (!get(g, true)) {
                    String module = g.module();
                    String name = g.name();
                    if (module.equals("builtins")) {
                        module = "__builtin__";
                        name = name.equals("int") ? "long" : name.equals("str") ? "unicode" : name;
                    }
                    out.append('c').append(module).append('\n').append(name).append('\n');
                    put(g, true);
                }
            } else if (v instanceof byte[]) {
                byte[] b = (byte[]) v;
                if (get(v, false)) {
                    return;
                }
                if (b.length == 0) {
                    reduce(BYTES, new Object[0], depth);
                } else {
                    reduce(CODECS_ENCODE, new Object[] {
                        new String(b, StandardCharsets.ISO_8859_1), LATIN1}, depth);
                }
                put(v, false);
            } else if (v instanceof List) {
                if (get(v, false)) {
                    return;
                }
                out.append("(l");
                put(v, false);
                for (Object o : (List<?>) v) {
                    save(o, depth + 1);
                    out.append('a');
                }
            } else if (v instanceof Map) {
                if (get(v, false)) {
                    return;
                }
                out.append("(d");
                put(v, false);
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    save(e.getKey(), depth + 1);
                    save(e.getValue(), depth + 1);
                    out.append('s');
                }
            } else if (v instanceof Set) {
                if (get(v, false)) {
                    return;
                }
                reduce(SET, new Object[] {new java.util.ArrayList<>((Set<?>) v)}, depth);
                put(v, false);
            } else if (v instanceof Object[]) {
                Object[] t = (Object[]) v;
                if (get(v, false)) {
                    return;
                }
                out.append('(');
                for (Object o : t) {
                    save(o, depth + 1);
                }
                out.append('t');
                if (t.length > 0) {
                    put(v, false);
                }
            } else {
                throw new IllegalArgumentException("cannot write a " + v.getClass().getName()
                        + " as a protocol-0 pickle (null, bool, int, float, str, bytes, list,"
                        + " tuple, set, dict and PythonGlobal are written)");
            }
        }

        private void reduce(PythonGlobal f, Object[] args, int depth) {
            save(f, depth + 1);
            save(args, depth + 1);
            out.append('R');
        }

        /** Python 3's protocol-0 str escaping, then raw-unicode-escape (lower-case hex). */
        private void rawUnicodeEscape(String s) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == '\\' || cp == 0 || cp == '\n' || cp == '\r' || cp == 0x1a) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", cp));
                } else if (cp < 0x100) {
                    out.append((char) cp);
                } else if (cp < 0x10000) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", cp));
                } else {
                    out.append(String.format(Locale.ROOT, "\\U%08x", cp));
                }
            }
        }
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double,
     * in fixed notation for exponents -4 to 15 (always with a fractional part) and as
     * {@code 1e+16} / {@code 1.5e-05} otherwise; {@code nan}, {@code inf}, {@code -inf}.
     */
    static String pythonRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int decpt = digits.length() - shortest.scale(); // value = 0.DIGITS * 10^decpt
        StringBuilder s = new StringBuilder();
        if (d < 0) {
            s.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                s.append("0.");
                for (int i = 0; i < -decpt; i++) {
                    s.append('0');
                }
                s.append(digits);
            } else if (decpt >= digits.length()) {
                s.append(digits);
                for (int i = digits.length(); i < decpt; i++) {
                    s.append('0');
                }
                s.append(".0");
            } else {
                s.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            s.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                s.append('0');
            }
            s.append(a);
        }
        return s.toString();
    }
}
