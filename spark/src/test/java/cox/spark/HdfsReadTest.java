package cox.spark;

import static cox.spark.CoxDataSourceTest.OBJECT_COLUMNS;
import static cox.spark.CoxDataSourceTest.assertSameCells;
import static cox.spark.CoxDataSourceTest.assertSameCellsOfSomeRuns;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.hadoop.HadoopPaths;
import cox.io.PositionalInputs;
import cox.io.internal.Settling;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.Mode;
import cox.store.Store;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format("cox")} over {@code hdfs://}: an in-process HDFS (MiniDFSCluster) holding runs
 * written by cox4j and by the real Python cox, read by a {@code local[2]} Spark session; every
 * answer equals the local {@link CollectionReader#df} of the same runs, cell for cell.
 */
class HdfsReadTest {
    @TempDir
    static Path tmp;
    static Path local;
    static MiniDFSCluster cluster;
    static String hdfsRuns;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        local = Files.createDirectories(tmp.resolve("runs"));
        PythonCoxRuns.copyAll(local);
        SweepRuns.SPARK.write(local, "java-%02d", 4);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        org.apache.hadoop.fs.FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path("/data/runs"));
        hdfsRuns = "hdfs://localhost:" + cluster.getNameNodePort() + "/data/runs";
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cox4j-hdfs-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    static Dataset<Row> read(String path, String table, String... options) {
        var reader = spark.read().format("cox").option("table", table);
        for (int i = 0; i < options.length; i += 2) {
            reader = reader.option(options[i], options[i + 1]);
        }
        return reader.load(path);
    }

    static DataFrame expected(String table, String metadata, Predicate<String> expFilter) {
        try (CollectionReader reader = CollectionReader.open(local)) {
            DfOptions o = DfOptions.defaults().keepSerialized(OBJECT_COLUMNS).metadataTable(metadata);
            return reader.df(table, expFilter == null ? o : o.expFilter(expFilter));
        }
    }

    @Test
    void everyTable_equalsTheLocalRead_cellForCell() {
        for (String table : List.of("results", "metadata", "objects", "special")) {
            assertSameCells(read(hdfsRuns, table).orderBy("exp_id"), expected(table, null, null));
        }
    }

    @Test
    void options_metadataExpFilterWhereAndPushdown_asOnLocalPaths() {
        assertSameCells(read(hdfsRuns, "results", "metadata", "metadata").orderBy("exp_id"),
                expected("results", "metadata", null));
        assertSameCellsOfSomeRuns(read(hdfsRuns, "results", "expFilter", "^java-0[12]").orderBy("exp_id"),
                expected("results", null, id -> id.matches("java-0[12]")));
        assertSameCellsOfSomeRuns(read(hdfsRuns, "results").filter(col("exp_id").equalTo("exp-1")),
                expected("results", null, "exp-1"::equals));
        Dataset<Row> local = spark.read().format("cox").option("table", "results").option("metadata", "metadata")
                .option("where", "optimizer == adam").load(localPath());
        Dataset<Row> remote = read(hdfsRuns, "results", "metadata", "metadata", "where", "optimizer == adam");
        assertThat(remote.orderBy("exp_id").collectAsList()).isEqualTo(local.orderBy("exp_id").collectAsList());
        assertThat(remote.count()).isPositive();
        assertThat(read(hdfsRuns, "results", "unionSchemas", "false", "skipErrors", "true").count())
                .isEqualTo(read(localPath(), "results", "unionSchemas", "false", "skipErrors", "true").count());
    }

    private static String localPath() {
        return local.toString();
    }

    @Test
    void oneExperimentFolder_andAFileUri() {
        assertSameCells(read(hdfsRuns + "/java-01", "results"), expected("results", null, "java-01"::equals));
        assertSameCells(read(local.toUri().toString(), "results").orderBy("exp_id"), expected("results", null, null));
    }

    @Test
    void aMissingFolder_isAClearError() {
        assertThatThrownBy(() -> read(hdfsRuns + "-nope", "results").count())
                .hasMessageContaining("not a folder: " + hdfsRuns + "-nope");
    }

    @Test
    void aClosedStoreUnder4MiB_isFetchedInOneRequest() throws IOException, InterruptedException {
        Path remote = HadoopPaths.of(URI.create(hdfsRuns), spark.sparkContext().hadoopConfiguration());
        for (String id : List.of("exp-0", "java-00")) {
            Path h5 = remote.resolve(id).resolve("store.h5");
            assertThat(Files.size(h5)).isLessThan(PositionalInputs.RANGE);
            long files = 0;
            try (var walk = Files.walk(remote.resolve(id))) {
                files = walk.filter(Files::isRegularFile).count();
            }
            long before;
            try (Store s = Store.open(remote, id, Mode.READ)) {
                for (String t : s.keys()) {
                    s.table(t).df(); // the reader first sees each file's size and time
                }
                // it keeps a remote file open between looks once opened a clock tick after that
                Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(Settling.TICK_NANOS) + 100);
                before = PositionalInputs.rangeRequests();
                for (String t : s.keys()) {
                    s.table(t).df();
                }
            }
            long requests = PositionalInputs.rangeRequests() - before;
            if (id.equals("exp-0")) {
                assertThat(requests).as("a Python cox store: its store.h5 alone, table after table").isEqualTo(1);
            } else {
                // store.h5, journal, checkpoint and object files: each under 4 MiB, each fetched once at most
                assertThat(requests).as(id).isPositive().isLessThanOrEqualTo(files);
            }
        }
    }

    @Test
    void planning_listsButOpensNoStore_andSplitsAsLocally() {
        org.apache.spark.sql.types.StructType schema = read(hdfsRuns, "results").schema();
        long before = PositionalInputs.rangeRequests();
        int remote = spark.read().format("cox").schema(schema).option("table", "results").load(hdfsRuns)
                .rdd().getNumPartitions();
        assertThat(PositionalInputs.rangeRequests() - before).as("range requests while planning").isZero();
        int local = spark.read().format("cox").schema(schema).option("table", "results").load(localPath())
                .rdd().getNumPartitions();
        assertThat(remote).isEqualTo(local).isGreaterThan(1);
    }
}
