package cox.spark;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The scan's own metrics, summed over its tasks and shown in Spark's SQL UI beside the scan node
 * (and in {@code BatchScanExec.metrics()}): how many stores the executors opened, how many runs
 * were skipped as unreadable ({@code skipErrors}), and how many rows the runs gave.
 */
final class ReadMetrics {
    static final String STORES_READ = "storesRead";
    static final String STORES_SKIPPED = "storesSkipped";
    static final String ROWS_READ = "coxRowsRead";

    private ReadMetrics() {
    }

    /** @return the metrics a cox scan reports */
    static CustomMetric[] supported() {
        return new CustomMetric[] {new StoresRead(), new StoresSkipped(), new RowsRead()};
    }

    /** @return the current values of one task's counters */
    static CustomTaskMetric[] values(RunBatches runs) {
        return new CustomTaskMetric[] {
            new Value(STORES_READ, runs.storesRead()),
            new Value(STORES_SKIPPED, runs.storesSkipped()),
            new Value(ROWS_READ, runs.rowsRead()),
        };
    }

    /** Stores opened by the executors. Public with a no-argument constructor: Spark makes one by reflection. */
    public static final class StoresRead extends CustomSumMetric {
        /** Spark's reflection needs it. */
        public StoresRead() {
        }

        @Override
        public String name() {
            return STORES_READ;
        }

        @Override
        public String description() {
            return "cox stores opened";
        }
    }

    /** Runs left out as unreadable ({@code skipErrors}). Public for Spark's reflection. */
    public static final class StoresSkipped extends CustomSumMetric {
        /** Spark's reflection needs it. */
        public StoresSkipped() {
        }

        @Override
        public String name() {
            return STORES_SKIPPED;
        }

        @Override
        public String description() {
            return "cox runs skipped (unreadable)";
        }
    }

    /** Rows the runs gave. Public for Spark's reflection. */
    public static final class RowsRead extends CustomSumMetric {
        /** Spark's reflection needs it. */
        public RowsRead() {
        }

        @Override
        public String name() {
            return ROWS_READ;
        }

        @Override
        public String description() {
            return "cox rows read";
        }
    }

    private record Value(String name, long value) implements CustomTaskMetric {
    }
}
