package cox.store.hdf5;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The pickles PyTables stores as attributes (lists, tuples, dicts, None, ints, strings and
 * builtin classes), in protocol 0, which is plain ASCII: {@code net.razorvine:pickle} writes
 * protocol 2 only, whose NUL bytes a fixed-length HDF5 string cannot hold, so this small writer
 * covers exactly the attribute shapes of FORMAT.md. Reading goes through razorvine's
 * {@link Unpickler} with every opcode that could call code refused.
 */
final class PyTablesPickle {
    /** A Python class used as a value, such as {@code builtins.float} in COX_DATA. */
    record PythonClass(String module, String name) {
        static PythonClass builtin(String name) {
            return new PythonClass("builtins", name);
        }
    }

    /** A Python tuple (pickled with TUPLE, read back as {@code Object[]}). */
    record Tuple(Object... items) {
    }

    private PyTablesPickle() {
    }

    /**
     * The protocol-0 pickle of {@code value}: null, Boolean, Integer/Long, String, List, Map,
     * {@link Tuple} or {@link PythonClass}; pure ASCII.
     */
    static byte[] dumps(Object value) {
        Writer w = new Writer();
        w.write(value);
        w.out.append('.');
        return w.out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Loads a pickle, refusing any opcode that would call or build a class. */
    static Object loads(byte[] pickle) {
        try {
            return new RestrictedUnpickler().load(new ByteArrayInputStream(pickle));
        } catch (IOException | PickleException | ClassCastException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a valid attribute pickle: " + e.getMessage(), e);
        }
    }

    private static final class Writer {
        final StringBuilder out = new StringBuilder();
        final Map<Object, Integer> memo = new IdentityHashMap<>();

        void write(Object v) {
            if (v == null) {
                out.append('N');
            } else if (v instanceof Boolean b) {
                out.append(b ? "I01\n" : "I00\n");
            } else if (v instanceof Integer || v instanceof Long) {
                out.append('I').append(v).append('\n');
            } else if (v instanceof String s) {
                if (!getMemo(v)) {
                    out.append('V');
                    escape(s);
                    out.append('\n');
                    put(v);
                }
            } else if (v instanceof PythonClass c) {
                out.append('c').append(python2Module(c)).append('\n').append(python2Name(c)).append('\n');
                put(v);
            } else if (v instanceof List<?> list) {
                if (!getMemo(v)) {
                    out.append("(l");
                    put(v);
                    for (Object item : list) {
                        write(item);
                        out.append('a');
                    }
                }
            } else if (v instanceof Tuple t) {
                out.append('(');
                for (Object item : t.items()) {
                    write(item);
                }
                out.append('t');
                put(v);
            } else if (v instanceof Map<?, ?> map) {
                if (!getMemo(v)) {
                    out.append("(d");
                    put(v);
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        write(e.getKey());
                        write(e.getValue());
                        out.append('s');
                    }
                }
            } else {
                throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as a PyTables attribute");
            }
        }

        private boolean getMemo(Object v) {
            Integer index = memo.get(v);
            if (index == null) {
                return false;
            }
            out.append('g').append(index).append('\n');
            return true;
        }

        private void put(Object v) {
            int index = memo.size();
            memo.put(v, index);
            out.append('p').append(index).append('\n');
        }

        /** raw-unicode-escape, kept ASCII: everything outside printable ASCII as a \\u escape. */
        private void escape(String s) {
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (cp >= 0x20 && cp < 0x7f && cp != '\\') {
                    out.append((char) cp);
                } else if (cp <= 0xffff) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            }
        }

        private static String python2Module(PythonClass c) {
            return c.module().equals("builtins") ? "__builtin__" : c.module();
        }

        private static String python2Name(PythonClass c) {
            if (!c.module().equals("builtins")) {
                return c.name();
            }
            switch (c.name()) {
                case "int":
                    return "long";
                case "str":
                    return "unicode";
                default:
                    return c.name();
            }
        }
    }

    /** razorvine's unpickler with GLOBAL turned into a plain {@link PythonClass} value and every calling opcode refused. */
    private static final class RestrictedUnpickler extends Unpickler {
        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case 'c': {
                    String module = readLine();
                    String name = readLine();
                    stack.add(normalise(module, name));
                    return NO_RETURN_VALUE;
                }
                case 'R': case 'b': case 'i': case 'o': case 0x81: case 0x92: case 0x93:
                case 0x82: case 0x83: case 0x84: case 'P': case 'Q':
                    throw new PickleException("opcode 0x" + Integer.toHexString(key)
                            + " is not allowed in a PyTables attribute");
                default:
                    return super.dispatch(key);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = input.read()) != '\n') {
                if (c < 0) {
                    throw new PickleException("pickle ends inside a GLOBAL opcode");
                }
                sb.append((char) c);
            }
            return sb.toString();
        }

        private static PythonClass normalise(String module, String name) {
            if (module.equals("__builtin__") || module.equals("builtins")) {
                switch (name) {
                    case "long":
                        return PythonClass.builtin("int");
                    case "unicode":
                        return PythonClass.builtin("str");
                    default:
                        return PythonClass.builtin(name);
                }
            }
            return new PythonClass(module, name);
        }
    }
}
