package cox.web;

import cox.readers.text.CellText;
import cox.readers.text.ValueExpansion;
import cox.torch.Tensor;
import java.util.Base64;
import java.util.Map;

/**
 * A decoded OBJECT value as JSON text, as the page shows an object cell ({@code {"lr": 0.1,
 * "layers": [64, 64]}}) and {@code cox export} writes it: dicts as objects (keys as their
 * Python text), lists, tuples and sets as arrays, strings, numbers and booleans as themselves,
 * None as null, NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"} (as the API writes numbers), bytes as base64 text and anything else (a
 * tensor) as its description. Stateless and thread-safe; no Jackson, so that the cache layer may
 * use it.
 */
final class ObjectJson {
    /** How deep a value is written; deeper containers are written as their description. */
    static final int MAX_DEPTH = 64;

    private ObjectJson() {
    }

    /**
     * @param value a value as {@code Table.getObject} returns it
     * @return its JSON text
     * @throws cox.exceptions.ValueTooLargeException if it expands beyond {@link ValueExpansion}'s
     *     limits (a container referenced many times is written each time)
     */
    static String of(Object value) {
        ValueExpansion.check(value);
        StringBuilder sb = new StringBuilder();
        append(sb, value, 0);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                sb.append(CellText.ofDouble(d));
            } else {
                string(sb, Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
        } else if (v instanceof Number n) {
            sb.append(n.toString());
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof byte[] b) {
            string(sb, Base64.getEncoder().encodeToString(b));
        } else if (v instanceof Tensor || depth >= MAX_DEPTH) {
            string(sb, CellText.describe(v));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, e.getKey() instanceof String k ? k : CellText.of(e.getKey()));
                sb.append(": ");
                append(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object x : it) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                append(sb, x, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Object[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                append(sb, a[i], depth + 1);
            }
            sb.append(']');
        } else {
            string(sb, CellText.describe(v));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
