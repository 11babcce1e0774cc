package cox.pickle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes ASCII protocol-0 pickles with the Python 2 spellings PyTables and pandas use for HDF5
 * attributes, byte for byte as Python 3's {@code pickle.dumps(obj, protocol=0)}, memo numbering
 * included ({@link PickleWriter#dumpsProtocol0}). Strings, lists, tuples and dicts are memoised by
 * identity, {@link PythonGlobal}s by value, as CPython does for its (unique) class objects.
 */
final class Protocol0Writer {
    private static final PythonGlobal CODECS_ENCODE = new PythonGlobal("_codecs", "encode");
    private static final PythonGlobal SET = new PythonGlobal("builtins", "set");
    private static final PythonGlobal BYTES = new PythonGlobal("builtins", "bytes");
    /** One identity so that repeated bytes reuse its memo entry, as in CPython. */
    private static final String LATIN1 = new String("latin1");

    private Protocol0Writer() {
    }

    /** The value as a protocol-0 pickle; see {@link PickleWriter#dumpsProtocol0}. */
    static byte[] dumps(Object value) {
        Ascii w = new Ascii();
        w.save(value, 0);
        w.out.append('.');
        return w.out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One dump: the text so far and the memo. */
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
            if (depth > Pickler.MAX_DEPTH) {
                throw new IllegalArgumentException("value nests deeper than " + Pickler.MAX_DEPTH
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
                reduce(SET, new Object[] {new ArrayList<>((Set<?>) v)}, depth);
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
