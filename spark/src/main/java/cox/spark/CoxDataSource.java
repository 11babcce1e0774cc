package cox.spark;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Spark's {@code format("cox")} (DataSource V2): the rows of one cox table in every run of a
 * storage folder, as one DataFrame with an {@code exp_id} column, as cox4j's
 * {@link cox.readers.CollectionReader#df} and Python cox's {@code CollectionReader.df} give them.
 *
 * <pre>{@code
 * Dataset<Row> rows = spark.read().format("cox")
 *         .option("table", "results")        // required
 *         .option("metadata", "metadata")    // each run's parameters (its metadata table's last row) as columns
 *         .option("expFilter", "^sweep-3")   // a regex an exp_id must contain
 *         .option("unionSchemas", "true")    // runs with other columns: joined on names (default true)
 *         .option("skipErrors", "false")     // an unreadable run fails the query (default false)
 *         .option("where", "optimizer == adam and status == closed")  // whole runs, as cox export --where
 *         .load("/shared/runs");             // a folder of runs, or one run's folder
 * }</pre>
 *
 * <p>The schema is inferred on the driver from every run's schema (cox's INT with FLOAT is
 * FLOAT; see {@link cox.readers.CollectionReader#schemas()}), unless one is given with
 * {@code .schema(...)}, which saves opening the stores at load time. Column types: INT
 * {@code bigint}, FLOAT {@code double}, BOOL {@code boolean}, STR {@code string}; OBJECT, PICKLE
 * and PYTORCH_STATE cells arrive as the text cox stores (a base64 pickle, or the UID of the file
 * in {@code .table_objects/}): decode them with {@code Table.getObject}, {@code getPickle},
 * {@code getStateDict}. Filters on {@code exp_id} are pushed down and prune runs before any
 * store is opened; the runs are split into input partitions read in parallel.
 *
 * <p>Made by Spark through {@code META-INF/services}; stateless and thread-safe.
 */
public final class CoxDataSource implements TableProvider, DataSourceRegister {
    /** The short name: {@code spark.read().format("cox")}. */
    public static final String SHORT_NAME = "cox";

    /** Called by Spark's service loader. */
    public CoxDataSource() {
    }

    /** @return {@value #SHORT_NAME} */
    @Override
    public String shortName() {
        return SHORT_NAME;
    }

    /**
     * Infers the schema of the table across the runs, opening each run's store once (schemas only).
     *
     * @param options the reader's options and path
     * @return table columns, {@code exp_id}, parameters
     * @throws IllegalArgumentException for a missing or bad option, or a table no run has
     * @throws cox.exceptions.CoxException naming a run that cannot be read (unless skipErrors)
     */
    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return SchemaInference.infer(ReadOptions.of(options.asCaseSensitiveMap()));
    }

    /** @return true: {@code spark.read().schema(...)} skips the inference */
    @Override
    public boolean supportsExternalMetadata() {
        return true;
    }

    /**
     * @param schema the inferred or user's schema
     * @param partitioning ignored (cox folders are not partitioned by value)
     * @param properties the reader's options and path
     * @return the table to scan
     */
    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new RunTable(schema, ReadOptions.of(properties));
    }
}
