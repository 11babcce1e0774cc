package cox.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens an OLCUT provenance tree into dotted paths: an object's fields and a map's entries
 * are {@code parent.key}, a list's elements {@code parent.0}, {@code parent.1}, ... The keys are
 * OLCUT's and Tribuo's own ({@code trainer.epochs}, {@code dataset.num-examples}). OLCUT's
 * {@code host-short-name} entries (the name of the configurable interface, e.g. "Trainer") say
 * nothing about the run and are left out; an empty list or map gives no column.
 *
 * <p>So that a model's columns stay few and the same from run to run, a list is spread into
 * columns only if it has at most {@value #MAX_SPREAD} elements, and never an ensemble's
 * {@code member-provenance} (one model provenance per member, a hundred columns each): such a
 * list is one OBJECT value, a {@code List} of its elements, each flattened as here (an object as
 * a {@code Map} of dotted paths).
 *
 * <p>OLCUT has {@code ProvenanceUtil.convertToMap} (nested maps) and {@code marshalProvenance}
 * (a flat list of objects that refer to each other), but nothing that gives one path per value.
 */
final class ProvenanceColumns {
    /** OLCUT's key for the configurable interface an object was configured as. */
    static final String HOST_SHORT_NAME = "host-short-name";
    /** Tribuo's key for the provenances of an ensemble's members. */
    static final String MEMBER_PROVENANCE = "member-provenance";
    /** The longest list spread into a column per element. */
    static final int MAX_SPREAD = 16;

    private ProvenanceColumns() {
    }

    /**
     * The provenance's values by dotted path, in the provenance's own order: integers as
     * {@code Long}, {@code double} as {@code Double}, {@code float} as the {@code Double} of its
     * decimal text (0.1f is 0.1, as Tribuo prints it), booleans as {@code Boolean}, anything
     * else (strings, enums, times, URLs, hashes) as its text; a list that is not spread, as a
     * {@code List}.
     */
    static Map<String, Object> flatten(ObjectProvenance provenance) {
        Map<String, Object> out = new LinkedHashMap<>();
        addObject("", provenance, out);
        return out;
    }

    private static void addObject(String prefix, ObjectProvenance provenance, Map<String, Object> out) {
        for (Pair<String, Provenance> field : provenance) {
            if (field.getA().equals(HOST_SHORT_NAME)) {
                continue;
            }
            add(path(prefix, field.getA()), field.getA(), field.getB(), out);
        }
    }

    private static void add(String path, String key, Provenance p, Map<String, Object> out) {
        if (p instanceof PrimitiveProvenance<?> primitive) {
            put(path, scalar(primitive.getValue()), out);
        } else if (p instanceof ObjectProvenance object) {
            addObject(path, object, out);
        } else if (p instanceof ListProvenance<?> list) {
            if (list.getList().size() > MAX_SPREAD || key.equals(MEMBER_PROVENANCE)) {
                put(path, value(list), out);
            } else {
                int i = 0;
                for (Provenance element : list) {
                    String index = Integer.toString(i++);
                    add(path(path, index), index, element, out);
                }
            }
        } else if (p instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> entry : map) {
                add(path(path, entry.getA()), entry.getA(), entry.getB(), out);
            }
        } else if (p != null) {
            put(path, p.toString(), out);
        }
    }

    private static void put(String path, Object value, Map<String, Object> out) {
        if (out.putIfAbsent(path, value) != null) {
            throw new IllegalArgumentException("provenance path '" + path + "' is named twice (a key holds a dot):"
                    + " cannot flatten it into columns");
        }
    }

    /** A provenance as one value: a scalar, a {@code Map} of dotted paths, or a {@code List}. */
    private static Object value(Provenance p) {
        if (p instanceof PrimitiveProvenance<?> primitive) {
            return scalar(primitive.getValue());
        }
        if (p instanceof ObjectProvenance object) {
            return flatten(object);
        }
        if (p instanceof ListProvenance<?> list) {
            List<Object> values = new ArrayList<>();
            for (Provenance element : list) {
                values.add(value(element));
            }
            return values;
        }
        if (p instanceof MapProvenance<?> map) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Pair<String, ? extends Provenance> entry : map) {
                values.put(entry.getA(), value(entry.getB()));
            }
            return values;
        }
        return String.valueOf(p);
    }

    private static String path(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private static Object scalar(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof Float f) {
            return Double.parseDouble(f.toString());
        }
        if (value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);
    }
}
