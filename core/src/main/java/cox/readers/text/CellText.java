package cox.readers.text;

import cox.torch.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The text of a cell as cox users know it from Python: what the {@code cox} command prints, what
 * a {@link cox.readers.filter.RunFilter} regex ({@code ~}) is matched against, and what {@code tensorboard-view}
 * puts into run names. Numbers are written as Python's {@code str()} writes them
 * ({@code 0.1}, {@code 1e-05}, {@code 100.0}, {@code nan}, {@code inf}, {@code 3}); strings as
 * they are; booleans {@code True}/{@code False}; decoded objects in Python's notation
 * ({@code [1, 'a']}, {@code {'k': 0.5}}, {@code (1, 2)}); null (a missing cell) as the empty
 * string. In short: Python's {@code str(value)}, but for null.
 *
 * <p>Stateless and thread-safe.
 */
public final class CellText {
    private CellText() {
    }

    /**
     * What a decoded OBJECT or PICKLE value is, as Python would name it, with its size:
     * {@code dict, 3 items}, {@code list, 1 item}, {@code tuple, 2 items}, {@code str, 12 chars},
     * {@code bytes, 40}, {@code tensor float32 [3, 4]}, {@code float 0.5}, {@code None}. What
     * {@code cox show} and {@code cox serve} print instead of a large value.
     *
     * @param value a value as {@code Table.getObject}/{@code getPickle} return it
     * @return its description
     */
    public static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Map<?, ?> m) {
            return items("dict", m.size());
        }
        if (value instanceof java.util.Set<?> s) {
            return items("set", s.size());
        }
        if (value instanceof Collection<?> c) {
            return items("list", c.size());
        }
        if (value instanceof Object[] a) {
            return items("tuple", a.length);
        }
        if (value instanceof String s) {
            return "str, " + s.length() + (s.length() == 1 ? " char" : " chars");
        }
        if (value instanceof byte[] b) {
            return "bytes, " + b.length;
        }
        if (value instanceof Tensor t) {
            return "tensor " + t.dtype() + " " + java.util.Arrays.toString(t.shape());
        }
        if (value instanceof Boolean) {
            return "bool " + of(value);
        }
        if (value instanceof Double || value instanceof Float) {
            return "float " + of(value);
        }
        if (value instanceof Number) {
            return "int " + of(value);
        }
        return value.getClass().getSimpleName();
    }

    private static String items(String type, int n) {
        return type + ", " + n + (n == 1 ? " item" : " items");
    }

    /**
     * The text of a cell. A decoded object is written out in full, a container it references
     * several times each time (as Python's {@code repr}), within the limits of
     * {@link ValueExpansion}.
     *
     * @param value a cell: Long, Integer, Double, Float, Boolean, String, null, or a decoded object
     *     (Map, List/Collection, Object[] for a tuple, byte[])
     * @return its text
     * @throws cox.exceptions.ValueTooLargeException if the value expands to more than
     *     {@value ValueExpansion#MAX_ELEMENTS} elements or its text would pass
     *     {@value ValueExpansion#MAX_TEXT_CHARS} characters (the message names the limit)
     */
    public static String of(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (ValueExpansion.isContainer(value)) {
            ValueExpansion.check(value); // before any text is made: the expanded tree may be astronomically large
        }
        StringBuilder sb = new StringBuilder();
        append(sb, value, false);
        if (sb.length() > ValueExpansion.MAX_TEXT_CHARS) {
            throw ValueExpansion.tooLong();
        }
        return sb.toString();
    }

    /**
     * A double as Python's {@code repr(float)}/{@code str(float)} writes it: the shortest digits
     * that read back as the same double, in positional notation when the decimal exponent is
     * between -4 and 15, else as {@code 1e-05}/{@code 1.5e+16}; {@code nan}, {@code inf},
     * {@code -inf}.
     *
     * @param x a double
     * @return its Python text
     */
    public static String ofDouble(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (1 / x < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(x);
        String digits = shortest.unscaledValue().abs().toString();
        // strip trailing zeros of the digit string, keeping the value: digits x 10^-scale
        int scale = shortest.scale();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
            scale--;
        }
        digits = digits.substring(0, end);
        int exponent = digits.length() - 1 - scale; // x = d.ddd x 10^exponent
        StringBuilder sb = new StringBuilder();
        if (x < 0) {
            sb.append('-');
        }
        if (exponent >= -4 && exponent < 16) {
            if (exponent < 0) {
                sb.append("0.");
                sb.append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
        }
        return sb.toString();
    }

    /** The fewest significant digits that read back as {@code x}, rounded from its exact value as Python does. */
    private static BigDecimal shortest(double x) {
        BigDecimal fromJava = new BigDecimal(Double.toString(x)); // reads back as x, but is not always shortest
        if (fromJava.precision() == 1) {
            return fromJava;
        }
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p < fromJava.precision(); p++) {
            BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == x) {
                return candidate;
            }
        }
        return fromJava;
    }

    private static void append(StringBuilder sb, Object value, boolean quoted) {
        if (sb.length() > ValueExpansion.MAX_TEXT_CHARS) {
            throw ValueExpansion.tooLong(); // escapes and numbers can make the text longer than check() counts
        }
        if (value == null) {
            sb.append(quoted ? "None" : "");
        } else if (value instanceof String s) {
            if (quoted) {
                // Python's repr: single quotes, or double quotes when the text has a ' but no "
                char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
                String body = s.replace("\\", "\\\\");
                if (q == '\'') {
                    body = body.replace("'", "\\'");
                }
                sb.append(q).append(body).append(q);
            } else {
                sb.append(s);
            }
        } else if (value instanceof Double d) {
            sb.append(ofDouble(d));
        } else if (value instanceof Float f) {
            sb.append(ofDouble(f));
        } else if (value instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                append(sb, e.getKey(), true);
                sb.append(": ");
                append(sb, e.getValue(), true);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append('}');
        } else if (value instanceof Collection<?> c) {
            boolean set = c instanceof java.util.Set;
            sb.append(set ? '{' : '[');
            appendAll(sb, c.iterator());
            sb.append(set ? '}' : ']');
        } else if (value instanceof Object[] tuple) {
            sb.append('(');
            appendAll(sb, java.util.Arrays.asList(tuple).iterator());
            if (tuple.length == 1) {
                sb.append(',');
            }
            sb.append(')');
        } else if (value instanceof byte[] bytes) {
            sb.append("b'<").append(bytes.length).append(" bytes>'");
        } else {
            sb.append(value);
        }
    }

    private static void appendAll(StringBuilder sb, Iterator<?> it) {
        while (it.hasNext()) {
            append(sb, it.next(), true);
            if (it.hasNext()) {
                sb.append(", ");
            }
        }
    }
}
