package cox.web;

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
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                count++;
            }
        }
        return count == 0 ? new MetricSummary(values[0], values[n - 1], Double.NaN, Double.NaN, Double.NaN, 0)
                : new MetricSummary(values[0], values[n - 1], min, max, sum / count, count);
    }

    /**
     * @param goal "min" or "max"
     * @return the best value for that goal
     */
    double best(String goal) {
        return "max".equals(goal) ? max : min;
    }

    /**
     * Whether a higher value of a metric is better, guessed from its name as people name metrics
     * ({@code acc}, {@code val_accuracy}, {@code f1}, {@code reward} are maximised; {@code loss},
     * {@code error}, {@code perplexity} and anything else minimised).
     *
     * @param metric a column name
     * @return "max" or "min"
     */
    static String goalOf(String metric) {
        String m = metric.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("loss") || m.contains("err") || m.contains("perplex")) {
            return "min";
        }
        for (String up : new String[] {"acc", "prec", "recall", "f1", "auc", "score", "reward", "return", "iou", "bleu",
                "map", "top1", "top5", "correct"}) {
            if (m.contains(up)) {
                return "max";
            }
        }
        return "min";
    }
}
