package cox.readers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which runs are {@code short} in a table: a run is short when it has fewer rows in the table
 * than another run of its group, its group being the runs whose parameters are the same apart
 * from {@value #SEED} (and {@value CollectionReader#EXP_ID}). A run that stopped early among the
 * seeds of one configuration is short; a run without the table, or without parameters (no
 * metadata row), is not short in it. Shared by
 * {@code cox ls}, the page and the {@code runs} table. Not in Python cox.
 *
 * <p>Parameters are compared by value: a missing parameter and a null one are the same, and
 * numbers are equal when their values are ({@code 1}, {@code 1L} and {@code 1.0} alike). A
 * parameter holding a decoded object (a map, a list: an OBJECT {@code config} that repeats the
 * other parameters, often the seed too) is left out of the group.
 */
public final class ShortRuns {
    /** The parameter whose value does not make a group: runs that differ only in it are seeds of one configuration. */
    public static final String SEED = "seed";

    private ShortRuns() {
    }

    /**
     * The short runs of a table.
     *
     * @param parameters each run's parameters (the metadata table's last row), by exp_id; a run
     *     not in the map (without a metadata row) has no group, and is never short
     * @param rows each run's row count in the table, by exp_id; a run without the table is not in the map
     * @return the exp_ids of the short runs, in the order of {@code rows}
     */
    public static Set<String> of(Map<String, ? extends Map<String, ?>> parameters, Map<String, Long> rows) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(rows, "rows");
        Map<Map<String, Object>, Long> most = new HashMap<>();
        Map<String, Map<String, Object>> keys = new HashMap<>();
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            if (!parameters.containsKey(e.getKey())) {
                continue;
            }
            Map<String, Object> key = groupKey(parameters.get(e.getKey()));
            keys.put(e.getKey(), key);
            most.merge(key, e.getValue(), Math::max);
        }
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            Map<String, Object> key = keys.get(e.getKey());
            if (key != null && e.getValue() < most.get(key)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The parameters that make a run's group: without seed, exp_id, nulls and decoded objects;
     * numbers by value. Two runs are in one group of {@link #of} exactly when their keys are equal,
     * so a caller that keeps the keys (the page, over many polls) can group runs without redoing them.
     *
     * @param params a run's parameters, or null (no metadata row: an empty key)
     * @return its group's key, a new sorted map
     */
    public static Map<String, Object> groupKey(Map<String, ?> params) {
        Map<String, Object> key = new TreeMap<>();
        if (params == null) {
            return key;
        }
        for (Map.Entry<String, ?> p : params.entrySet()) {
            Object v = p.getValue();
            if (p.getKey().equals(SEED) || p.getKey().equals(CollectionReader.EXP_ID) || v == null
                    || v instanceof Map<?, ?> || v instanceof Iterable<?> || v.getClass().isArray()) {
                continue; // a decoded object (a config dict) often holds the seed itself: not part of the group
            }
            key.put(p.getKey(), comparable(p.getValue()));
        }
        return key;
    }

    /**
     * A value that equals another's exactly when the two are the same number or the same value:
     * a number that is a double, or whose shortest decimal a double holds, is that Double (-0.0 as
     * 0.0); any other number its exact decimal.
     */
    private static Object comparable(Object v) {
        if (v instanceof Double d) {
            return d == 0.0 ? (Double) 0.0 : d; // NaN and infinities are themselves
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            double d = l;
            return (long) d == l && d != 0x1p63 ? (Object) (d == 0.0 ? 0.0 : d) : BigDecimal.valueOf(l);
        }
        if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return (double) f;
        }
        if (v instanceof Number n) {
            try {
                BigDecimal exact = new BigDecimal(n.toString());
                double d = exact.doubleValue();
                return !Double.isInfinite(d) && BigDecimal.valueOf(d).compareTo(exact) == 0 ? (Object) (d == 0.0 ? 0.0 : d)
                        : exact.stripTrailingZeros();
            } catch (NumberFormatException e) {
                return n;
            }
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(o == null ? null : comparable(o));
            }
            return out;
        }
        return v;
    }
}
