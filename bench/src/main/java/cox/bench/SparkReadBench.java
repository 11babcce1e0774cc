package cox.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.dflib.DataFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spark's {@code format("cox")} in local mode against {@link CollectionReader} on the same sweep
 * ({@link SweepCollection}: {@code runs} experiments of {@code rows} rows of {@code results} and a
 * one-row {@code metadata}; made once outside the repository and reused). Every operation reads
 * every row of every run:
 * <ul>
 *   <li>{@code sparkReadAll}: load (the schema inferred: each store opened once on the driver)
 *       and write every row and column to Spark's {@code noop} sink, the usual way to time a read;</li>
 *   <li>{@code sparkReadAllGivenSchema}: the same with {@code .schema(...)} given, so only the
 *       executors open the stores;</li>
 *   <li>{@code sparkGroupByParameter}: each optimizer's mean and least loss, parameters joined
 *       by the {@code metadata} option;</li>
 *   <li>{@code readerDf}, {@code readerDfWithMetadata}: {@code CollectionReader.df} of the same,
 *       one JVM, parallel reads.</li>
 * </ul>
 *
 * <pre>{@code
 * bench/run SparkReadBench                              # 1,000 runs x 1,000 rows, local[2]
 * bench/run SparkReadBench -p master='local[1]' -p runs=100 -p rows=200
 * }</pre>
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g", "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-modules=jdk.incubator.vector",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true"})
@State(Scope.Benchmark)
public class SparkReadBench {
    @Param("1000")
    int runs;

    @Param("1000")
    int rows;

    @Param("local[2]")
    String master;

    Path dir;
    SparkSession spark;
    StructType schema;
    CollectionReader reader;

    @Setup(Level.Trial)
    public void setUp() {
        dir = SweepCollection.get(runs, rows);
        spark = SparkSession.builder().master(master).appName("cox4j-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        schema = results().schema();
        reader = CollectionReader.builder(dir).build();
        long n = results().count();
        if (n != (long) runs * rows) {
            throw new IllegalStateException("Spark read " + n + " rows, not " + runs + " x " + rows);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
        spark.stop();
    }

    private Dataset<Row> results() {
        return spark.read().format("cox").option("table", "results").load(dir.toString());
    }

    @Benchmark
    public void sparkReadAll() {
        results().write().format("noop").mode("overwrite").save();
    }

    @Benchmark
    public void sparkReadAllGivenSchema() {
        spark.read().format("cox").schema(schema).option("table", "results").load(dir.toString())
                .write().format("noop").mode("overwrite").save();
    }

    @Benchmark
    public List<Row> sparkGroupByParameter() {
        return spark.read().format("cox").option("table", "results").option("metadata", "metadata").load(dir.toString())
                .groupBy("optimizer").agg(avg(col("loss")), min(col("loss"))).collectAsList();
    }

    @Benchmark
    public DataFrame readerDf() {
        return reader.df("results");
    }

    @Benchmark
    public DataFrame readerDfWithMetadata() {
        return reader.df("results", DfOptions.defaults().metadataTable("metadata"));
    }
}
