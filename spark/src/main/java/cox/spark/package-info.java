/**
 * Spark's {@code format("cox")}: the runs of a cox storage folder (or one experiment folder) read
 * as one Spark {@code DataFrame} through the DataSource V2 API, store by store on the executors.
 *
 * <pre>{@code
 * Dataset<Row> results = spark.read().format("cox")
 *         .option("table", "results")          // required: the cox table to read
 *         .option("metadata", "metadata")      // optional: each run's parameters as columns
 *         .load("/shared/runs");
 * }</pre>
 *
 * <p>Spark is a {@code provided} dependency of this module only; cox4j's core never needs it.
 * The entry point is {@link cox.spark.CoxDataSource}; everything else is internal.
 */
package cox.spark;
