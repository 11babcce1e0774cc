package cox.web;

import cox.readers.summary.Goal;

/**
 * One metric's summary over a run's rows: the first and last values (as logged, NaN included),
 * the minimum, maximum and mean of the values that are not NaN, and how many those are. Python
 * cox has no such thing; it is what {@code guild compare} and MLflow's {@code latest_metrics}
 * show.
 */
record MetricSummary(double first, double last, double min, double max, double mean, long count) {
    static final MetricSummary EMPTY = new MetricSummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    static MetricSummary of(double[] values, int n) {
        if (n == 0) {
            return EMPTY;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            if (!Double.isNaN(v)) {
                // the first value no earlier one is below (above), as cox.store.TableSummary and cox df
                // take it: of 0.0 and -0.0 the one logged first
                if (count == 0 || v < min) {
                    min = v;
                }
                if (count == 0 || v > max) {
                    max = v;
                }
                sum += v;
                count++;
            }
        }
        return count == 0 ? new MetricSummary(values[0], values[n - 1], Double.NaN, Double.NaN, Double.NaN, 0)
                : new MetricSummary(values[0], values[n - 1], min, max, sum / count, count);
    }

    /**
     * @param goal whether the least or the greatest value is best ({@link Goal#guess} reads it
     *     from the column's name)
     * @return the best value for that goal: {@link #max} or {@link #min}
     */
    double best(Goal goal) {
        return goal == Goal.MAX ? max : min;
    }
}
