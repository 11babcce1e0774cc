package cox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CurveArithmeticTest {
    @Test
    void ema_isTensorBoardsDebiasedAverage() {
        double[] v = {1, 2, 3, Double.NaN, 4};
        double w = 0.6;
        double[] s = CurveArithmetic.ema(v, w);
        double last = 0;
        int k = 0;
        double[] expected = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                expected[i] = Double.NaN;
                continue;
            }
            last = last * w + (1 - w) * v[i];
            k++;
            expected[i] = last / (1 - Math.pow(w, k));
        }
        assertThat(s).containsExactly(expected);
        assertThat(s[0]).isEqualTo(1.0);
        assertThat(CurveArithmetic.ema(v, 0)).containsExactly(v);
        assertThatThrownBy(() -> CurveArithmetic.ema(v, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("smoothing weight must be in [0, 1): 1.0");
    }

    @Test
    void minMaxBuckets_shortSeriesKeepsEveryPoint() {
        double[] x = {0, 1, 2, 3};
        assertThat(CurveArithmetic.minMaxBuckets(x, new double[] {5, 6, 7, 8}, 4, 2)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void minMaxBuckets_longSeriesKeepsEveryBucketsExtremes() {
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = random.nextGaussian();
        }
        y[4321] = 100;
        y[77_777] = -100;
        y[123] = Double.NaN;
        int buckets = 750;
        int[] keep = CurveArithmetic.minMaxBuckets(x, y, n, buckets);
        assertThat(keep.length).isBetween(buckets, 2 * buckets + 2);
        assertThat(keep).contains(0, n - 1, 4321, 77_777);
        for (int i = 1; i < keep.length; i++) {
            assertThat(keep[i]).isGreaterThan(keep[i - 1]);
        }
        // each bucket's min and max are kept
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) n * b / buckets);
            int to = (int) ((long) n * (b + 1) / buckets);
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                if (Double.isNaN(y[lo]) || y[i] < y[lo]) {
                    lo = Double.isNaN(y[i]) ? lo : i;
                }
                if (Double.isNaN(y[hi]) || y[i] > y[hi]) {
                    hi = Double.isNaN(y[i]) ? hi : i;
                }
            }
            assertThat(keep).as("bucket %d", b).contains(lo, hi);
        }
    }

    @Test
    void minMaxBuckets_rowsWithoutFiniteXAreNeverKept() {
        double[] x = {0, Double.NaN, 2, Double.POSITIVE_INFINITY, 4};
        double[] y = {1, 2, 3, 4, 5};
        assertThat(CurveArithmetic.minMaxBuckets(x, y, 5, 2)).containsExactly(0, 2, 4);
        assertThat(CurveArithmetic.minMaxBuckets(x, y, 5, 1)).containsExactly(0, 4);
        assertThat(CurveArithmetic.finiteIndices(x, 5)).containsExactly(0, 2, 4);
        double[] big = new double[1000];
        Arrays.fill(big, Double.NaN);
        assertThat(CurveArithmetic.minMaxBuckets(big, big, 1000, 10)).isEmpty();
    }

    @Test
    void minMaxBuckets_allNaNBucketKeepsAGap() {
        int n = 40;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i >= 10 && i < 20 ? Double.NaN : i;
        }
        int[] keep = CurveArithmetic.minMaxBuckets(x, y, n, 4);
        assertThat(keep).contains(10);
        assertThat(Arrays.stream(keep).filter(i -> i >= 10 && i < 20).count()).isEqualTo(1);
    }

    @Test
    void goalName_isCoresGuessInLowerCase() {
        assertThat(RunsEndpoints.goalName("val_acc")).isEqualTo("max");
        assertThat(RunsEndpoints.goalName("top1")).isEqualTo("max");
        assertThat(RunsEndpoints.goalName("train_loss")).isEqualTo("min");
        assertThat(RunsEndpoints.goalName("error_rate")).isEqualTo("min");
        assertThat(RunsEndpoints.goalName("epoch")).isEqualTo("min");
    }

    @Test
    void metricSummary_ignoresNaNButKeepsFirstAndLastAsLogged() {
        MetricSummary s = MetricSummary.of(new double[] {Double.NaN, 3, 1, 2, Double.NaN}, 5);
        assertThat(s.first()).isNaN();
        assertThat(s.last()).isNaN();
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(2);
        assertThat(s.count()).isEqualTo(3);
    }

    @Test
    void gridMinMax_keepsEachBucketsExtremesInRowOrder_onTheSharedGrid() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {5, 1, 9, Double.NaN, 4, 4, 7, 2, 3};
        // [0, 8] in 3 buckets of width 8/3: rows 0-2, 3-5, 6-8
        assertThat(CurveArithmetic.grid(0, 8, 3)).usingElementComparator((a, b) -> Math.abs(a - b) < 1e-12 ? 0 : Double.compare(a, b))
                .containsExactly(2.0 / 3, 2, 8.0 / 3 + 2.0 / 3, 8.0 / 3 + 2,
                16.0 / 3 + 2.0 / 3, 16.0 / 3 + 2);
        assertThat(CurveArithmetic.gridMinMax(x, y, 9, 0, 8, 3)).containsExactly(1, 9, 4, 4, 7, 2);
        // an empty bucket is a gap; x out of the range is not drawn; the last x is in the last bucket
        assertThat(CurveArithmetic.gridMinMax(new double[] {0, 10, 8}, new double[] {1, 2, 3}, 3, 0, 8, 2))
                .containsExactly(1, 1, 3, 3);
        assertThat(CurveArithmetic.gridMinMax(new double[] {0}, new double[] {1}, 1, 0, 8, 2)[2]).isNaN();
        assertThatThrownBy(() -> CurveArithmetic.gridMinMax(x, y, 9, 3, 3, 2))
                .hasMessage("the grid must go from a finite x to a greater one: 3.0, 3.0");
    }
}
