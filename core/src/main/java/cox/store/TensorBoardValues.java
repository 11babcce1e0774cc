package cox.store;

import java.util.Collection;

/** What {@link Store#logTableAndTb} hands TensorBoard for a value: a Double, a double[] or a String. */
final class TensorBoardValues {
    private TensorBoardValues() {
    }

    static Object convert(String summaryType, Object value, String table, String column) {
        switch (summaryType) {
            case "scalar":
                if (value instanceof Boolean b) {
                    return b ? 1.0 : 0.0;
                }
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                break;
            case "histogram":
                if (value instanceof double[] d) {
                    return d.clone();
                }
                if (value instanceof float[] f) {
                    double[] d = new double[f.length];
                    for (int i = 0; i < f.length; i++) {
                        d[i] = f[i];
                    }
                    return d;
                }
                if (value instanceof long[] l) {
                    double[] d = new double[l.length];
                    for (int i = 0; i < l.length; i++) {
                        d[i] = l[i];
                    }
                    return d;
                }
                if (value instanceof int[] l) {
                    double[] d = new double[l.length];
                    for (int i = 0; i < l.length; i++) {
                        d[i] = l[i];
                    }
                    return d;
                }
                if (value instanceof Collection<?> c && c.stream().allMatch(x -> x instanceof Number)) {
                    return c.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
                }
                if (value instanceof Number n) {
                    return new double[] {n.doubleValue()};
                }
                break;
            default:
                return String.valueOf(value);
        }
        throw new IllegalArgumentException("table '" + table + "': column '" + column + "' cannot be logged to TensorBoard as a "
                + summaryType + ": got " + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
}
