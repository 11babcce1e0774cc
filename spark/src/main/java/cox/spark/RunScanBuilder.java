package cox.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * Takes what Spark's optimizer pushes down: filters on {@code exp_id} alone (answered from the
 * run ids, so pruned runs are never opened, and not evaluated again) and the columns the query
 * needs (only those are handed to Spark). Other filters stay with Spark. Used on the driver by
 * one thread.
 */
final class RunScanBuilder implements SupportsPushDownFilters, SupportsPushDownRequiredColumns {
    private final ReadOptions options;
    private final StructType schema;
    private StructType required;
    private Filter[] pushed = new Filter[0];

    RunScanBuilder(ReadOptions options, StructType schema) {
        this.options = options;
        this.schema = schema;
        this.required = schema;
    }

    @Override
    public Filter[] pushFilters(Filter[] filters) {
        List<Filter> mine = new ArrayList<>();
        List<Filter> rest = new ArrayList<>();
        for (Filter f : filters) {
            (ExpIdFilters.supports(f) ? mine : rest).add(f);
        }
        pushed = mine.toArray(new Filter[0]);
        return rest.toArray(new Filter[0]);
    }

    @Override
    public Filter[] pushedFilters() {
        return pushed.clone();
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        this.required = requiredSchema;
    }

    @Override
    public Scan build() {
        return new RunScan(options, schema, required, pushed);
    }
}
