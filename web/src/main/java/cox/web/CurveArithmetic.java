package cox.web;

/**
 * The arithmetic on the curves the charts draw: TensorBoard's smoothing, the drawable (finite-x) rows, and
 * min/max downsampling. Stateless.
 */
final class CurveArithmetic {
    /** The x "column" that is the row index, 0, 1, 2, ... */
    static final String ROW_INDEX = "_row";

    private CurveArithmetic() {
    }

    /**
     * TensorBoard's exponential moving average with debiasing: {@code s = s*w + (1-w)*v},
     * divided by {@code 1 - w^k} after k finite values, so the curve starts at the first value
     * instead of at 0. A value that is not finite is passed through and does not enter the
     * average. {@code w = 0} returns the values as they are.
     *
     * @param values the full series, in order
     * @param weight the smoothing weight, 0 &lt;= w &lt; 1
     * @return a new array of the smoothed values
     */
    static double[] ema(double[] values, double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight must be in [0, 1): " + weight);
        }
        double[] out = new double[values.length];
        double last = 0;
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                out[i] = v;
                continue;
            }
            last = last * weight + (1 - weight) * v;
            k++;
            double debias = weight == 0 ? 1 : 1 - Math.pow(weight, k);
            out[i] = last / debias;
        }
        return out;
    }

    /**
     * @param x the x of each row
     * @param n how many rows
     * @return the indices of the rows whose x is finite (the rows a chart can draw), ascending
     */
    static int[] finiteIndices(double[] x, int n) {
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i])) {
                out[k++] = i;
            }
        }
        return k == n ? out : java.util.Arrays.copyOf(out, k);
    }

    /**
     * Which points to keep to draw a long curve with about {@code 2 * buckets} points and lose no
     * peak: the rows are cut into {@code buckets} runs of consecutive rows, and of each the row
     * with the smallest and the row with the largest y are kept (in row order), plus the first
     * and last row. A bucket whose y are all NaN keeps its first row (a gap in the line). Rows
     * whose x is not finite cannot be drawn and are never kept. If the series has at most
     * {@code 2 * buckets} drawable rows, all of them are kept.
     *
     * @param x the x of each row
     * @param y the y of each row
     * @param n how many rows
     * @param buckets how many buckets, at least 1
     * @return the kept row indices, ascending
     */
    static int[] minMaxBuckets(double[] x, double[] y, int n, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets < 1: " + buckets);
        }
        int drawable = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(x[i])) {
                drawable++;
            }
        }
        if (drawable <= 2 * buckets) {
            int[] all = new int[drawable];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(x[i])) {
                    all[k++] = i;
                }
            }
            return all;
        }
        int[] keep = new int[2 * buckets + 2];
        int k = 0;
        int previous = -1;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) n * b / buckets);
            int to = (int) ((long) n * (b + 1) / buckets);
            int lo = -1;
            int hi = -1;
            int firstDrawable = -1;
            for (int i = from; i < to; i++) {
                if (!Double.isFinite(x[i])) {
                    continue;
                }
                if (firstDrawable < 0) {
                    firstDrawable = i;
                }
                double v = y[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                if (lo < 0 || v < y[lo]) {
                    lo = i;
                }
                if (hi < 0 || v > y[hi]) {
                    hi = i;
                }
            }
            if (b == 0 && firstDrawable >= 0 && firstDrawable != lo && firstDrawable != hi) {
                keep[k++] = previous = firstDrawable;
            }
            if (lo < 0) {
                if (firstDrawable >= 0 && firstDrawable != previous) {
                    keep[k++] = previous = firstDrawable;
                }
                continue;
            }
            int a = Math.min(lo, hi);
            int c = Math.max(lo, hi);
            if (a != previous) {
                keep[k++] = previous = a;
            }
            if (c != a) {
                keep[k++] = previous = c;
            }
        }
        int last = -1;
        for (int i = n - 1; i >= 0; i--) {
            if (Double.isFinite(x[i])) {
                last = i;
                break;
            }
        }
        if (last >= 0 && last != previous) {
            keep[k++] = last;
        }
        return java.util.Arrays.copyOf(keep, k);
    }
}
