package cox.readers.query;

import cox.readers.summary.TypedColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;

/**
 * The groups of {@code --group-by}: one row per group of per-run rows with equal values of the
 * group's names (two missing values are equal), sorted by those values ({@link CellOrder}), with
 * {@code n} and, for each numeric column {@code C}, {@code C.mean C.std C.sem C.ci95_low
 * C.ci95_high C.min C.max} and, against a baseline, {@code C.diff C.p_welch}
 * ({@link SampleStatistics}). Stateless.
 */
final class GroupTable {
    /** The count column. */
    static final String N = "n";

    private GroupTable() {
    }

    /**
     * @param runs one row per run
     * @param keys the columns of {@code runs} that make a group
     * @param columns the numeric columns to give statistics of
     * @param baseline which runs are the baseline, or null for none
     * @return one row per group
     */
    static DataFrame of(DataFrame runs, List<String> keys, List<String> columns, boolean[] baseline) {
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < runs.height(); i++) {
            List<Object> key = new ArrayList<>();
            for (String k : keys) {
                key.add(normal(runs.getColumn(k).get(i)));
            }
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(i);
        }
        List<List<Object>> order = new ArrayList<>(groups.keySet());
        order.sort(GroupTable::compareKeys);

        List<String> names = new ArrayList<>(keys);
        List<Series<?>> out = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            Object[] cells = new Object[order.size()];
            for (int g = 0; g < cells.length; g++) {
                cells[g] = order.get(g).get(k);
            }
            out.add(TypedColumns.of(cells));
        }
        names.add(N);
        long[] n = new long[order.size()];
        for (int g = 0; g < n.length; g++) {
            n[g] = groups.get(order.get(g)).size();
        }
        out.add(Series.ofLong(n));
        for (String c : columns) {
            Series<?> s = runs.getColumn(c);
            double[] base = baseline == null ? null : values(s, indices(baseline));
            double baseMean = base == null ? Double.NaN : SampleStatistics.mean(base);
            int width = base == null ? 7 : 9;
            double[][] stat = new double[width][order.size()];
            for (int g = 0; g < order.size(); g++) {
                double[] v = values(s, groups.get(order.get(g)));
                double mean = SampleStatistics.mean(v);
                double half = SampleStatistics.ci95HalfWidth(v);
                stat[0][g] = mean;
                stat[1][g] = SampleStatistics.std(v);
                stat[2][g] = SampleStatistics.sem(v);
                stat[3][g] = mean - half;
                stat[4][g] = mean + half;
                stat[5][g] = min(v);
                stat[6][g] = max(v);
                if (base != null) {
                    stat[7][g] = mean - baseMean;
                    stat[8][g] = SampleStatistics.welchP(v, base);
                }
            }
            String[] suffixes = {"mean", "std", "sem", "ci95_low", "ci95_high", "min", "max", "diff", "p_welch"};
            for (int j = 0; j < width; j++) {
                names.add(c + "." + suffixes[j]);
                out.add(Series.ofDouble(stat[j]));
            }
        }
        return TypedColumns.frame(names, out);
    }

    /** NaN and null are both "missing", so the runs lacking a value form one group. */
    private static Object normal(Object v) {
        return CellOrder.isBlank(v) ? null : v;
    }

    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = CellOrder.compare(a.get(i), b.get(i), false);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Integer> indices(boolean[] mask) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** The numbers of {@code s} at {@code rows}, NaN and missing cells skipped. */
    private static double[] values(Series<?> s, List<Integer> rows) {
        double[] v = new double[rows.size()];
        int k = 0;
        for (int i : rows) {
            double x;
            if (s instanceof DoubleSeries d) {
                x = d.getDouble(i);
            } else if (s instanceof LongSeries l) {
                x = l.getLong(i);
            } else {
                x = s.get(i) instanceof Number num ? num.doubleValue() : Double.NaN;
            }
            if (!Double.isNaN(x)) {
                v[k++] = x;
            }
        }
        return java.util.Arrays.copyOf(v, k);
    }

    private static double min(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            m = Double.isNaN(m) || x < m ? x : m;
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            m = Double.isNaN(m) || x > m ? x : m;
        }
        return m;
    }
}
