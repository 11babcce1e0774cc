package cox.spark;

import static cox.spark.CoxDataSourceTest.OBJECT_COLUMNS;
import static cox.spark.CoxDataSourceTest.assertSameCells;
import static cox.spark.CoxDataSourceTest.assertSameCellsOfSomeRuns;
import static cox.spark.CoxDataSourceTest.metric;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code format("cox")} promises on any remote file system, checked against the local
 * {@link CollectionReader#df} of the same runs cell for cell: a subclass starts one server (an
 * in-process HDFS, an S3 server), gives the root URI its runs are put under, and the class shares
 * one {@code local[2]} Spark session. Two folders are put there: {@code runs} (runs written by the
 * real Python cox and by cox4j) and {@code broken} (runs {@code a} and {@code c}, and {@code b}
 * whose {@code store.h5} is not an HDF5 file).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemoteReadContract {
    @TempDir
    static Path tmp;
    /** The runs on this machine, as put on the server. */
    Path local;
    Path localBroken;
    /** The remote URIs of the two folders. */
    String remoteRuns;
    String remoteBroken;
    SparkSession spark;

    /**
     * Starts the server.
     *
     * @param work a folder of the test's own
     * @return the root URI the folders are put under, without a trailing slash
     */
    abstract String startServer(Path work) throws Exception;

    /** Adds the session settings the server needs (endpoint, credentials). */
    abstract SparkSession.Builder configure(SparkSession.Builder builder);

    /** Puts the files below local {@code folder} under remote {@code uri}. */
    abstract void upload(Path folder, String uri) throws Exception;

    /** Stops the server. */
    abstract void stopServer() throws Exception;

    @BeforeAll
    void start() throws Exception {
        local = Files.createDirectories(tmp.resolve("runs"));
        PythonCoxRuns.copyAll(local);
        SweepRuns.SPARK.write(local, "java-%02d", 4);
        localBroken = Files.createDirectories(tmp.resolve("broken"));
        SweepRuns.SPARK.writeRun(localBroken, "a", 0);
        Files.writeString(Files.createDirectories(localBroken.resolve("b")).resolve("store.h5"), "this is not an HDF5 file");
        SweepRuns.SPARK.writeRun(localBroken, "c", 1);
        String root = startServer(tmp);
        spark = configure(SparkSession.builder()
                .master("local[2]")
                .appName("cox4j-" + getClass().getSimpleName())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2"))
                .getOrCreate();
        remoteRuns = root + "/runs";
        remoteBroken = root + "/broken";
        upload(local, remoteRuns);
        upload(localBroken, remoteBroken);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (spark != null) {
                spark.stop();
            }
        } finally {
            stopServer();
        }
    }

    Dataset<Row> read(String path, String table, String... options) {
        var reader = spark.read().format("cox").option("table", table);
        for (int i = 0; i < options.length; i += 2) {
            reader = reader.option(options[i], options[i + 1]);
        }
        return reader.load(path);
    }

    DataFrame expected(String table, String metadata, Predicate<String> expFilter) {
        return expected(local, table, metadata, expFilter);
    }

    static DataFrame expected(Path folder, String table, String metadata, Predicate<String> expFilter) {
        try (CollectionReader reader = CollectionReader.open(folder)) {
            DfOptions o = DfOptions.defaults().keepSerialized(OBJECT_COLUMNS).metadataTable(metadata);
            return reader.df(table, expFilter == null ? o : o.expFilter(expFilter));
        }
    }

    static List<String> expIds(Dataset<Row> df) {
        return df.select("exp_id").distinct().orderBy("exp_id").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    @Test
    void everyTable_equalsTheLocalRead_cellForCell() {
        for (String table : List.of("results", "metadata", "objects", "special")) {
            assertSameCells(read(remoteRuns, table).orderBy("exp_id"), expected(table, null, null));
        }
    }

    @Test
    void options_metadataExpFilterWhereAndPushdown_asOnLocalPaths() {
        assertSameCells(read(remoteRuns, "results", "metadata", "metadata").orderBy("exp_id"),
                expected("results", "metadata", null));
        assertSameCellsOfSomeRuns(read(remoteRuns, "results", "expFilter", "^java-0[12]").orderBy("exp_id"),
                expected("results", null, id -> id.matches("java-0[12]")));
        assertSameCellsOfSomeRuns(read(remoteRuns, "results", "expFilter", "^exp-").orderBy("exp_id"),
                expected("results", null, id -> id.startsWith("exp-")));
        assertSameCellsOfSomeRuns(read(remoteRuns, "results").filter(col("exp_id").equalTo("exp-1")),
                expected("results", null, "exp-1"::equals));
        Dataset<Row> onDisk = read(local.toString(), "results", "metadata", "metadata", "where", "optimizer == adam");
        Dataset<Row> remote = read(remoteRuns, "results", "metadata", "metadata", "where", "optimizer == adam");
        assertThat(remote.count()).isPositive();
        assertThat(remote.orderBy("exp_id").collectAsList()).isEqualTo(onDisk.orderBy("exp_id").collectAsList());
    }

    @Test
    void unionSchemasFalse_readsTheSameRunsAsLocally() {
        Dataset<Row> remote = read(remoteRuns, "results", "unionSchemas", "false", "skipErrors", "true");
        Dataset<Row> onDisk = read(local.toString(), "results", "unionSchemas", "false", "skipErrors", "true");
        assertThat(expIds(remote)).isNotEmpty().isEqualTo(expIds(onDisk));
        assertThat(remote.orderBy("exp_id").collectAsList()).isEqualTo(onDisk.orderBy("exp_id").collectAsList());
        assertThatThrownBy(() -> read(remoteRuns, "results", "unionSchemas", "false").collectAsList())
                .hasStackTraceContaining("use option unionSchemas=true");
    }

    @Test
    void aDamagedRun_failsNamingIt_orIsTheOneSkippedWithSkipErrors() {
        assertThatThrownBy(() -> read(remoteBroken, "results").collectAsList())
                .hasStackTraceContaining("experiment b")
                .hasStackTraceContaining("store.h5");
        Dataset<Row> skipping = read(remoteBroken, "results", "skipErrors", "true", "metadata", "metadata");
        assertThat(expIds(skipping)).containsExactly("a", "c");
        assertSameCells(skipping, expected(localBroken, "results", "metadata", id -> !id.equals("b"))); // runs it
        assertThat(metric(skipping, ReadMetrics.STORES_SKIPPED)).isEqualTo(1);
    }

    @Test
    void aMissingFolder_isAClearError() {
        assertThatThrownBy(() -> read(remoteRuns + "-nope", "results").count())
                .hasMessageContaining("not a folder: " + remoteRuns + "-nope");
    }

    @Test
    void oneRunsFolder_readsThatRun() {
        assertSameCells(read(remoteRuns + "/java-01", "results"), expected("results", null, "java-01"::equals));
        assertSameCells(read(remoteRuns + "/exp-2", "special"), expected("special", null, "exp-2"::equals));
    }
}
