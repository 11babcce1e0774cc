package cox.readers.text;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Names a run from its parameters with a Python format string, as Python cox's
 * {@code tensorboard_view --format-str} does ({@code format_str.format(**params)}): what
 * {@code cox tensorboard-view} and the web page's chart legends use.
 *
 * <pre>{@code
 * RunNameFormat f = RunNameFormat.of("lr-{lr:.0e}-{optimizer}");
 * f.format(Map.of("lr", 0.001, "optimizer", "adam"));   // "lr-1e-03-adam"
 * }</pre>
 *
 * <p>Supported: literal text with {@code {{}} and {@code }}} for braces; fields {@code {name}},
 * {@code {name!s}}, {@code {name!r}}; and Python's format-spec mini-language
 * {@code [[fill]align][sign][#][0][width][,|_][.precision][type]} with the types {@code s} for
 * strings, {@code d n b o x X c} for integers and {@code e E f F g G n %} for numbers, with
 * Python's rounding (half-even on the exact binary value) and exponent spelling ({@code 1e-05}).
 * Values are rendered as Python renders the same parameter: a float as {@link CellText#ofDouble}
 * ({@code 0.1}, {@code 1e-05}), a boolean {@code True}, a list <b>joined with {@code .}</b>
 * ({@code [64, 128]} → {@code 64.128}, as {@code tensorboard_view} does before formatting).
 * Attribute and index access ({@code {a.b}}, {@code {a[0]}}) and positional fields ({@code {}})
 * are not supported.
 *
 * <p>Immutable and thread-safe.
 */
public final class RunNameFormat {
    private sealed interface Part permits Text, Field {
    }

    private record Text(String text) implements Part {
    }

    private record Field(String name, char conversion, String spec) implements Part {
    }

    private final String pattern;
    private final List<Part> parts;
    private final Set<String> fields;

    private RunNameFormat(String pattern, List<Part> parts) {
        this.pattern = pattern;
        this.parts = parts;
        Set<String> names = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof Field f) {
                names.add(f.name);
            }
        }
        this.fields = Collections.unmodifiableSet(names);
    }

    /**
     * Parses a format string.
     *
     * @param pattern e.g. {@code "lr-{lr}"}
     * @return the format
     * @throws IllegalArgumentException for a malformed pattern (an unmatched brace, an empty or
     *     positional field, attribute or index access, an unknown conversion), naming it
     */
    public static RunNameFormat of(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
                text.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '}') {
                text.append('}');
                i += 2;
            } else if (c == '}') {
                throw new IllegalArgumentException("format string '" + pattern + "': single '}' at character " + (i + 1)
                        + " (write }} for a brace)");
            } else if (c == '{') {
                int end = pattern.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("format string '" + pattern + "': the '{' at character " + (i + 1)
                            + " is not closed (write {{ for a brace)");
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(field(pattern, pattern.substring(i + 1, end), i));
                i = end + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return new RunNameFormat(pattern, List.copyOf(parts));
    }

    private static Field field(String pattern, String body, int at) {
        String spec = "";
        int colon = body.indexOf(':');
        if (colon >= 0) {
            spec = body.substring(colon + 1);
            body = body.substring(0, colon);
        }
        char conversion = 0;
        int bang = body.indexOf('!');
        if (bang >= 0) {
            String conv = body.substring(bang + 1);
            if (!conv.equals("s") && !conv.equals("r") && !conv.equals("a")) {
                throw new IllegalArgumentException("format string '" + pattern + "': unknown conversion '!" + conv
                        + "' at character " + (at + 1) + " (expected !s, !r or !a)");
            }
            conversion = conv.charAt(0);
            body = body.substring(0, bang);
        }
        if (body.isEmpty() || body.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("format string '" + pattern + "': the field at character " + (at + 1)
                    + " needs a parameter name, such as {lr}");
        }
        if (body.indexOf('.') >= 0 || body.indexOf('[') >= 0) {
            throw new IllegalArgumentException("format string '" + pattern + "': field {" + body
                    + "}: attribute and index access are not supported; name a parameter");
        }
        Spec.parse(spec, pattern); // fail early on a malformed spec
        return new Field(body, conversion, spec);
    }

    /** @return the parameter names the pattern uses, in order */
    public Set<String> fields() {
        return fields;
    }

    /** @return the pattern as given */
    public String pattern() {
        return pattern;
    }

    /**
     * Formats a run's parameters.
     *
     * @param parameters parameter name to value
     * @return the run's name
     * @throws IllegalArgumentException if a field names a missing parameter (as Python's
     *     {@code KeyError}) or its spec does not fit the value (as Python's {@code ValueError})
     */
    public String format(Map<String, ?> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return format(name -> parameters.containsKey(name) ? new Object[] {parameters.get(name)} : null);
    }

    private String format(Function<String, Object[]> lookup) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text);
                continue;
            }
            Field f = (Field) p;
            Object[] holder = lookup.apply(f.name);
            if (holder == null) {
                throw new IllegalArgumentException("format string '" + pattern + "' names {" + f.name
                        + "}, which is not a parameter");
            }
            Object v = holder[0];
            if (v instanceof List<?> list) { // tensorboard_view: '.'.join(str(x) for x in value)
                List<String> items = new ArrayList<>();
                for (Object x : list) {
                    items.add(x == null ? "None" : CellText.of(x));
                }
                v = String.join(".", items);
            }
            if (f.conversion == 'r' || f.conversion == 'a') {
                v = repr(v);
            } else if (f.conversion == 's') {
                v = v == null ? "None" : CellText.of(v);
            }
            try {
                sb.append(Spec.parse(f.spec, pattern).apply(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("format string '" + pattern + "', field {" + f.name + "}: "
                        + e.getMessage(), e);
            }
        }
        return sb.toString();
    }

    private static String repr(Object v) {
        if (v instanceof String s) {
            return CellText.of(List.of(s)).substring(1, CellText.of(List.of(s)).length() - 1);
        }
        return v == null ? "None" : CellText.of(v);
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** A parsed format spec. */
    private record Spec(char fill, char align, char sign, boolean alternate, boolean zero, int width, char grouping,
            int precision, char type) {
        static Spec parse(String spec, String pattern) {
            int i = 0;
            char fill = ' ';
            char align = 0;
            if (spec.length() >= 2 && "<>=^".indexOf(spec.charAt(1)) >= 0) {
                fill = spec.charAt(0);
                align = spec.charAt(1);
                i = 2;
            } else if (!spec.isEmpty() && "<>=^".indexOf(spec.charAt(0)) >= 0) {
                align = spec.charAt(0);
                i = 1;
            }
            char sign = 0;
            if (i < spec.length() && "+- ".indexOf(spec.charAt(i)) >= 0) {
                sign = spec.charAt(i++);
            }
            boolean alternate = false;
            if (i < spec.length() && spec.charAt(i) == '#') {
                alternate = true;
                i++;
            }
            boolean zero = false;
            if (i < spec.length() && spec.charAt(i) == '0') {
                if (align == 0) { // '0': zero padding after the sign for numbers; a fill of '0' for text
                    fill = '0';
                    zero = true;
                }
                i++;
            }
            int width = -1;
            int start = i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                i++;
            }
            if (i > start) {
                width = Integer.parseInt(spec.substring(start, i));
            }
            char grouping = 0;
            if (i < spec.length() && (spec.charAt(i) == ',' || spec.charAt(i) == '_')) {
                grouping = spec.charAt(i++);
            }
            int precision = -1;
            if (i < spec.length() && spec.charAt(i) == '.') {
                i++;
                start = i;
                while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw new IllegalArgumentException("format string '" + pattern + "': format spec '" + spec
                            + "' has a '.' without a precision");
                }
                precision = Integer.parseInt(spec.substring(start, i));
            }
            char type = 0;
            if (i < spec.length()) {
                type = spec.charAt(i++);
                if ("sdnboxXceEfFgG%".indexOf(type) < 0) {
                    throw new IllegalArgumentException("format string '" + pattern + "': unknown format code '" + type
                            + "' in '" + spec + "'");
                }
            }
            if (i < spec.length()) {
                throw new IllegalArgumentException("format string '" + pattern + "': invalid format spec '" + spec + "'");
            }
            return new Spec(fill, align, sign, alternate, zero, width, grouping, precision, type);
        }

        boolean isEmpty() {
            return align == 0 && sign == 0 && !alternate && !zero && width < 0 && grouping == 0 && precision < 0 && type == 0;
        }

        String apply(Object v) {
            char numberAlign = zero ? '=' : '>';
            if (v instanceof Double || v instanceof Float) {
                return pad(formatFloat(((Number) v).doubleValue()), numberAlign);
            }
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || v instanceof BigInteger) {
                if (type == 0 && precision >= 0) {
                    throw new IllegalArgumentException("precision not allowed in integer format specifier");
                }
                if ("eEfFgG%".indexOf(type) >= 0 && type != 0) {
                    return pad(formatFloat(((Number) v).doubleValue()), numberAlign);
                }
                return pad(formatInt(new BigInteger(v.toString())), numberAlign);
            }
            if (v instanceof String s) {
                if (type != 0 && type != 's') {
                    throw new IllegalArgumentException("unknown format code '" + type + "' for a str value");
                }
                if (sign != 0 || align == '=' || grouping != 0 || alternate) {
                    throw new IllegalArgumentException("sign, '=', grouping and '#' are not allowed with a str value");
                }
                return pad(precision >= 0 && precision < s.length() ? s.substring(0, precision) : s, '<');
            }
            String text = v == null ? "None" : CellText.of(v);
            if (!isEmpty()) {
                throw new IllegalArgumentException("a format spec is not allowed for the value " + text);
            }
            return text;
        }

        private String pad(String body, char defaultAlign) {
            char a = align == 0 ? defaultAlign : align;
            if (width < 0 || body.length() >= width) {
                return body;
            }
            int padding = width - body.length();
            String fillText = String.valueOf(fill).repeat(padding);
            switch (a) {
                case '<':
                    return body + fillText;
                case '^':
                    return String.valueOf(fill).repeat(padding / 2) + body + String.valueOf(fill).repeat(padding - padding / 2);
                case '=': {
                    int signLength = !body.isEmpty() && "+- ".indexOf(body.charAt(0)) >= 0 ? 1 : 0;
                    if (body.startsWith("0x", signLength) || body.startsWith("0X", signLength) || body.startsWith("0o", signLength)
                            || body.startsWith("0b", signLength)) {
                        signLength += 2;
                    }
                    return body.substring(0, signLength) + fillText + body.substring(signLength);
                }
                default:
                    return fillText + body;
            }
        }

        private String signed(boolean negative, String magnitude) {
            if (negative) {
                return "-" + magnitude;
            }
            return sign == '+' ? "+" + magnitude : sign == ' ' ? " " + magnitude : magnitude;
        }

        private String formatInt(BigInteger n) {
            if (type == 'c') {
                return new String(Character.toChars(n.intValueExact()));
            }
            boolean negative = n.signum() < 0;
            BigInteger m = n.abs();
            String digits;
            String prefix = "";
            switch (type) {
                case 'b':
                    digits = m.toString(2);
                    prefix = alternate ? "0b" : "";
                    break;
                case 'o':
                    digits = m.toString(8);
                    prefix = alternate ? "0o" : "";
                    break;
                case 'x':
                    digits = m.toString(16);
                    prefix = alternate ? "0x" : "";
                    break;
                case 'X':
                    digits = m.toString(16).toUpperCase(Locale.ROOT);
                    prefix = alternate ? "0X" : "";
                    break;
                case 's':
                    throw new IllegalArgumentException("unknown format code 's' for an int value");
                default:
                    digits = group(m.toString(), 3);
                    break;
            }
            if (grouping == '_' && prefix.length() > 0) {
                digits = group(digits, 4);
            }
            return signed(negative, prefix + digits);
        }

        private String group(String digits, int every) {
            if (grouping == 0) {
                return digits;
            }
            StringBuilder sb = new StringBuilder();
            int lead = digits.length() % every;
            for (int i = 0; i < digits.length(); i++) {
                if (i > 0 && (i - lead) % every == 0) {
                    sb.append(grouping);
                }
                sb.append(digits.charAt(i));
            }
            return sb.toString();
        }

        private String formatFloat(double x) {
            char t = type;
            if (t == 's' || t == 'b' || t == 'o' || t == 'x' || t == 'X' || t == 'c' || t == 'd') {
                throw new IllegalArgumentException("unknown format code '" + t + "' for a float value");
            }
            boolean negative = x < 0 || (x == 0 && 1 / x < 0);
            double m = Math.abs(x);
            boolean upper = t == 'E' || t == 'F' || t == 'G';
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                String s = Double.isNaN(x) ? "nan" : "inf";
                return signed(negative && !Double.isNaN(x), upper ? s.toUpperCase(Locale.ROOT) : s)
                        + (t == '%' ? "%" : "");
            }
            String body;
            switch (t) {
                case 'f':
                case 'F':
                    body = fixed(m, precision < 0 ? 6 : precision);
                    break;
                case 'e':
                case 'E':
                    body = scientific(m, precision < 0 ? 6 : precision, upper);
                    break;
                case '%':
                    body = fixed(m * 100, precision < 0 ? 6 : precision) + "%";
                    break;
                case 'g':
                case 'G':
                case 'n':
                    body = general(m, precision < 0 ? 6 : Math.max(precision, 1), upper, alternate, false);
                    break;
                default:
                    body = precision < 0 ? CellText.ofDouble(m) : general(m, Math.max(precision, 1), false, alternate, true);
                    break;
            }
            if (grouping != 0) {
                int end = body.indexOf('.');
                int e = body.indexOf('e');
                int stop = end >= 0 ? end : e >= 0 ? e : body.endsWith("%") ? body.length() - 1 : body.length();
                body = group(body.substring(0, stop), 3) + body.substring(stop);
            }
            return signed(negative, body);
        }

        private String fixed(double m, int decimals) {
            String s = new BigDecimal(m).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            return decimals == 0 && alternate ? s + "." : s;
        }

        private static String scientific(double m, int decimals, boolean upper) {
            String[] mantissaExponent = roundSignificant(m, decimals + 1);
            String digits = mantissaExponent[0];
            int exp = Integer.parseInt(mantissaExponent[1]);
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return mantissa + (upper ? 'E' : 'e') + exponent(exp);
        }

        /** Digits (exactly {@code significant} of them) and decimal exponent of {@code m} rounded half-even. */
        private static String[] roundSignificant(double m, int significant) {
            if (m == 0) {
                return new String[] {"0".repeat(significant), "0"};
            }
            BigDecimal r = new BigDecimal(m).round(new MathContext(significant, RoundingMode.HALF_EVEN));
            String digits = r.unscaledValue().toString();
            int exp = digits.length() - 1 - r.scale();
            if (digits.length() < significant) {
                digits = digits + "0".repeat(significant - digits.length());
            } else if (digits.length() > significant) {
                digits = digits.substring(0, significant); // trailing zeros only
            }
            return new String[] {digits, Integer.toString(exp)};
        }

        private static String exponent(int exp) {
            String s = Integer.toString(Math.abs(exp));
            return (exp < 0 ? "-" : "+") + (s.length() < 2 ? "0" + s : s);
        }

        /** Python's 'g' (and, with {@code noType}, the float format with a precision but no type). */
        private static String general(double m, int p, boolean upper, boolean alternate, boolean noType) {
            String[] de = roundSignificant(m, p);
            int exp = m == 0 ? 0 : Integer.parseInt(de[1]);
            String body;
            if (exp >= -4 && exp < (noType ? p - 1 : p)) {
                int decimals = Math.max(p - 1 - exp, 0);
                body = new BigDecimal(m).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
                if (!alternate) {
                    body = stripZeros(body);
                }
                if (noType && body.indexOf('.') < 0) {
                    body = body + ".0";
                }
            } else {
                String digits = de[0];
                String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
                if (!alternate) {
                    mantissa = stripZeros(mantissa);
                }
                body = mantissa + (upper ? 'E' : 'e') + exponent(exp);
            }
            return body;
        }

        private static String stripZeros(String s) {
            if (s.indexOf('.') < 0) {
                return s;
            }
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            return s.substring(0, end);
        }
    }
}
