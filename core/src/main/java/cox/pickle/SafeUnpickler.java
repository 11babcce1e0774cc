package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import cox.torch.DType;
import cox.torch.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads Python pickles (protocols 0 to 5) into plain Java data, and never anything else; mirrors
 * {@code pickle.loads} with a {@code find_class} that knows a fixed list of names.
 *
 * <p>Values: dict → {@link LinkedHashMap} (order kept; also {@code collections.OrderedDict}),
 * list → {@link ArrayList}, tuple → {@code Object[]}, set and frozenset → {@link LinkedHashSet},
 * str → {@link String}, bytes and bytearray → {@code byte[]}, int → {@link Long} or
 * {@link BigInteger} outside the long range, float → {@link Double}, bool → {@link Boolean},
 * None → {@code null}, numpy arrays → {@link Tensor}, numpy scalars → {@code Long},
 * {@code Double} or {@code Boolean}, torch tensors of a {@code torch.save} file → {@code Tensor},
 * and a class or function used as a value (e.g. {@code <class 'float'>} in cox's schemas) →
 * {@link PythonGlobal}.
 *
 * <p><b>Safe by construction.</b> This is a self-contained pickle machine: it does not use
 * razorvine's {@code Unpickler} or any of its object constructors, and it never loads a Java class
 * by name. Every {@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST} and {@code OBJ} is checked
 * against the allow-list below before anything else happens, and anything else ends in a
 * {@link PickleSecurityException} ({@code refused to load global os.system: not on the allow-list}).
 * Calls ({@code REDUCE}, {@code NEWOBJ}) are only evaluated for the listed constructors, each a
 * few lines of Java that build data:
 * <ul>
 *   <li>values only: {@code builtins} {@code int float str bool bytes bytearray list dict tuple
 *       set frozenset complex object} (Python 2's {@code __builtin__ long unicode} included);
 *   <li>{@code builtins.set}, {@code frozenset}, {@code bytes}, {@code bytearray} over data;
 *       {@code _codecs.encode(str, 'latin1')}; {@code collections.OrderedDict};
 *   <li>numpy: {@code numpy.core.multiarray._reconstruct} and {@code scalar},
 *       {@code numpy.core.numeric._frombuffer} (and the {@code numpy._core} spellings of
 *       numpy 2), {@code numpy.ndarray}, {@code numpy.dtype};
 *   <li>torch (only with a {@link TorchStorageSource}): {@code torch._utils._rebuild_tensor_v2},
 *       {@code torch._utils._rebuild_parameter} and the storage classes
 *       {@code torch.FloatStorage ... torch.BoolStorage}, {@code torch.UntypedStorage}.
 * </ul>
 * dill writes ordinary pickles for plain data (the fixtures' OBJECT cells use only the opcodes
 * above), so it needs no extra names.
 *
 * <p><b>Limits.</b> Lengths are checked against the remaining input before anything is allocated,
 * so a short stream cannot make it allocate much more than its own size; integers are limited to
 * {@value #MAX_INT_DIGITS} decimal digits as in Python 3.11; the machine is iterative, and the
 * result may nest at most {@value #MAX_DEPTH} containers deep and may not contain itself
 * (a cyclic structure would break Java's {@code equals}/{@code hashCode}/{@code toString}).
 * Every failure is an {@link UnpicklingException} naming the opcode and offset.
 *
 * <p>Stateless and thread-safe: each call uses its own machine.
 */
public final class SafeUnpickler {
    /** Deepest container nesting a loaded value may have. */
    public static final int MAX_DEPTH = 1000;
    /** Most decimal digits of a pickled integer (Python 3.11's default limit). */
    public static final int MAX_INT_DIGITS = 4300;

    private SafeUnpickler() {
    }

    /**
     * Loads one pickle from {@code pickle} ({@code pickle.loads}); bytes after its {@code STOP}
     * are ignored, as Python does.
     *
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public static Object loads(byte[] pickle) {
        return loads(pickle, null);
    }

    /**
     * Reads {@code in} to its end and loads the pickle in it ({@code pickle.load}).
     *
     * @throws IOException if reading fails
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public static Object load(InputStream in) throws IOException {
        return loads(in.readAllBytes(), null);
    }

    /**
     * Loads a {@code torch.save} {@code data.pkl}: persistent ids of the form
     * {@code ('storage', torch.FloatStorage, KEY, location, numel)} are resolved through
     * {@code storages} and tensors are rebuilt as {@link Tensor}s (views materialised).
     *
     * @param storages where storage bytes come from; {@code null} refuses persistent ids
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep, or a
     *     storage is missing or too small
     */
    public static Object loads(byte[] pickle, TorchStorageSource storages) {
        Objects.requireNonNull(pickle, "pickle");
        Machine m = new Machine(pickle, storages);
        Object result;
        try {
            result = m.run();
        } catch (StackOverflowError e) {
            throw new UnpicklingException("pickle nests too deep to load (stack overflow at offset "
                    + m.opStart + ")");
        } catch (ArithmeticException | IllegalArgumentException | ClassCastException e) {
            throw new UnpicklingException("corrupt pickle at offset " + m.opStart + ": "
                    + e.getMessage(), e);
        }
        checkResult(result);
        return result;
    }

    // ---------------------------------------------------------------- allow-list

    private static final Set<String> VALUE_GLOBALS = Set.of(
            "builtins.int", "builtins.float", "builtins.str", "builtins.bool", "builtins.bytes",
            "builtins.bytearray", "builtins.list", "builtins.dict", "builtins.tuple",
            "builtins.set", "builtins.frozenset", "builtins.complex", "builtins.object",
            "numpy.ndarray");

    private static final Set<String> CALLABLE_GLOBALS = Set.of(
            "builtins.set", "builtins.frozenset", "builtins.bytes", "builtins.bytearray",
            "_codecs.encode", "collections.OrderedDict",
            "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
            "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
            "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
            "numpy.dtype",
            "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter");

    private static boolean isTorchStorageClass(PythonGlobal g) {
        if (g.module().equals("torch.storage") && g.name().equals("UntypedStorage")) {
            return true;
        }
        if (!g.module().equals("torch")) {
            return false;
        }
        if (g.name().equals("UntypedStorage")) {
            return true;
        }
        for (DType t : DType.values()) {
            if (t.storageClassName().equals(g.name())) {
                return true;
            }
        }
        return false;
    }

    private static PythonGlobal checkGlobal(String module, String name) {
        PythonGlobal g;
        try {
            g = new PythonGlobal(module, name);
        } catch (IllegalArgumentException e) {
            throw new PickleSecurityException("refused to load global " + module + "." + name
                    + ": not on the allow-list");
        }
        String key = g.toString();
        if (VALUE_GLOBALS.contains(key) || CALLABLE_GLOBALS.contains(key) || isTorchStorageClass(g)) {
            return g;
        }
        throw new PickleSecurityException("refused to load global " + module + "." + name
                + ": not on the allow-list");
    }

    // ---------------------------------------------------------------- internal values

    /** Mark on the stack. */
    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    /** numpy.dtype(code) awaiting its BUILD state (byte order). */
    private static final class NumpyDType {
        final String code;
        char order = '=';

        NumpyDType(String code) {
            this.code = code;
        }

        int itemSize() {
            return Integer.parseInt(code.substring(1));
        }

        char kind() {
            return code.charAt(0);
        }

        boolean bigEndian() {
            return order == '>';
        }
    }

    /** numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') awaiting its BUILD state. */
    private static final class PendingArray {
    }

    /** A torch storage resolved from a persistent id. */
    private static final class Storage {
        final DType dtype;
        final ByteBuffer bytes;
        final String key;

        Storage(DType dtype, ByteBuffer bytes, String key) {
            this.dtype = dtype;
            this.bytes = bytes;
            this.key = key;
        }
    }

    // ---------------------------------------------------------------- result check

    /** Iterative post-order walk: depth limit, no cycles, no internal values left over. */
    private static void checkResult(Object root) {
        IdentityHashMap<Object, Integer> height = new IdentityHashMap<>();
        final int inProgress = -1;
        ArrayList<Object> work = new ArrayList<>();
        ArrayList<java.util.Iterator<?>> iters = new ArrayList<>();
        if (!isContainer(root)) {
            checkLeaf(root);
            return;
        }
        work.add(root);
        iters.add(children(root));
        height.put(root, inProgress);
        while (!work.isEmpty()) {
            int top = work.size() - 1;
            java.util.Iterator<?> it = iters.get(top);
            if (it.hasNext()) {
                Object child = it.next();
                if (!isContainer(child)) {
                    checkLeaf(child);
                    continue;
                }
                Integer h = height.get(child);
                if (h == null) {
                    if (work.size() >= MAX_DEPTH) {
                        throw new UnpicklingException("pickle nests containers deeper than "
                                + MAX_DEPTH + " levels");
                    }
                    height.put(child, inProgress);
                    work.add(child);
                    iters.add(children(child));
                } else if (h == inProgress) {
                    throw new UnpicklingException("pickle holds a container that contains itself;"
                            + " cyclic structures are not loaded");
                } else if (h + work.size() > MAX_DEPTH) {
                    throw new UnpicklingException("pickle nests containers deeper than "
                            + MAX_DEPTH + " levels");
                }
            } else {
                Object done = work.remove(top);
                iters.remove(top);
                int h = 1;
                for (java.util.Iterator<?> c = children(done); c.hasNext(); ) {
                    Object child = c.next();
                    if (isContainer(child)) {
                        h = Math.max(h, height.get(child) + 1);
                    }
                }
                height.put(done, h);
            }
        }
    }

    private static boolean isContainer(Object o) {
        return o instanceof Map || o instanceof Collection || o instanceof Object[];
    }

    private static java.util.Iterator<?> children(Object o) {
        if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            List<Object> all = new ArrayList<>(m.size() * 2);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                all.add(e.getKey());
                all.add(e.getValue());
            }
            return all.iterator();
        }
        if (o instanceof Collection) {
            return ((Collection<?>) o).iterator();
        }
        return Arrays.asList((Object[]) o).iterator();
    }

    private static void checkLeaf(Object o) {
        if (o instanceof NumpyDType) {
            throw new UnpicklingException("numpy dtype objects are only read inside numpy arrays");
        }
        if (o instanceof PendingArray) {
            throw new UnpicklingException("numpy array without its BUILD state");
        }
        if (o instanceof Storage) {
            throw new UnpicklingException("torch storage used outside a tensor");
        }
        if (o == MARK) {
            throw new UnpicklingException("MARK left in the result");
        }
    }

    // ---------------------------------------------------------------- the machine

    private static final class Machine {
        private final byte[] in;
        private final TorchStorageSource storages;
        private final Map<String, Storage> storageCache = new HashMap<>();
        private int pos;
        int opStart;
        private String opName = "";
        private Object[] stack = new Object[32];
        private int sp;
        private int[] marks = new int[8];
        private int mp;
        private final HashMap<Long, Object> memo = new HashMap<>();

        Machine(byte[] in, TorchStorageSource storages) {
            this.in = in;
            this.storages = storages;
        }

        // ---- input

        private UnpicklingException truncated(long need) {
            return new UnpicklingException("truncated pickle: " + opName + " at offset " + opStart
                    + " needs " + need + " more bytes, " + (in.length - pos) + " left");
        }

        private UnpicklingException corrupt(String what) {
            return new UnpicklingException("corrupt pickle: " + opName + " at offset " + opStart
                    + " " + what);
        }

        private void need(long n) {
            if (n < 0 || n > in.length - pos) {
                throw truncated(n);
            }
        }

        private int u8() {
            need(1);
            return in[pos++] & 0xFF;
        }

        private int u16() {
            need(2);
            int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
            pos += 2;
            return v;
        }

        private int i32() {
            need(4);
            int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16
                    | (in[pos + 3] & 0xFF) << 24;
            pos += 4;
            return v;
        }

        private long u32() {
            return i32() & 0xFFFFFFFFL;
        }

        private long i64() {
            need(8);
            long v = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            pos += 8;
            return v;
        }

        /** A length read as unsigned 64-bit; refused when longer than the rest of the input. */
        private int length(long len) {
            if (len < 0 || len > in.length - pos) {
                throw new UnpicklingException("truncated or corrupt pickle: " + opName
                        + " at offset " + opStart + " declares length "
                        + (len < 0 ? Long.toUnsignedString(len) : Long.toString(len))
                        + " but only " + (in.length - pos) + " bytes are left");
            }
            return (int) len;
        }

        private byte[] bytes(int n) {
            need(n);
            byte[] b = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return b;
        }

        private String utf8(int n) {
            need(n);
            String s = new String(in, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** A text line without its '\n' (protocol 0 arguments). */
        private String line() {
            int start = pos;
            while (pos < in.length && in[pos] != '\n') {
                pos++;
            }
            if (pos >= in.length) {
                pos = start;
                throw new UnpicklingException("truncated pickle: " + opName + " at offset "
                        + opStart + " has no terminating newline");
            }
            String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
            pos++;
            return s;
        }

        // ---- stack

        private void push(Object o) {
            if (sp == stack.length) {
                stack = Arrays.copyOf(stack, sp * 2);
            }
            stack[sp++] = o;
        }

        private Object pop() {
            if (sp == 0 || (mp > 0 && marks[mp - 1] == sp)) {
                throw corrupt("pops from an empty stack");
            }
            Object o = stack[--sp];
            stack[sp] = null;
            return o;
        }

        private Object peek() {
            if (sp == 0 || (mp > 0 && marks[mp - 1] == sp)) {
                throw corrupt("reads from an empty stack");
            }
            return stack[sp - 1];
        }

        private void mark() {
            if (mp == marks.length) {
                marks = Arrays.copyOf(marks, mp * 2);
            }
            marks[mp++] = sp;
        }

        /** Pops everything above the last mark, and the mark. */
        private Object[] popMark() {
            if (mp == 0) {
                throw corrupt("needs a MARK but there is none");
            }
            int m = marks[--mp];
            Object[] items = Arrays.copyOfRange(stack, m, sp);
            Arrays.fill(stack, m, sp, null);
            sp = m;
            return items;
        }

        // ---- run

        Object run() {
            while (true) {
                opStart = pos;
                if (pos >= in.length) {
                    opName = "";
                    throw new UnpicklingException("truncated pickle: no STOP opcode before the end"
                            + " of input at offset " + pos);
                }
                int op = in[pos++] & 0xFF;
                opName = opName(op);
                switch (op) {
                    case '.': // STOP
                        Object result = pop();
                        if (sp != 0 || mp != 0) {
                            throw corrupt("leaves " + sp + " items and " + mp + " marks on the stack");
                        }
                        return result;
                    case 0x80: { // PROTO
                        int p = u8();
                        if (p > 5) {
                            throw new UnpicklingException("unsupported pickle protocol " + p
                                    + " at offset " + opStart + " (0 to 5 are read)");
                        }
                        break;
                    }
                    case 0x95: // FRAME
                        length(i64());
                        break;
                    case '(':
                        mark();
                        break;
                    case '0':
                        if (mp > 0 && marks[mp - 1] == sp) {
                            mp--;
                        } else {
                            pop();
                        }
                        break;
                    case '1':
                        popMark();
                        break;
                    case '2':
                        push(peek());
                        break;
                    case 'N':
                        push(null);
                        break;
                    case 0x88:
                        push(Boolean.TRUE);
                        break;
                    case 0x89:
                        push(Boolean.FALSE);
                        break;
                    case 'I':
                        push(parseInt(line()));
                        break;
                    case 'L':
                        push(parseLong(line()));
                        break;
                    case 'J':
                        push((long) i32());
                        break;
                    case 'K':
                        push((long) u8());
                        break;
                    case 'M':
                        push((long) u16());
                        break;
                    case 0x8a:
                        push(longBytes(length(u8())));
                        break;
                    case 0x8b:
                        push(longBytes(length(i32())));
                        break;
                    case 'F':
                        push(parseFloat(line()));
                        break;
                    case 'G': {
                        need(8);
                        double d = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.BIG_ENDIAN).getDouble();
                        pos += 8;
                        push(d);
                        break;
                    }
                    case 'S':
                        push(parseQuoted(line()));
                        break;
                    case 'T':
                        push(new String(bytes(length(i32())), StandardCharsets.ISO_8859_1));
                        break;
                    case 'U':
                        push(new String(bytes(length(u8())), StandardCharsets.ISO_8859_1));
                        break;
                    case 'V':
                        push(rawUnicodeEscape(line()));
                        break;
                    case 'X':
                        push(utf8(length(u32())));
                        break;
                    case 0x8c:
                        push(utf8(length(u8())));
                        break;
                    case 0x8d:
                        push(utf8(length(i64())));
                        break;
                    case 'C':
                        push(bytes(length(u8())));
                        break;
                    case 'B':
                        push(bytes(length(u32())));
                        break;
                    case 0x8e:
                    case 0x96:
                        push(bytes(length(i64())));
                        break;
                    case 0x97:
                    case 0x98:
                        throw new UnpicklingException("unsupported pickle feature: " + opName
                                + " at offset " + opStart + " (out-of-band buffers)");
                    case ')':
                        push(new Object[0]);
                        break;
                    case 't':
                        push(popMark());
                        break;
                    case 0x85:
                        push(new Object[] {pop()});
                        break;
                    case 0x86: {
                        Object b = pop();
                        Object a = pop();
                        push(new Object[] {a, b});
                        break;
                    }
                    case 0x87: {
                        Object c = pop();
                        Object b = pop();
                        Object a = pop();
                        push(new Object[] {a, b, c});
                        break;
                    }
                    case ']':
                        push(new ArrayList<>());
                        break;
                    case 'l':
                        push(new ArrayList<>(Arrays.asList(popMark())));
                        break;
                    case '}':
                        push(new LinkedHashMap<>());
                        break;
                    case 'd': {
                        Object[] items = popMark();
                        push(putAll(new LinkedHashMap<>(), items));
                        break;
                    }
                    case 0x8f:
                        push(new LinkedHashSet<>());
                        break;
                    case 0x91: {
                        Set<Object> s = new LinkedHashSet<>();
                        for (Object o : popMark()) {
                            s.add(hashable(o));
                        }
                        push(s);
                        break;
                    }
                    case 'a': {
                        Object v = pop();
                        list(peek()).add(v);
                        break;
                    }
                    case 'e': {
                        Object[] items = popMark();
                        list(peek()).addAll(Arrays.asList(items));
                        break;
                    }
                    case 's': {
                        Object v = pop();
                        Object k = pop();
                        map(peek()).put(hashable(k), v);
                        break;
                    }
                    case 'u': {
                        Object[] items = popMark();
                        putAll(map(peek()), items);
                        break;
                    }
                    case 0x90: {
                        Object[] items = popMark();
                        Object target = peek();
                        if (!(target instanceof Set)) {
                            throw corrupt("adds to a " + typeName(target) + ", not a set");
                        }
                        @SuppressWarnings("unchecked")
                        Set<Object> s = (Set<Object>) target;
                        for (Object o : items) {
                            s.add(hashable(o));
                        }
                        break;
                    }
                    case 'g':
                        push(memoGet(parseMemoIndex(line())));
                        break;
                    case 'h':
                        push(memoGet(u8()));
                        break;
                    case 'j':
                        push(memoGet(u32()));
                        break;
                    case 'p':
                        memo.put(parseMemoIndex(line()), peek());
                        break;
                    case 'q':
                        memo.put((long) u8(), peek());
                        break;
                    case 'r':
                        memo.put(u32(), peek());
                        break;
                    case 0x94:
                        memo.put((long) memo.size(), peek());
                        break;
                    case 'c': {
                        String module = line();
                        String name = line();
                        push(checkGlobal(module, name));
                        break;
                    }
                    case 0x93: {
                        Object name = pop();
                        Object module = pop();
                        if (!(module instanceof String) || !(name instanceof String)) {
                            throw corrupt("needs two strings, got " + typeName(module) + " and "
                                    + typeName(name));
                        }
                        push(checkGlobal((String) module, (String) name));
                        break;
                    }
                    case 'i': { // INST module\nname\n, args after mark
                        String module = line();
                        String name = line();
                        PythonGlobal g = checkGlobal(module, name);
                        push(call(g, popMark()));
                        break;
                    }
                    case 'o': { // OBJ: mark, class, args
                        Object[] items = popMark();
                        if (items.length == 0) {
                            throw corrupt("has no class to call");
                        }
                        push(call(callee(items[0]), Arrays.copyOfRange(items, 1, items.length)));
                        break;
                    }
                    case 'R': {
                        Object args = pop();
                        Object f = pop();
                        push(call(callee(f), tuple(args)));
                        break;
                    }
                    case 0x81: { // NEWOBJ cls args
                        Object args = pop();
                        Object cls = pop();
                        push(call(callee(cls), tuple(args)));
                        break;
                    }
                    case 0x92: { // NEWOBJ_EX cls args kwargs
                        Object kwargs = pop();
                        Object args = pop();
                        Object cls = pop();
                        if (!(kwargs instanceof Map) || !((Map<?, ?>) kwargs).isEmpty()) {
                            throw new PickleSecurityException("refused to call " + cls
                                    + " with keyword arguments");
                        }
                        push(call(callee(cls), tuple(args)));
                        break;
                    }
                    case 'b': {
                        Object state = pop();
                        build(peek(), state);
                        break;
                    }
                    case 'P':
                        push(persistentLoad(line()));
                        break;
                    case 'Q':
                        push(persistentLoad(pop()));
                        break;
                    case 0x82:
                    case 0x83:
                    case 0x84:
                        throw new PickleSecurityException("refused to load a copyreg extension"
                                + " code (" + opName + " at offset " + opStart + "): not on the allow-list");
                    default:
                        throw new UnpicklingException("corrupt pickle: unknown opcode 0x"
                                + Integer.toHexString(op) + " at offset " + opStart);
                }
            }
        }

        // ---- helpers

        private Object memoGet(long index) {
            Object v = memo.get(index);
            if (v == null && !memo.containsKey(index)) {
                throw corrupt("reads memo entry " + index + ", which was never stored");
            }
            return v;
        }

        private long parseMemoIndex(String s) {
            try {
                long v = Long.parseLong(s.trim());
                if (v < 0) {
                    throw corrupt("has a negative memo index " + s);
                }
                return v;
            } catch (NumberFormatException e) {
                throw corrupt("has an invalid memo index '" + s + "'");
            }
        }

        private Object parseInt(String s) {
            if (s.equals("00")) {
                return Boolean.FALSE;
            }
            if (s.equals("01")) {
                return Boolean.TRUE;
            }
            return parseLong(s);
        }

        private Object parseLong(String s) {
            String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
            if (t.length() > MAX_INT_DIGITS + 1) {
                throw new UnpicklingException("pickle integer at offset " + opStart + " has "
                        + t.length() + " digits, more than the limit " + MAX_INT_DIGITS);
            }
            try {
                return normalise(new BigInteger(t.trim()));
            } catch (NumberFormatException e) {
                throw corrupt("has an invalid integer '" + s + "'");
            }
        }

        private Object longBytes(int n) {
            if (n == 0) {
                return 0L;
            }
            if (n > MAX_INT_DIGITS / 2) {
                throw new UnpicklingException("pickle integer at offset " + opStart + " has " + n
                        + " bytes, more than the limit " + MAX_INT_DIGITS / 2);
            }
            byte[] le = bytes(n);
            byte[] be = new byte[n];
            for (int i = 0; i < n; i++) {
                be[i] = le[n - 1 - i];
            }
            return normalise(new BigInteger(be));
        }

        private Double parseFloat(String s) {
            switch (s) {
                case "nan":
                    return Double.NaN;
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        if (s.length() > 400 || !s.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                            throw new NumberFormatException();
                        }
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw corrupt("has an invalid float '" + s + "'");
                    }
            }
        }

        /** Protocol 0 STRING: a Python 2 str literal with quotes and backslash escapes. */
        private String parseQuoted(String s) {
            if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1)
                    || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
                throw corrupt("has an unquoted string argument");
            }
            String body = s.substring(1, s.length() - 1);
            StringBuilder out = new StringBuilder(body.length());
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c != '\\' || i + 1 == body.length()) {
                    out.append(c);
                    continue;
                }
                char e = body.charAt(++i);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'a': out.append('\u0007'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'v': out.append('\u000b'); break;
                    case '\\': out.append('\\'); break;
                    case '\'': out.append('\''); break;
                    case '"': out.append('"'); break;
                    case 'x':
                        if (i + 2 >= body.length()) {
                            throw corrupt("has a bad \\x escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                        } catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
                            throw corrupt("has a bad \\x escape");
                        }
                        i += 2;
                        break;
                    default:
                        if (e >= '0' && e <= '7') {
                            int v = e - '0';
                            int k = 1;
                            while (k < 3 && i + 1 < body.length() && body.charAt(i + 1) >= '0'
                                    && body.charAt(i + 1) <= '7') {
                                v = v * 8 + body.charAt(++i) - '0';
                                k++;
                            }
                            out.append((char) (v & 0xFF));
                        } else {
                            out.append('\\').append(e);
                        }
                }
            }
            return out.toString();
        }

        /** Protocol 0 UNICODE: latin-1 text with \\uXXXX and \\UXXXXXXXX escapes. */
        private String rawUnicodeEscape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                    int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                    if (i + 2 + digits > s.length()) {
                        throw corrupt("has a truncated \\" + s.charAt(i + 1) + " escape");
                    }
                    int cp;
                    try {
                        cp = (int) Long.parseLong(s.substring(i + 2, i + 2 + digits), 16);
                    } catch (NumberFormatException e) {
                        throw corrupt("has a bad \\" + s.charAt(i + 1) + " escape");
                    }
                    if (!Character.isValidCodePoint(cp)) {
                        throw corrupt("has an escape beyond Unicode: " + Integer.toHexString(cp));
                    }
                    out.appendCodePoint(cp);
                    i += 1 + digits;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private List<Object> list(Object target) {
            if (!(target instanceof List)) {
                throw corrupt("appends to a " + typeName(target) + ", not a list");
            }
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) target;
            return l;
        }

        private Map<Object, Object> map(Object target) {
            if (!(target instanceof Map)) {
                throw corrupt("sets an item on a " + typeName(target) + ", not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) target;
            return m;
        }

        private Map<Object, Object> putAll(Map<Object, Object> m, Object[] items) {
            if (items.length % 2 != 0) {
                throw corrupt("has an odd number (" + items.length + ") of keys and values");
            }
            for (int i = 0; i < items.length; i += 2) {
                m.put(hashable(items[i]), items[i + 1]);
            }
            return m;
        }

        private Object hashable(Object key) {
            if (key instanceof List || key instanceof Map || key instanceof NumpyDType
                    || key instanceof PendingArray || key instanceof Storage || key == MARK) {
                throw corrupt("uses an unhashable " + typeName(key) + " as a dict key or set member");
            }
            return key;
        }

        private Object[] tuple(Object args) {
            if (!(args instanceof Object[])) {
                throw corrupt("needs a tuple of arguments, got " + typeName(args));
            }
            return (Object[]) args;
        }

        private PythonGlobal callee(Object f) {
            if (!(f instanceof PythonGlobal)) {
                throw corrupt("calls a " + typeName(f) + ", which is not callable");
            }
            return (PythonGlobal) f;
        }

        // ---- calls: only the allow-listed constructors, each building data

        private Object call(PythonGlobal g, Object[] args) {
            String key = g.toString();
            if (!CALLABLE_GLOBALS.contains(key)) {
                throw new PickleSecurityException("refused to call global " + key
                        + ": not on the allow-list of callables");
            }
            switch (key) {
                case "builtins.set":
                case "builtins.frozenset": {
                    Set<Object> s = new LinkedHashSet<>();
                    if (args.length == 1) {
                        for (Object o : iterable(args[0], key)) {
                            s.add(hashable(o));
                        }
                    } else if (args.length != 0) {
                        throw corrupt("calls " + key + " with " + args.length + " arguments");
                    }
                    return s;
                }
                case "builtins.bytes":
                case "builtins.bytearray":
                    if (args.length == 0) {
                        return new byte[0];
                    }
                    if (args.length == 1 && args[0] instanceof byte[]) {
                        return args[0];
                    }
                    if (args.length == 1 && args[0] instanceof List) {
                        List<?> l = (List<?>) args[0];
                        byte[] b = new byte[l.size()];
                        for (int i = 0; i < b.length; i++) {
                            Object v = l.get(i);
                            if (!(v instanceof Long) || (Long) v < 0 || (Long) v > 255) {
                                throw corrupt("calls " + key + " with a list holding " + v);
                            }
                            b[i] = (byte) (long) (Long) v;
                        }
                        return b;
                    }
                    return encode(key, args);
                case "_codecs.encode":
                    return encode(key, args);
                case "collections.OrderedDict": {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    if (args.length == 1) {
                        for (Object pair : iterable(args[0], key)) {
                            Object[] kv = pair instanceof Object[] ? (Object[]) pair
                                    : pair instanceof List ? ((List<?>) pair).toArray() : null;
                            if (kv == null || kv.length != 2) {
                                throw corrupt("builds an OrderedDict from a " + typeName(pair)
                                        + ", not a key-value pair");
                            }
                            m.put(hashable(kv[0]), kv[1]);
                        }
                    } else if (args.length != 0) {
                        throw corrupt("calls " + key + " with " + args.length + " arguments");
                    }
                    return m;
                }
                case "numpy.core.multiarray._reconstruct":
                case "numpy._core.multiarray._reconstruct":
                    if (args.length != 3 || !new PythonGlobal("numpy", "ndarray").equals(args[0])) {
                        throw new PickleSecurityException("refused to call " + key
                                + " for anything but numpy.ndarray");
                    }
                    return new PendingArray();
                case "numpy.dtype": {
                    if (args.length < 1 || !(args[0] instanceof String)) {
                        throw corrupt("calls numpy.dtype without a type code");
                    }
                    String code = (String) args[0];
                    if (!code.matches("[fiub](1|2|4|8)")) {
                        throw new UnpicklingException("unsupported numpy dtype '" + code
                                + "' at offset " + opStart + " (bool, int, uint and float are read)");
                    }
                    return new NumpyDType(code);
                }
                case "numpy.core.multiarray.scalar":
                case "numpy._core.multiarray.scalar":
                    if (args.length != 2 || !(args[0] instanceof NumpyDType)) {
                        throw corrupt("calls " + key + " without a dtype and data");
                    }
                    return scalar((NumpyDType) args[0], bytesOf(args[1], key));
                case "numpy.core.numeric._frombuffer":
                case "numpy._core.numeric._frombuffer": {
                    if (args.length != 4 || !(args[1] instanceof NumpyDType)
                            || !(args[2] instanceof Object[])) {
                        throw corrupt("calls " + key + " without buffer, dtype, shape and order");
                    }
                    return array((NumpyDType) args[1], longs(args[2], "shape"),
                            "F".equals(args[3]), bytesOf(args[0], key));
                }
                case "torch._utils._rebuild_tensor_v2":
                    return rebuildTensor(args);
                case "torch._utils._rebuild_parameter":
                    if (args.length < 1 || !(args[0] instanceof Tensor)) {
                        throw corrupt("rebuilds a parameter from a " + (args.length < 1 ? "nothing"
                                : typeName(args[0])));
                    }
                    return args[0];
                default:
                    throw new PickleSecurityException("refused to call global " + key
                            + ": not on the allow-list of callables");
            }
        }

        private Iterable<?> iterable(Object o, String key) {
            if (o instanceof Collection) {
                return (Collection<?>) o;
            }
            if (o instanceof Object[]) {
                return Arrays.asList((Object[]) o);
            }
            throw corrupt("calls " + key + " with a " + typeName(o) + ", not a list or tuple");
        }

        private byte[] encode(String key, Object[] args) {
            if (args.length == 2 && args[0] instanceof String && args[1] instanceof String) {
                String enc = ((String) args[1]).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                if (enc.equals("latin1") || enc.equals("latin-1") || enc.equals("iso-8859-1")) {
                    String s = (String) args[0];
                    for (int i = 0; i < s.length(); i++) {
                        if (s.charAt(i) > 0xFF) {
                            throw corrupt("encodes a non-latin-1 character with " + key);
                        }
                    }
                    return s.getBytes(StandardCharsets.ISO_8859_1);
                }
                if (enc.equals("utf-8") || enc.equals("utf8")) {
                    return ((String) args[0]).getBytes(StandardCharsets.UTF_8);
                }
                throw corrupt("calls " + key + " with encoding '" + args[1] + "'");
            }
            throw corrupt("calls " + key + " with arguments other than (str, encoding)");
        }

        private byte[] bytesOf(Object o, String key) {
            if (o instanceof byte[]) {
                return (byte[]) o;
            }
            if (o instanceof String) { // Python 2 str read as latin-1
                return ((String) o).getBytes(StandardCharsets.ISO_8859_1);
            }
            throw corrupt("gives " + key + " a " + typeName(o) + " instead of bytes");
        }

        private long[] longs(Object o, String what) {
            if (!(o instanceof Object[])) {
                throw corrupt("has a " + what + " that is a " + typeName(o) + ", not a tuple");
            }
            Object[] t = (Object[]) o;
            long[] out = new long[t.length];
            for (int i = 0; i < t.length; i++) {
                if (!(t[i] instanceof Long)) {
                    throw corrupt("has a " + what + " holding a " + typeName(t[i]));
                }
                out[i] = (Long) t[i];
            }
            return out;
        }

        private Object scalar(NumpyDType dt, byte[] raw) {
            if (raw.length != dt.itemSize()) {
                throw corrupt("has a numpy scalar of " + raw.length + " bytes for dtype " + dt.code);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(dt.bigEndian() ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN);
            switch (dt.code) {
                case "b1":
                    return raw[0] != 0;
                case "i1":
                    return (long) raw[0];
                case "u1":
                    return (long) (raw[0] & 0xFF);
                case "i2":
                    return (long) b.getShort();
                case "u2":
                    return (long) (b.getShort() & 0xFFFF);
                case "i4":
                    return (long) b.getInt();
                case "u4":
                    return b.getInt() & 0xFFFFFFFFL;
                case "i8":
                    return b.getLong();
                case "u8": {
                    long v = b.getLong();
                    return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                }
                case "f2": {
                    byte[] le = new byte[] {b.get(0), b.get(1)};
                    if (dt.bigEndian()) {
                        le = new byte[] {raw[1], raw[0]};
                    }
                    return (double) Tensor.of(DType.FLOAT16, le).toFloatArray()[0];
                }
                case "f4":
                    return (double) b.getFloat();
                case "f8":
                    return b.getDouble();
                default:
                    throw corrupt("has an unsupported numpy scalar dtype " + dt.code);
            }
        }

        private Tensor array(NumpyDType dt, long[] shape, boolean fortran, byte[] raw) {
            DType type;
            try {
                type = DType.fromNumpyCode(dt.code);
            } catch (IllegalArgumentException e) {
                throw new UnpicklingException(e.getMessage() + " (numpy array at offset " + opStart + ")");
            }
            int item = type.itemSize();
            if (dt.bigEndian() && item > 1) {
                raw = raw.clone();
                for (int i = 0; i + item <= raw.length; i += item) {
                    for (int a = i, z = i + item - 1; a < z; a++, z--) {
                        byte t = raw[a];
                        raw[a] = raw[z];
                        raw[z] = t;
                    }
                }
            }
            try {
                if (fortran && shape.length > 1) {
                    long[] stride = new long[shape.length];
                    long s = 1;
                    for (int d = 0; d < shape.length; d++) {
                        stride[d] = s;
                        s *= shape[d];
                    }
                    long n = s;
                    if ((long) raw.length != n * item) {
                        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                                + " needs " + n * item + " bytes, got " + raw.length);
                    }
                    return Tensor.ofStrided(type, ByteBuffer.wrap(raw), 0, shape, stride);
                }
                return Tensor.of(type, raw, shape);
            } catch (IllegalArgumentException e) {
                throw corrupt("has a numpy array that does not fit: " + e.getMessage());
            }
        }

        private void build(Object target, Object state) {
            if (target instanceof PendingArray) {
                Object[] st = state instanceof Object[] ? (Object[]) state : null;
                if (st == null || st.length != 5 || !(st[2] instanceof NumpyDType)) {
                    throw corrupt("sets a numpy array's state from a " + typeName(state)
                            + ", not (version, shape, dtype, is_fortran, data)");
                }
                Tensor t = array((NumpyDType) st[2], longs(st[1], "shape"),
                        Boolean.TRUE.equals(st[3]), bytesOf(st[4], "numpy array"));
                stack[sp - 1] = t;
                // memo entries that point at the pending array must now see the tensor
                for (Map.Entry<Long, Object> e : memo.entrySet()) {
                    if (e.getValue() == target) {
                        e.setValue(t);
                    }
                }
                return;
            }
            if (target instanceof NumpyDType) {
                Object[] st = state instanceof Object[] ? (Object[]) state : null;
                if (st == null || st.length < 2 || !(st[1] instanceof String)
                        || ((String) st[1]).length() != 1) {
                    throw corrupt("sets a numpy dtype's state from a " + typeName(state));
                }
                ((NumpyDType) target).order = ((String) st[1]).charAt(0);
                return;
            }
            if (target instanceof Map && state instanceof Map) {
                // instance attributes of an OrderedDict (torch's state_dict _metadata): dropped
                return;
            }
            throw new PickleSecurityException("refused to set the state (BUILD) of a "
                    + typeName(target) + " at offset " + opStart);
        }

        // ---- torch

        private Object persistentLoad(Object pid) {
            if (storages == null) {
                throw new UnpicklingException("pickle uses persistent id " + describe(pid)
                        + " at offset " + opStart + "; only torch.save files may (none expected here)");
            }
            Object[] t = pid instanceof Object[] ? (Object[]) pid : null;
            if (t == null || t.length < 5 || !"storage".equals(t[0])
                    || !(t[1] instanceof PythonGlobal) || !(t[2] instanceof String)
                    || !(t[4] instanceof Long)) {
                throw corrupt("has persistent id " + describe(pid)
                        + ", not ('storage', class, key, location, numel)");
            }
            PythonGlobal cls = (PythonGlobal) t[1];
            if (!isTorchStorageClass(cls)) {
                throw new PickleSecurityException("refused to load storage class " + cls
                        + ": not on the allow-list");
            }
            DType dtype = cls.name().equals("UntypedStorage") ? DType.UINT8
                    : DType.fromStorageClassName(cls.name());
            String key = (String) t[2];
            long numel = (Long) t[4];
            Storage s = storageCache.get(key);
            if (s == null) {
                ByteBuffer bytes;
                try {
                    bytes = storages.storage(key);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read torch storage '" + key + "'", e);
                }
                s = new Storage(dtype, bytes, key);
                storageCache.put(key, s);
            }
            if (s.dtype != dtype) {
                // one storage seen as two types: reinterpret the same bytes
                s = new Storage(dtype, s.bytes, key);
            }
            if (numel < 0 || numel > s.bytes.remaining() / dtype.itemSize()) {
                throw new UnpicklingException("torch storage '" + key + "' should hold " + numel
                        + " " + dtype + " elements but has " + s.bytes.remaining() + " bytes");
            }
            return s;
        }

        private Tensor rebuildTensor(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof Storage) || !(args[1] instanceof Long)) {
                throw corrupt("calls torch._utils._rebuild_tensor_v2 without storage, offset,"
                        + " size and stride");
            }
            Storage s = (Storage) args[0];
            long[] size = longs(args[2], "size");
            long[] stride = longs(args[3], "stride");
            try {
                return Tensor.ofStrided(s.dtype, s.bytes.duplicate(), (Long) args[1], size, stride);
            } catch (IllegalArgumentException e) {
                throw new UnpicklingException("tensor on torch storage '" + s.key + "' does not fit: "
                        + e.getMessage());
            }
        }

        private String describe(Object o) {
            if (o instanceof Object[]) {
                return Arrays.deepToString((Object[]) o);
            }
            return String.valueOf(o);
        }
    }

    private static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o == MARK) {
            return "MARK";
        }
        if (o instanceof Object[]) {
            return "tuple";
        }
        if (o instanceof List) {
            return "list";
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof Set) {
            return "set";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof PythonGlobal) {
            return "global " + o;
        }
        if (o instanceof NumpyDType) {
            return "numpy dtype";
        }
        if (o instanceof PendingArray) {
            return "numpy array";
        }
        if (o instanceof Storage) {
            return "torch storage";
        }
        return o.getClass().getSimpleName();
    }

    private static Object normalise(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String opName(int op) {
        switch (op) {
            case '(': return "MARK";
            case '.': return "STOP";
            case '0': return "POP";
            case '1': return "POP_MARK";
            case '2': return "DUP";
            case 'F': return "FLOAT";
            case 'I': return "INT";
            case 'J': return "BININT";
            case 'K': return "BININT1";
            case 'L': return "LONG";
            case 'M': return "BININT2";
            case 'N': return "NONE";
            case 'P': return "PERSID";
            case 'Q': return "BINPERSID";
            case 'R': return "REDUCE";
            case 'S': return "STRING";
            case 'T': return "BINSTRING";
            case 'U': return "SHORT_BINSTRING";
            case 'V': return "UNICODE";
            case 'X': return "BINUNICODE";
            case 'a': return "APPEND";
            case 'b': return "BUILD";
            case 'c': return "GLOBAL";
            case 'd': return "DICT";
            case '}': return "EMPTY_DICT";
            case 'e': return "APPENDS";
            case 'g': return "GET";
            case 'h': return "BINGET";
            case 'i': return "INST";
            case 'j': return "LONG_BINGET";
            case 'l': return "LIST";
            case ']': return "EMPTY_LIST";
            case 'o': return "OBJ";
            case 'p': return "PUT";
            case 'q': return "BINPUT";
            case 'r': return "LONG_BINPUT";
            case 's': return "SETITEM";
            case 't': return "TUPLE";
            case ')': return "EMPTY_TUPLE";
            case 'u': return "SETITEMS";
            case 'G': return "BINFLOAT";
            case 'B': return "BINBYTES";
            case 'C': return "SHORT_BINBYTES";
            case 0x80: return "PROTO";
            case 0x81: return "NEWOBJ";
            case 0x82: return "EXT1";
            case 0x83: return "EXT2";
            case 0x84: return "EXT4";
            case 0x85: return "TUPLE1";
            case 0x86: return "TUPLE2";
            case 0x87: return "TUPLE3";
            case 0x88: return "NEWTRUE";
            case 0x89: return "NEWFALSE";
            case 0x8a: return "LONG1";
            case 0x8b: return "LONG4";
            case 0x8c: return "SHORT_BINUNICODE";
            case 0x8d: return "BINUNICODE8";
            case 0x8e: return "BINBYTES8";
            case 0x8f: return "EMPTY_SET";
            case 0x90: return "ADDITEMS";
            case 0x91: return "FROZENSET";
            case 0x92: return "NEWOBJ_EX";
            case 0x93: return "STACK_GLOBAL";
            case 0x94: return "MEMOIZE";
            case 0x95: return "FRAME";
            case 0x96: return "BYTEARRAY8";
            case 0x97: return "NEXT_BUFFER";
            case 0x98: return "READONLY_BUFFER";
            default: return "opcode 0x" + Integer.toHexString(op);
        }
    }
}
