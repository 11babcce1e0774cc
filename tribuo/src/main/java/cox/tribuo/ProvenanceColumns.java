package cox.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens an OLCUT provenance tree into dotted paths: an object's fields and a map's entries
 * are {@code parent.key}, a list's elements {@code parent.0}, {@code parent.1}, ... The keys are
 * OLCUT's and Tribuo's own ({@code trainer.epochs}, {@code dataset.num-examples}). OLCUT's
 * {@code host-short-name} entries (the name of the configurable interface, e.g. "Trainer") say
 * nothing about the run and are left out; an empty list or map gives no column.
 *
 * <p>OLCUT has {@code ProvenanceUtil.convertToMap} (nested maps) and {@code marshalProvenance}
 * (a flat list of objects that refer to each other), but nothing that gives one path per value.
 */
final class ProvenanceColumns {
    /** OLCUT's key for the configurable interface an object was configured as. */
    static final String HOST_SHORT_NAME = "host-short-name";

    private ProvenanceColumns() {
    }

    /**
     * The provenance's values by dotted path, in the provenance's own order: integers as
     * {@code Long}, {@code double} as {@code Double}, {@code float} as the {@code Double} of its
     * decimal text (0.1f is 0.1, as Tribuo prints it), booleans as {@code Boolean}, anything
     * else (strings, enums, times, URLs, hashes) as its text.
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
            add(path(prefix, field.getA()), field.getB(), out);
        }
    }

    private static void add(String path, Provenance p, Map<String, Object> out) {
        if (p instanceof PrimitiveProvenance<?> primitive) {
            Object previous = out.putIfAbsent(path, scalar(primitive.getValue()));
            if (previous != null) {
                throw new IllegalArgumentException("provenance path '" + path + "' is named twice (a key holds a dot):"
                        + " cannot flatten it into columns");
            }
        } else if (p instanceof ObjectProvenance object) {
            addObject(path, object, out);
        } else if (p instanceof ListProvenance<?> list) {
            int i = 0;
            for (Provenance element : list) {
                add(path(path, Integer.toString(i++)), element, out);
            }
        } else if (p instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> entry : map) {
                add(path(path, entry.getA()), entry.getB(), out);
            }
        } else if (p != null) {
            out.putIfAbsent(path, p.toString());
        }
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
