package cox.tribuo;

import cox.store.ColumnType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values {@code Table.appendRow} stores, checked before any table is added, so that a
 * {@link CoxTribuo#log} call that cannot write a row writes nothing: INT a {@code Long},
 * {@code Integer}, {@code Short}, {@code Byte} or a {@code BigInteger} in the int64 range;
 * FLOAT a {@code Double} or {@code Float}; BOOL a {@code Boolean}; STR a {@code String} without
 * NUL characters or lone surrogates (store.h5's strings cannot keep them); OBJECT a value of
 * {@link #OBJECT_TYPES} (Python's None, str, int, float, bool, list, dict).
 */
final class StorableValue {
    /** What an OBJECT cell, or a user's parameter, may hold. */
    static final String OBJECT_TYPES = "null, a String, a Long, Integer, Short, Byte, BigInteger, Double or Float, a Boolean,"
            + " or a List or a Map with String keys of these";
    /** The deepest nesting of lists and maps checked; deeper is refused (and a list holding itself). */
    static final int MAX_DEPTH = 100;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private StorableValue() {
    }

    /**
     * Why {@code value} cannot be a cell of a {@code type} column, or null if it can.
     *
     * @return e.g. "is a java.time.Instant, ...", "holds a NUL character", "holds a
     *     sun.nio.fs.UnixPath at [1]"
     */
    static String problem(ColumnType type, Object value) {
        switch (type) {
            case INT:
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return null;
                }
                if (value instanceof BigInteger b) {
                    return inLongRange(b) ? null : "is " + b + ", out of the int64 range";
                }
                return "is not an integer (a " + className(value) + ")";
            case FLOAT:
                return value instanceof Double || value instanceof Float ? null : "is not a double (a " + className(value) + ")";
            case BOOL:
                return value instanceof Boolean ? null : "is not a boolean (a " + className(value) + ")";
            case STR:
                return value instanceof String s ? stringProblem(s) : "is not a String (a " + className(value) + ")";
            case OBJECT:
                return objectProblem(value, "", 0, new IdentityHashMap<>());
            default:
                return "is in a " + type + " column, which CoxTribuo does not write";
        }
    }

    /**
     * Why a user's parameter cannot be stored in the column {@code Schema.fromExample} gives it
     * (OBJECT for null and for lists and maps), or null if it can.
     */
    static String paramProblem(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigInteger b && !inLongRange(b)) {
            return "is " + b + ", out of the int64 range of an INT column";
        }
        if (value instanceof String s) {
            return stringProblem(s);
        }
        return objectProblem(value, "", 0, new IdentityHashMap<>());
    }

    private static String objectProblem(Object value, String at, int depth, IdentityHashMap<Object, Boolean> open) {
        if (value instanceof String s) {
            // a string inside an OBJECT cell is pickled: NUL is fine there, a lone surrogate is refused
            return surrogateProblem(s, at.isEmpty() ? "" : " of the string at " + at);
        }
        if (value == null || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof Double || value instanceof Float) {
            return null;
        }
        if (!(value instanceof List<?>) && !(value instanceof Map<?, ?>)) {
            return (at.isEmpty() ? "is a " : "holds a ") + value.getClass().getName() + (at.isEmpty() ? "" : " at " + at)
                    + ", which cox cannot store: it stores " + OBJECT_TYPES + " (convert it, e.g. to its String)";
        }
        if (depth >= MAX_DEPTH || open.put(value, Boolean.TRUE) != null) {
            return "nests lists and maps deeper than " + MAX_DEPTH + " levels" + (at.isEmpty() ? "" : " at " + at)
                    + " (does it hold itself?)";
        }
        try {
            if (value instanceof List<?> list) {
                int i = 0;
                for (Object element : list) {
                    String p = objectProblem(element, at + "[" + i++ + "]", depth + 1, open);
                    if (p != null) {
                        return p;
                    }
                }
            } else {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        return "holds a map key that is not a String (" + className(e.getKey()) + " " + e.getKey() + ")"
                                + (at.isEmpty() ? "" : " at " + at) + ": a Python dict in cox has str keys";
                    }
                    String p = surrogateProblem(key, " of a map key" + (at.isEmpty() ? "" : " at " + at));
                    if (p != null) {
                        return p;
                    }
                    p = objectProblem(e.getValue(), at + "[\"" + key + "\"]", depth + 1, open);
                    if (p != null) {
                        return p;
                    }
                }
            }
            return null;
        } finally {
            open.remove(value);
        }
    }

    private static String stringProblem(String s) {
        if (s.indexOf('\0') >= 0) {
            return "holds a NUL character, which store.h5's strings cannot keep";
        }
        return surrogateProblem(s, "");
    }

    /** Why {@code s} holds a lone surrogate, {@code where} saying which string it is, or null. */
    private static String surrogateProblem(String s, String where) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("holds a lone surrogate U+%04X at index %d%s, which UTF-8 cannot store", (int) c, i,
                        where);
            }
        }
        return null;
    }

    private static boolean inLongRange(BigInteger b) {
        return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0;
    }

    private static String className(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /**
     * {@code value} as a store gives it back: an integer as {@code Long} (a {@code BigInteger}
     * beyond int64 as it is), a {@code Float} as the {@code Double} of its value, lists and maps
     * element by element; so a value given now compares with {@code equals} to a stored one.
     */
    static Object normalized(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b && inLongRange(b)) {
            return b.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(normalized(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalized(v)));
            return out;
        }
        return value;
    }
}
