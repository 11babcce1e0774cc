package cox.store;

import cox.torch.DType;
import cox.torch.Tensor;
import java.math.BigInteger;

/**
 * Checks a value against its column's type and converts it to the stored Java type: {@code Long}
 * for INT, {@code Double} for FLOAT, {@code Boolean} for BOOL, {@code String} for STR. A value is
 * converted only when nothing is lost.
 */
final class CellValues {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CellValues() {
    }

    /**
     * @param where names the store and table for the message, e.g. "table 'results' of store /x"
     * @return the stored form of {@code value}
     * @throws IllegalArgumentException naming table, column, value and expected type
     */
    static Object normalize(ColumnType type, Object value, String where, String column) {
        if (value == null) {
            throw mismatch(type, value, where, column, "null is not a value");
        }
        if (value instanceof Tensor t && type != ColumnType.STR) {
            return fromScalarTensor(type, t, where, column);
        }
        switch (type) {
            case INT:
                if (value instanceof Long) {
                    return value;
                }
                if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).longValue();
                }
                if (value instanceof BigInteger b) {
                    if (b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0) {
                        return b.longValue();
                    }
                    throw mismatch(type, value, where, column, "out of the int64 range");
                }
                if (value instanceof Double || value instanceof Float) {
                    double d = ((Number) value).doubleValue();
                    if (d == Math.rint(d) && !Double.isInfinite(d) && d >= -0x1p63 && d < 0x1p63) {
                        return (long) d;
                    }
                    throw mismatch(type, value, where, column, "it is not a whole number; converting would lose it");
                }
                throw mismatch(type, value, where, column, null);
            case FLOAT:
                if (value instanceof Double) {
                    return value;
                }
                if (value instanceof Float || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).doubleValue();
                }
                if (value instanceof Long l) {
                    double d = l;
                    if ((long) d == l && d != 0x1p63) {
                        return d;
                    }
                    throw mismatch(type, value, where, column, "float64 cannot hold it exactly");
                }
                if (value instanceof BigInteger b) {
                    double d = b.doubleValue();
                    if (!Double.isInfinite(d) && new java.math.BigDecimal(d).toBigIntegerExact().equals(b)) {
                        return d;
                    }
                    throw mismatch(type, value, where, column, "float64 cannot hold it exactly");
                }
                throw mismatch(type, value, where, column, null);
            case BOOL:
                if (value instanceof Boolean) {
                    return value;
                }
                throw mismatch(type, value, where, column, null);
            case STR:
                if (value instanceof CharSequence || value instanceof Character) {
                    String s = value.toString();
                    if (s.indexOf('\0') >= 0) {
                        throw mismatch(type, value, where, column,
                                "it contains a NUL character, which fixed-width HDF5 strings cannot keep");
                    }
                    int lone = loneSurrogate(s);
                    if (lone >= 0) {
                        throw mismatch(type, value, where, column, String.format("it holds a lone surrogate U+%04X at"
                                + " index %d, which UTF-8 cannot store; converting would lose it", (int) s.charAt(lone), lone));
                    }
                    return s;
                }
                throw mismatch(type, value, where, column, null);
            default:
                throw new IllegalStateException("object columns are converted by the object codec: " + type);
        }
    }

    /**
     * The index of the first surrogate in {@code s} that is not half of a pair, or -1: such a
     * character has no UTF-8 encoding, and would be stored as '?'.
     */
    static int loneSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A 0-d (or one-element) tensor in a scalar column, as cox takes a torch scalar. */
    private static Object fromScalarTensor(ColumnType type, Tensor t, String where, String column) {
        if (t.numel() != 1) {
            throw mismatch(type, t, where, column, "only a tensor with one element converts to a scalar");
        }
        DType d = t.dtype();
        if (d == DType.BOOL) {
            return normalize(type, t.toLongArray()[0] != 0, where, column);
        }
        if (d.isFloatingPoint()) {
            return normalize(type, t.toDoubleArray()[0], where, column);
        }
        return normalize(type, t.toLongArray()[0], where, column);
    }

    static IllegalArgumentException mismatch(ColumnType type, Object value, String where, String column, String why) {
        String shown = value == null ? "null" : value.getClass().getSimpleName() + " " + quote(value);
        return new IllegalArgumentException(where + ": column '" + column + "' expects " + describe(type) + ", got "
                + shown + (why == null ? "" : " (" + why + ")"));
    }

    static String describe(ColumnType type) {
        switch (type) {
            case INT:
                return "INT (int64: Long, Integer, Short, Byte)";
            case FLOAT:
                return "FLOAT (float64: a Number that converts exactly)";
            case BOOL:
                return "BOOL (Boolean)";
            case STR:
                return "STR (String)";
            default:
                return type.name();
        }
    }

    private static String quote(Object value) {
        String s = String.valueOf(value);
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        int lone;
        while ((lone = loneSurrogate(s)) >= 0) {
            s = s.substring(0, lone) + String.format("\\u%04X", (int) s.charAt(lone)) + s.substring(lone + 1);
        }
        return value instanceof CharSequence ? "\"" + s + "\"" : s;
    }
}
