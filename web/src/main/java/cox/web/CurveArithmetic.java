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

    /**
     * The x of a shared grid of {@code buckets} buckets over {@code [from, to]}: two slots per
     * bucket, at a quarter and three quarters of its width, where {@link #gridMinMax} puts a
     * curve's extremes. Every curve drawn on the grid has these x, so the page lays thousands of
     * curves on one axis without merging their x.
     */
    static double[] grid(double from, double to, int buckets) {
        double w = (to - from) / buckets;
        double[] x = new double[2 * buckets];
        for (int b = 0; b < buckets; b++) {
            x[2 * b] = from + (b + 0.25) * w;
            x[2 * b + 1] = from + (b + 0.75) * w;
        }
        return x;
    }

    /**
     * A curve on the shared {@link #grid}: of the rows whose x falls in a bucket ({@code [from, to]}
     * cut into {@code buckets} equal parts, the last one closed), the smallest and the largest y,
     * in the order the rows came (the first of the two in the bucket's first slot); a bucket with
     * one value has it in both slots, a bucket with none (or only NaN) NaN in both (a gap). Rows
     * with x not finite or outside the range are not drawn. No peak is lost; a point moves along x
     * by less than a bucket's width.
     *
     * @param x the x of each row
     * @param y the y of each row
     * @param n how many rows
     * @param from the grid's first x
     * @param to the grid's last x, greater than {@code from}
     * @param buckets how many buckets, at least 1
     * @return {@code 2 * buckets} values, one per slot of the grid
     */
    static double[] gridMinMax(double[] x, double[] y, int n, double from, double to, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets < 1: " + buckets);
        }
        if (!(from < to) || !Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("the grid must go from a finite x to a greater one: " + from + ", " + to);
        }
        int[] lo = new int[buckets];
        int[] hi = new int[buckets];
        java.util.Arrays.fill(lo, -1);
        java.util.Arrays.fill(hi, -1);
        double scale = buckets / (to - from);
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double v = y[i];
            if (!(xi >= from && xi <= to) || Double.isNaN(v)) {
                continue;
            }
            int b = Math.min(buckets - 1, (int) ((xi - from) * scale));
            if (lo[b] < 0 || v < y[lo[b]]) {
                lo[b] = i;
            }
            if (hi[b] < 0 || v > y[hi[b]]) {
                hi[b] = i;
            }
        }
        double[] out = new double[2 * buckets];
        for (int b = 0; b < buckets; b++) {
            if (lo[b] < 0) {
                out[2 * b] = Double.NaN;
                out[2 * b + 1] = Double.NaN;
            } else {
                int first = Math.min(lo[b], hi[b]);
                int second = Math.max(lo[b], hi[b]);
                out[2 * b] = y[first];
                out[2 * b + 1] = y[second];
            }
        }
        return out;
    }
}
