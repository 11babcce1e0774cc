package cox.readers.query;

import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * The statistics of a sample of numbers (one value per run of a group) that {@code --group-by}
 * prints, as {@code scipy.stats} computes them: the mean, the sample standard deviation (ddof 1),
 * the standard error of the mean, the 95% confidence interval of the mean from Student's t, and
 * the two-sided p-value of Welch's t-test against another sample (Apache Commons Statistics gives
 * the t distribution and the test). Stateless.
 */
final class SampleStatistics {
    private static final TTest WELCH = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC);

    private SampleStatistics() {
    }

    /** @return the mean of {@code v}; NaN if empty */
    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    /** @return the sample variance of {@code v} (ddof 1); NaN with fewer than two values */
    static double variance(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return ss / (v.length - 1);
    }

    /** @return the sample standard deviation (ddof 1); NaN with fewer than two values */
    static double std(double[] v) {
        return Math.sqrt(variance(v));
    }

    /** @return the standard error of the mean: std / sqrt(n); NaN with fewer than two values */
    static double sem(double[] v) {
        return std(v) / Math.sqrt(v.length);
    }

    /**
     * @return half the width of the 95% confidence interval of the mean: t(0.975, n-1) * sem; NaN
     *     with fewer than two values
     */
    static double ci95HalfWidth(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        return TDistribution.of(v.length - 1).inverseSurvivalProbability(0.025) * sem(v);
    }

    /**
     * The two-sided p-value of Welch's t-test of {@code a} against {@code b} (scipy's
     * {@code ttest_ind(a, b, equal_var=False)}).
     *
     * @return the p-value; NaN when either sample has fewer than two values; when neither sample
     *     varies, 0 if their means differ (the difference is certain) and NaN if they are equal, as
     *     scipy answers
     */
    static double welchP(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        double va = variance(a);
        double vb = variance(b);
        if (va == 0 && vb == 0) {
            return mean(a) == mean(b) ? Double.NaN : 0.0;
        }
        return WELCH.test(mean(a), va, a.length, mean(b), vb, b.length).getPValue();
    }
}
