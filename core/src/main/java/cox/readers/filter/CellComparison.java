package cox.readers.filter;

import cox.readers.text.CellText;

/**
 * How a {@link RunFilter} compares two cells (the typing rules its Javadoc states): numbers
 * (and booleans, as 1/0) compare as numbers; a string compared with a number is read as a number
 * if it is one; strings compare as strings; anything else by its {@link CellText text}. A
 * missing (null) value, a NaN and two values of no common kind are <em>incomparable</em>.
 */
final class CellComparison {
    private CellComparison() {
    }

    /**
     * Equality: incomparable values are not equal, except that a NaN equals a NaN (so
     * {@code loss == nan} finds NaN losses and {@code loss != nan} drops them). Only a comparison
     * with the literal {@code nan} gets here with two NaNs: two cells that are both NaN are not
     * equal ({@link FilterNode.Compare}).
     */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return false;
        }
        if (isNaN(a) || isNaN(b)) {
            return isNaN(a) && isNaN(b);
        }
        Integer c = compare(a, b);
        return c != null && c == 0;
    }

    /** The order of {@code a} and {@code b}, or null when they are incomparable. */
    static Integer compare(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        Object x = numeric(a);
        Object y = numeric(b);
        if (x instanceof Number || y instanceof Number) {
            Number n = x instanceof Number ? (Number) x : asNumber(x);
            Number m = y instanceof Number ? (Number) y : asNumber(y);
            if (n == null || m == null) {
                return null;
            }
            return compareNumbers(n, m);
        }
        if (a instanceof Boolean p && b instanceof Boolean q) {
            return Boolean.compare(p, q);
        }
        if (a instanceof Boolean p && b instanceof String s) {
            Boolean q = asBoolean(s);
            return q == null ? null : Boolean.compare(p, q);
        }
        if (a instanceof String s && b instanceof Boolean q) {
            Boolean p = asBoolean(s);
            return p == null ? null : Boolean.compare(p, q);
        }
        return Integer.signum(CellText.of(a).compareTo(CellText.of(b)));
    }

    /** Booleans count as numbers only beside a number, as in Python ({@code True == 1}). */
    private static Object numeric(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    private static Number asNumber(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof String s) {
            return parseNumber(s.strip());
        }
        return null;
    }

    /** A number written as a filter literal or a Python float's text, or null. */
    static Number parseNumber(String s) {
        if (s.isEmpty()) {
            return null;
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "nan":
                return Double.NaN;
            case "inf": case "+inf": case "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null; // Double.parseDouble would take "1d", "0x1p3" and "NaN"
            }
        }
        try {
            if (lower.indexOf('.') < 0 && lower.indexOf('e') < 0) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // too long for a long: read as a double below
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Boolean asBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        return null;
    }

    private static Integer compareNumbers(Number n, Number m) {
        if (n instanceof Long a && m instanceof Long b) {
            return Long.compare(a, b);
        }
        double a = n.doubleValue();
        double b = m.doubleValue();
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return null;
        }
        if (n instanceof Long x && !(m instanceof Long)) {
            return compareLongDouble(x, b);
        }
        if (m instanceof Long y && !(n instanceof Long)) {
            return -compareLongDouble(y, a);
        }
        return a < b ? -1 : a > b ? 1 : 0; // -0.0 equals 0.0, as in Python
    }

    /** Exact comparison of a long with a double (no rounding of large longs). */
    private static int compareLongDouble(long x, double d) {
        if (d >= 0x1p63) {
            return -1;
        }
        if (d < -0x1p63) {
            return 1;
        }
        double floor = Math.floor(d);
        long f = (long) floor;
        if (x != f) {
            return Long.compare(x, f);
        }
        return floor == d ? 0 : -1;
    }

    static boolean isNaN(Object v) {
        return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
    }
}
