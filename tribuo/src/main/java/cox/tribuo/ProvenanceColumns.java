package cox.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.math.BigInteger;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Flattens an OLCUT provenance tree into dotted paths: an object's fields and a map's entries
 * are {@code parent.key}, a list's elements {@code parent.0}, {@code parent.1}, ... The keys are
 * OLCUT's and Tribuo's own ({@code trainer.epochs}, {@code dataset.num-examples}). OLCUT's
 * {@code host-short-name} entries (the name of the configurable interface, e.g. "Trainer") say
 * nothing about the run and are left out; an empty list or map gives no column.
 *
 * <p>Within each object and map the keys are sorted, {@code class-name} first, then by
 * {@link String#compareTo}: OLCUT keeps an object's fields in a {@code HashMap}, whose order
 * depends on its capacity, so equal provenances give the same columns in the same order only so.
 * A list keeps its order.
 *
 * <p>So that a model's columns stay few and the same from run to run, a list is spread into
 * columns only if it has at most {@value #MAX_SPREAD} elements, and never an ensemble's
 * {@code member-provenance} (one model provenance per member, a hundred columns each): such a
 * list is one value, a {@code List} of its elements (an object as a {@code Map} of dotted paths
 * flattened as here, a map as a {@code Map} of its own keys).
 *
 * <p>Keys may hold dots (a {@code RowProcessor}'s {@code fieldProcessorMap} is keyed by CSV
 * headers such as {@code Sepal.Length}), so two entries of one object or map can give the same
 * path: {@code "a.b" → 1} and {@code "a" → {"b" → 2}}. Then each of the entries involved that is
 * an object, map or list becomes one value at its own path instead (a {@code Map} or
 * {@code List} as above), until no path is given twice; the entries that do not collide stay
 * spread.
 *
 * <p>OLCUT has {@code ProvenanceUtil.convertToMap} (nested maps) and {@code marshalProvenance}
 * (a flat list of objects that refer to each other), but nothing that gives one path per value.
 */
final class ProvenanceColumns {
    /** OLCUT's key for the configurable interface an object was configured as. */
    static final String HOST_SHORT_NAME = "host-short-name";
    /** OLCUT's key for an object's class, put first among its fields. */
    static final String CLASS_NAME = "class-name";
    /** Tribuo's key for the provenances of an ensemble's members. */
    static final String MEMBER_PROVENANCE = "member-provenance";
    /** The longest list spread into a column per element. */
    static final int MAX_SPREAD = 16;

    /** {@code class-name} first, then by name. */
    static final Comparator<String> KEY_ORDER = Comparator.comparing((String k) -> !k.equals(CLASS_NAME))
            .thenComparing(Comparator.naturalOrder());

    private ProvenanceColumns() {
    }

    /**
     * The provenance's values by dotted path, keys sorted within each object and map as the
     * class comment says: integers as {@code Long}, {@code double} as {@code Double},
     * {@code float} as the {@code Double} of its decimal text (0.1f is 0.1, as Tribuo prints it),
     * booleans as {@code Boolean}, anything else (strings, enums, times, URLs, hashes) as its
     * text; a list or colliding subtree that is not spread, as a {@code List} or {@code Map}.
     */
    static Map<String, Object> flatten(ObjectProvenance provenance) {
        return spread(entries(provenance));
    }

    /** An object's fields (without host-short-name) or a map's entries, in {@link #KEY_ORDER}. */
    private static List<Map.Entry<String, Provenance>> entries(Provenance container) {
        List<Map.Entry<String, Provenance>> out = new ArrayList<>();
        if (container instanceof ObjectProvenance object) {
            for (Pair<String, Provenance> field : object) {
                if (!field.getA().equals(HOST_SHORT_NAME)) {
                    out.add(new SimpleImmutableEntry<>(field.getA(), field.getB()));
                }
            }
        } else if (container instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> entry : map) {
                out.add(new SimpleImmutableEntry<>(entry.getA(), entry.getB()));
            }
        }
        out.sort(Map.Entry.comparingByKey(KEY_ORDER));
        return out;
    }

    /** A list's elements, keyed by index, in order. */
    private static List<Map.Entry<String, Provenance>> elements(ListProvenance<?> list) {
        List<Map.Entry<String, Provenance>> out = new ArrayList<>();
        int i = 0;
        for (Provenance element : list) {
            out.add(new SimpleImmutableEntry<>(Integer.toString(i++), element));
        }
        return out;
    }

    /**
     * The entries' values by path relative to their container; entries that would give a path
     * twice are each one value (see the class comment).
     */
    private static Map<String, Object> spread(List<Map.Entry<String, Provenance>> entries) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (Map.Entry<String, Provenance> e : entries) {
            parts.add(columns(e.getKey(), e.getValue()));
        }
        boolean[] whole = new boolean[parts.size()];
        while (true) {
            Map<String, Integer> owner = new HashMap<>();
            TreeSet<Integer> clashing = new TreeSet<>();
            for (int i = 0; i < parts.size(); i++) {
                for (String path : parts.get(i).keySet()) {
                    Integer before = owner.putIfAbsent(path, i);
                    if (before != null) {
                        clashing.add(before);
                        clashing.add(i);
                    }
                }
            }
            if (clashing.isEmpty()) {
                break;
            }
            boolean changed = false;
            for (int i : clashing) {
                Provenance p = entries.get(i).getValue();
                if (!whole[i] && isContainer(p)) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put(entries.get(i).getKey(), value(p));
                    parts.set(i, one);
                    whole[i] = true;
                    changed = true;
                }
            }
            if (!changed) {
                // two leaves with the same path have the same key, which an object or map cannot have
                throw new IllegalStateException("provenance entries give a path twice: " + owner.keySet());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        parts.forEach(out::putAll);
        return out;
    }

    /** One entry's values by path, each path starting with {@code key}. */
    private static Map<String, Object> columns(String key, Provenance p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p instanceof PrimitiveProvenance<?> primitive) {
            out.put(key, scalar(primitive.getValue()));
        } else if (p instanceof ObjectProvenance || p instanceof MapProvenance<?>) {
            spread(entries(p)).forEach((path, v) -> out.put(key + "." + path, v));
        } else if (p instanceof ListProvenance<?> list) {
            if (list.getList().size() > MAX_SPREAD || key.equals(MEMBER_PROVENANCE)) {
                out.put(key, value(list));
            } else {
                spread(elements(list)).forEach((path, v) -> out.put(key + "." + path, v));
            }
        } else if (p != null) {
            out.put(key, p.toString());
        }
        return out;
    }

    private static boolean isContainer(Provenance p) {
        return p instanceof ObjectProvenance || p instanceof MapProvenance<?> || p instanceof ListProvenance<?>;
    }

    /**
     * A provenance as one value: a scalar, an object as a {@code Map} of dotted paths, a map as a
     * {@code Map} of its keys, a list as a {@code List}.
     */
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
        if (p instanceof MapProvenance<?>) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, Provenance> entry : entries(p)) {
                values.put(entry.getKey(), value(entry.getValue()));
            }
            return values;
        }
        return String.valueOf(p);
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
