package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pickle virtual machine: runs the opcodes of one pickle (protocols 0 to 5) over a stack, a
 * mark stack and a memo, as CPython's {@code _Unpickler.load} does, except that every global is
 * checked against an {@link AllowList} and every call is built by its {@link Reconstructor}.
 * Lengths are checked against the remaining input before anything is allocated. One machine per
 * load; not thread-safe.
 */
final class PickleMachine {
    private final PickleInput in;
    private final AllowList allowList;
    private final PersistentLoader loader;
    private Object[] stack = new Object[32];
    private int sp;
    private int[] marks = new int[8];
    private int mp;
    private final HashMap<Long, Object> memo = new HashMap<>();

    PickleMachine(byte[] pickle, AllowList allowList, PersistentLoader loader) {
        this.in = new PickleInput(pickle);
        this.allowList = allowList;
        this.loader = loader;
    }

    /** Where the opcode being run (or the last one) starts. */
    int opStart() {
        return in.opStart();
    }

    private LoadSite site() {
        return in.site();
    }

    private UnpicklingException corrupt(String what) {
        return in.corrupt(what);
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
            int op = in.nextOpcode();
            int opStart = in.opStart();
            String opName = in.opName();
            switch (op) {
                case Opcodes.STOP:
                    Object result = pop();
                    if (sp != 0 || mp != 0) {
                        throw corrupt("leaves " + sp + " items and " + mp + " marks on the stack");
                    }
                    return result;
                case Opcodes.PROTO: {
                    int p = in.u8();
                    if (p > 5) {
                        throw new UnpicklingException("unsupported pickle protocol " + p
                                + " at offset " + opStart + " (0 to 5 are read)");
                    }
                    break;
                }
                case Opcodes.FRAME:
                    in.length(in.i64());
                    break;
                case Opcodes.MARK:
                    mark();
                    break;
                case Opcodes.POP:
                    if (mp > 0 && marks[mp - 1] == sp) {
                        mp--;
                    } else {
                        pop();
                    }
                    break;
                case Opcodes.POP_MARK:
                    popMark();
                    break;
                case Opcodes.DUP:
                    push(peek());
                    break;
                case Opcodes.NONE:
                    push(null);
                    break;
                case Opcodes.NEWTRUE:
                    push(Boolean.TRUE);
                    break;
                case Opcodes.NEWFALSE:
                    push(Boolean.FALSE);
                    break;
                case Opcodes.INT:
                    push(in.parseInt(in.line()));
                    break;
                case Opcodes.LONG:
                    push(in.parseLong(in.line()));
                    break;
                case Opcodes.BININT:
                    push((long) in.i32());
                    break;
                case Opcodes.BININT1:
                    push((long) in.u8());
                    break;
                case Opcodes.BININT2:
                    push((long) in.u16());
                    break;
                case Opcodes.LONG1:
                    push(in.longBytes(in.length(in.u8())));
                    break;
                case Opcodes.LONG4:
                    push(in.longBytes(in.length(in.i32())));
                    break;
                case Opcodes.FLOAT:
                    push(in.parseFloat(in.line()));
                    break;
                case Opcodes.BINFLOAT: {
                    push(in.binfloat());
                    break;
                }
                case Opcodes.STRING:
                    push(in.parseQuoted(in.line()));
                    break;
                case Opcodes.BINSTRING:
                    push(new String(in.bytes(in.length(in.i32())), StandardCharsets.ISO_8859_1));
                    break;
                case Opcodes.SHORT_BINSTRING:
                    push(new String(in.bytes(in.length(in.u8())), StandardCharsets.ISO_8859_1));
                    break;
                case Opcodes.UNICODE:
                    push(in.rawUnicodeEscape(in.line()));
                    break;
                case Opcodes.BINUNICODE:
                    push(in.utf8(in.length(in.u32())));
                    break;
                case Opcodes.SHORT_BINUNICODE:
                    push(in.utf8(in.length(in.u8())));
                    break;
                case Opcodes.BINUNICODE8:
                    push(in.utf8(in.length(in.i64())));
                    break;
                case Opcodes.SHORT_BINBYTES:
                    push(in.bytes(in.length(in.u8())));
                    break;
                case Opcodes.BINBYTES:
                    push(in.bytes(in.length(in.u32())));
                    break;
                case Opcodes.BINBYTES8:
                case Opcodes.BYTEARRAY8:
                    push(in.bytes(in.length(in.i64())));
                    break;
                case Opcodes.NEXT_BUFFER:
                case Opcodes.READONLY_BUFFER:
                    throw new UnpicklingException("unsupported pickle feature: " + opName
                            + " at offset " + opStart + " (out-of-band buffers)");
                case Opcodes.EMPTY_TUPLE:
                    push(new Object[0]);
                    break;
                case Opcodes.TUPLE:
                    push(popMark());
                    break;
                case Opcodes.TUPLE1:
                    push(new Object[] {pop()});
                    break;
                case Opcodes.TUPLE2: {
                    Object b = pop();
                    Object a = pop();
                    push(new Object[] {a, b});
                    break;
                }
                case Opcodes.TUPLE3: {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(new Object[] {a, b, c});
                    break;
                }
                case Opcodes.EMPTY_LIST:
                    push(new ArrayList<>());
                    break;
                case Opcodes.LIST:
                    push(new ArrayList<>(Arrays.asList(popMark())));
                    break;
                case Opcodes.EMPTY_DICT:
                    push(new LinkedHashMap<>());
                    break;
                case Opcodes.DICT: {
                    Object[] items = popMark();
                    push(putAll(new LinkedHashMap<>(), items));
                    break;
                }
                case Opcodes.EMPTY_SET:
                    push(new LinkedHashSet<>());
                    break;
                case Opcodes.FROZENSET: {
                    Set<Object> s = new LinkedHashSet<>();
                    for (Object o : popMark()) {
                        s.add(hashable(o));
                    }
                    push(s);
                    break;
                }
                case Opcodes.APPEND: {
                    Object v = pop();
                    list(peek()).add(v);
                    break;
                }
                case Opcodes.APPENDS: {
                    Object[] items = popMark();
                    list(peek()).addAll(Arrays.asList(items));
                    break;
                }
                case Opcodes.SETITEM: {
                    Object v = pop();
                    Object k = pop();
                    map(peek()).put(hashable(k), v);
                    break;
                }
                case Opcodes.SETITEMS: {
                    Object[] items = popMark();
                    putAll(map(peek()), items);
                    break;
                }
                case Opcodes.ADDITEMS: {
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
                case Opcodes.GET:
                    push(memoGet(in.parseMemoIndex(in.line())));
                    break;
                case Opcodes.BINGET:
                    push(memoGet(in.u8()));
                    break;
                case Opcodes.LONG_BINGET:
                    push(memoGet(in.u32()));
                    break;
                case Opcodes.PUT:
                    memo.put(in.parseMemoIndex(in.line()), peek());
                    break;
                case Opcodes.BINPUT:
                    memo.put((long) in.u8(), peek());
                    break;
                case Opcodes.LONG_BINPUT:
                    memo.put(in.u32(), peek());
                    break;
                case Opcodes.MEMOIZE:
                    memo.put((long) memo.size(), peek());
                    break;
                case Opcodes.GLOBAL: {
                    String module = in.line();
                    String name = in.line();
                    push(checkGlobal(module, name));
                    break;
                }
                case Opcodes.STACK_GLOBAL: {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw corrupt("needs two strings, got " + typeName(module) + " and "
                                + typeName(name));
                    }
                    push(checkGlobal((String) module, (String) name));
                    break;
                }
                case Opcodes.INST: { // INST module\nname\n, args after mark
                    String module = in.line();
                    String name = in.line();
                    PythonGlobal g = checkGlobal(module, name);
                    push(call(g, popMark()));
                    break;
                }
                case Opcodes.OBJ: { // OBJ: mark, class, args
                    Object[] items = popMark();
                    if (items.length == 0) {
                        throw corrupt("has no class to call");
                    }
                    push(call(callee(items[0]), Arrays.copyOfRange(items, 1, items.length)));
                    break;
                }
                case Opcodes.REDUCE: {
                    Object args = pop();
                    Object f = pop();
                    push(call(callee(f), tuple(args)));
                    break;
                }
                case Opcodes.NEWOBJ: { // NEWOBJ cls args
                    Object args = pop();
                    Object cls = pop();
                    push(call(callee(cls), tuple(args)));
                    break;
                }
                case Opcodes.NEWOBJ_EX: { // NEWOBJ_EX cls args kwargs
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
                case Opcodes.BUILD: {
                    Object state = pop();
                    build(peek(), state);
                    break;
                }
                case Opcodes.PERSID:
                    push(persistentLoad(in.line()));
                    break;
                case Opcodes.BINPERSID:
                    push(persistentLoad(pop()));
                    break;
                case Opcodes.EXT1:
                case Opcodes.EXT2:
                case Opcodes.EXT4:
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
        if (key instanceof List || key instanceof Map || key instanceof PendingValue) {
            return site().hashable(key); // throws, naming the opcode
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

    // ---- globals, calls, state and persistent ids: only what the allow-list and loader build

    private PythonGlobal checkGlobal(String module, String name) {
        PythonGlobal g;
        try {
            g = new PythonGlobal(module, name);
        } catch (IllegalArgumentException e) {
            throw refusedGlobal(module, name);
        }
        if (!allowList.allows(g)) {
            throw refusedGlobal(module, name);
        }
        return g;
    }

    private static PickleSecurityException refusedGlobal(String module, String name) {
        return new PickleSecurityException("refused to load global " + module + "." + name + ": not on the allow-list");
    }

    private Object call(PythonGlobal g, Object[] args) {
        Reconstructor r = allowList.reconstructorOf(g);
        if (r == null) {
            throw new PickleSecurityException("refused to call global " + g + ": not on the allow-list of callables");
        }
        return r.reconstruct(args, site());
    }

    private void build(Object target, Object state) {
        if (target instanceof PendingValue p) {
            Object built = p.build(state, site());
            if (built != target) {
                stack[sp - 1] = built;
                // memo entries that point at the pending value must now see what it became
                for (Map.Entry<Long, Object> e : memo.entrySet()) {
                    if (e.getValue() == target) {
                        e.setValue(built);
                    }
                }
            }
            return;
        }
        if (target instanceof Map && state instanceof Map) {
            // instance attributes of an OrderedDict (torch's state_dict _metadata): dropped
            return;
        }
        throw new PickleSecurityException("refused to set the state (BUILD) of a " + typeName(target) + " at offset "
                + in.opStart());
    }

    private Object persistentLoad(Object pid) {
        if (loader == null) {
            throw new UnpicklingException("pickle uses persistent id " + describe(pid) + " at offset " + in.opStart()
                    + ", but no persistent ids are expected here");
        }
        return loader.load(pid, site());
    }

    private static String describe(Object o) {
        return o instanceof Object[] t ? Arrays.deepToString(t) : String.valueOf(o);
    }

    private static String typeName(Object o) {
        return LoadSite.typeName(o);
    }

}

