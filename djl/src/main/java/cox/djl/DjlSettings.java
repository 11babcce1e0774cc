package cox.djl;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a DJL object (an optimizer, its learning-rate tracker, a loss) as flat
 * metadata values. DJL's optimizers and trackers keep their settings in private fields and
 * expose none of them, so they are read by reflection: each instance field of a simple type,
 * named by its path ({@code optimizer.momentum}, {@code optimizer.learningRateTracker.value}), as
 * DJL's source names the field. A field holding another DJL object (a tracker, a tracker inside a
 * warm-up tracker) gives its class's simple name and, one level further down, its own settings;
 * a lambda (a tracker written as {@code step -> 0.1f}) gives {@code lambda}, whoever wrote it,
 * since its class's name changes from run to run.
 * Collections and maps (the optimizer's per-parameter state) and the update counters are state,
 * not settings, and are skipped; so is a field the JVM does not let us read.
 */
final class DjlSettings {
    /**
     * Fields that are state, not settings (update counters, accumulators), or logged elsewhere (an
     * evaluator's name).
     */
    private static final Set<String> SKIPPED_FIELDS = Set.of("numUpdate", "updateCounts", "stepIndex", "totalInstances",
            "totalLoss", "name");
    private static final int MAX_DEPTH = 3;
    /** What a lambda-valued setting is logged as. */
    private static final String LAMBDA = "lambda";

    private DjlSettings() {
    }

    /**
     * Adds {@code prefix} = the class's simple name of {@code object}, then its settings under
     * {@code prefix.}, to {@code out}.
     */
    static void flatten(String prefix, Object object, Map<String, Object> out) {
        out.put(prefix, className(object.getClass()));
        Deque<Object> path = new ArrayDeque<>();
        path.push(object);
        fields(prefix, object, out, 1, path);
    }

    private static void fields(String prefix, Object object, Map<String, Object> out, int depth, Deque<Object> path) {
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c); // the superclass's fields first: Optimizer's before Sgd's
        }
        for (Class<?> c : hierarchy) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isStatic(mod) || f.isSynthetic() || SKIPPED_FIELDS.contains(f.getName())) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(object);
                } catch (RuntimeException | IllegalAccessException e) {
                    continue; // a module that does not open the package: the setting is not logged
                }
                String key = prefix + "." + f.getName();
                Object simple = simpleValue(value);
                if (simple != null) {
                    out.put(key, simple);
                } else if (value != null && isLambda(value.getClass())) {
                    out.put(key, LAMBDA);
                } else if (value != null && isDjl(value.getClass()) && !(value instanceof Iterable)
                        && path.stream().noneMatch(p -> p == value)) {
                    out.put(key, className(value.getClass()));
                    if (depth < MAX_DEPTH) {
                        path.push(value);
                        fields(key, value, out, depth + 1, path);
                        path.pop();
                    }
                }
            }
        }
    }

    /** A value for a metadata column (Long, Double, Boolean or String), or null if it is not simple. */
    static Object simpleValue(Object value) {
        if (value instanceof Float f) {
            return decimal(f);
        } else if (value instanceof Double || value instanceof Boolean || value instanceof String) {
            return value;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        } else if (value instanceof Character c) {
            return c.toString();
        } else if (value instanceof Enum<?> e) {
            return e.name();
        } else if (value instanceof int[] a) {
            return Arrays.toString(a);
        } else if (value instanceof long[] a) {
            return Arrays.toString(a);
        } else if (value instanceof float[] a) {
            return Arrays.toString(a);
        } else if (value instanceof double[] a) {
            return Arrays.toString(a);
        }
        return null;
    }

    /**
     * A float as the double of its shortest decimal form: {@code 0.1f} gives {@code 0.1}, the
     * number the user wrote, not {@code 0.10000000149011612}.
     */
    static double decimal(float f) {
        return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f;
    }

    private static boolean isDjl(Class<?> c) {
        return c.getName().startsWith("ai.djl.");
    }

    /**
     * A lambda's class ({@code Foo$$Lambda/0x...}): its name changes from run to run, and it has
     * no settings to read.
     */
    private static boolean isLambda(Class<?> c) {
        return c.getName().contains("$$Lambda");
    }

    /**
     * The simple name; {@code lambda} for a lambda, so that the runs of a sweep agree; the binary
     * name for another class that has none (anonymous).
     */
    static String className(Class<?> c) {
        if (isLambda(c)) {
            return LAMBDA;
        }
        String simple = c.getSimpleName();
        return simple.isEmpty() || c.isSynthetic() ? c.getName() : simple;
    }
}
