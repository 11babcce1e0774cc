package cox.spark;

import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Made on the driver and sent to the executors: makes the reader of each {@link RunGroup}, by
 * rows or, when Spark asks, by columns (one batch per run).
 */
final class RunReaderFactory implements PartitionReaderFactory {
    private static final long serialVersionUID = 1L;

    private final ReadOptions options;
    private final FieldSource[] fields;
    private final String firstExpId;
    private final Set<String> expectedColumns;
    private final boolean columnar;

    RunReaderFactory(ReadOptions options, FieldSource[] fields, String firstExpId, Set<String> expectedColumns,
            boolean columnar) {
        this.options = options;
        this.fields = fields;
        this.firstExpId = firstExpId;
        this.expectedColumns = expectedColumns;
        this.columnar = columnar;
    }

    private RunBatches runs(InputPartition partition) {
        return new RunBatches(options, ((RunGroup) partition).expIds(), fields, firstExpId, expectedColumns);
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new Rows(runs(partition));
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
        return new Batches(runs(partition));
    }

    @Override
    public boolean supportColumnarReads(InputPartition partition) {
        return columnar;
    }

    /** The rows of the runs, one after the other; the row returned is reused (Spark copies what it keeps). */
    private static final class Rows implements PartitionReader<InternalRow> {
        private final RunBatches runs;
        private ColumnarBatch batch;
        private int row;

        Rows(RunBatches runs) {
            this.runs = runs;
        }

        @Override
        public boolean next() {
            while (batch == null || ++row >= batch.numRows()) {
                batch = runs.next();
                if (batch == null) {
                    return false;
                }
                row = -1;
            }
            return true;
        }

        @Override
        public InternalRow get() {
            return batch.getRow(row);
        }

        @Override
        public CustomTaskMetric[] currentMetricsValues() {
            return ReadMetrics.values(runs);
        }

        @Override
        public void close() {
            batch = null;
        }
    }

    /** One batch per run. */
    private static final class Batches implements PartitionReader<ColumnarBatch> {
        private final RunBatches runs;
        private ColumnarBatch batch;

        Batches(RunBatches runs) {
            this.runs = runs;
        }

        @Override
        public boolean next() {
            batch = runs.next();
            return batch != null;
        }

        @Override
        public ColumnarBatch get() {
            return batch;
        }

        @Override
        public CustomTaskMetric[] currentMetricsValues() {
            return ReadMetrics.values(runs);
        }

        @Override
        public void close() {
            batch = null;
        }
    }
}
