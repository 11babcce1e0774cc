package cox.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One input partition: a group of runs (consecutive in id order) that one task reads, sized so
 * that the partitions hold about the same number of bytes of {@code store.h5}.
 *
 * @param expIds the runs, in id order
 * @param bytes the size of their stores, as planned
 */
record RunGroup(List<String> expIds, long bytes) implements InputPartition {
    private static final long serialVersionUID = 1L;

    RunGroup {
        expIds = List.copyOf(expIds);
    }
}
