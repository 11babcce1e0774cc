package cox.web;

import java.util.Map;

/**
 * A run's summary of one table at {@code stamp}: its row count and a {@link MetricSummary} of
 * each numeric column. {@code error} is set (and the rest empty) when the table could not be read.
 */
record TableSummary(RunStamp stamp, long rows, Map<String, MetricSummary> metrics, String error) {
}
