package cox.pickle;

import cox.exceptions.UnpicklingException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where in a pickle a {@link Reconstructor}, {@link PendingValue} or {@link PersistentLoader} is
 * at work: the opcode and its offset, so that what they report names them as the unpickler's own
 * messages do. Valid only during the call that receives it.
 */
public final class LoadSite {
    private final String opcode;
    private final int offset;

    LoadSite(String opcode, int offset) {
        this.opcode = opcode;
        this.offset = offset;
    }

    /**
     * The opcode being run.
     *
     * @return its name, e.g. {@code REDUCE} or {@code BUILD}
     */
    public String opcode() {
        return opcode;
    }

    /**
     * Where the opcode starts.
     *
     * @return its byte offset in the pickle
     */
    public int offset() {
        return offset;
    }

    /**
     * The exception for a pickle whose data does not fit what it asks for.
     *
     * @param what what is wrong, phrased to follow the opcode, e.g. {@code "calls numpy.dtype
     *     without a type code"}
     * @return {@code corrupt pickle: OPCODE at offset N WHAT}, to be thrown
     */
    public UnpicklingException corrupt(String what) {
        return new UnpicklingException("corrupt pickle: " + opcode + " at offset " + offset + " " + what);
    }

    /**
     * A tuple of ints, as shapes and strides are pickled.
     *
     * @param value the loaded value
     * @param what what it is, for the message ({@code "shape"})
     * @return the ints
     * @throws UnpicklingException if it is not a tuple of ints that fit in a long
     */
    public long[] longs(Object value, String what) {
        if (!(value instanceof Object[] t)) {
            throw corrupt("has a " + what + " that is a " + typeName(value) + ", not a tuple");
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] instanceof Long)) {
                throw corrupt("has a " + what + " holding a " + typeName(t[i]));
            }
            out[i] = (Long) t[i];
        }
        return out;
    }

    /**
     * Checks that a value may be a dict key or set member: not a list, dict or
     * {@link PendingValue} (Python would raise {@code TypeError: unhashable type}).
     *
     * @param key the value
     * @return {@code key}
     * @throws UnpicklingException if it is unhashable
     */
    public Object hashable(Object key) {
        if (key instanceof List || key instanceof Map || key instanceof PendingValue) {
            throw corrupt("uses an unhashable " + typeName(key) + " as a dict key or set member");
        }
        return key;
    }

    /**
     * The Python type of a loaded value, for messages: {@code None}, {@code tuple}, {@code list},
     * {@code dict}, {@code set}, {@code str}, {@code bytes}, {@code global builtins.float}, a
     * {@link PendingValue}'s own description, else the Java class's simple name.
     *
     * @param value a value as the unpickler builds it
     * @return its type name
     */
    public static String typeName(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Object[]) {
            return "tuple";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof PythonGlobal) {
            return "global " + value;
        }
        if (value instanceof PendingValue p) {
            return p.typeName();
        }
        return value.getClass().getSimpleName();
    }
}
