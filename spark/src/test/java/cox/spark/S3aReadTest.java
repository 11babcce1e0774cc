package cox.spark;

import static cox.spark.CoxDataSourceTest.OBJECT_COLUMNS;
import static cox.spark.CoxDataSourceTest.assertSameCells;
import static cox.spark.CoxDataSourceTest.assertSameCellsOfSomeRuns;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import cox.hadoop.HadoopPaths;
import cox.io.PositionalInputs;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.Mode;
import cox.store.Store;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format("cox")} over {@code s3a://}: an S3 server on this machine (S3Proxy with its
 * file-system back end, run as a child JVM so that its bundled libraries stay off Spark's class
 * path) holding runs written by cox4j and by the real Python cox, read by a {@code local[2]}
 * Spark session through Hadoop's S3A with path-style requests; every answer equals the local
 * {@link CollectionReader#df} of the same runs, cell for cell.
 */
class S3aReadTest {
    private static final String BUCKET = "cox-runs";
    private static final String KEY = "cox-test-identity";
    private static final String SECRET = "cox-test-credential";

    @TempDir
    static Path tmp;
    static Path local;
    static Process s3proxy;
    static String s3Runs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        local = Files.createDirectories(tmp.resolve("runs"));
        PythonCoxRuns.copyAll(local);
        SweepRuns.SPARK.write(local, "java-%02d", 4);
        // S3Proxy's file-system back end: a bucket is a folder, a key a file below it
        Path blobs = Files.createDirectories(tmp.resolve("blobs"));
        Files.createDirectories(blobs.resolve(BUCKET));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path props = tmp.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + KEY,
                "s3proxy.credential=" + SECRET,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs,
                ""));
        String jar = System.getProperty("cox.s3proxyJar", "spark/target/s3proxy.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        s3proxy = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("s3proxy.log").toFile()).start();
        awaitPort(port);
        s3Runs = "s3a://" + BUCKET + "/runs";
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cox4j-s3a-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + port)
                .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                .config("spark.hadoop.fs.s3a.path.style.access", "true")
                .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                .config("spark.hadoop.fs.s3a.access.key", KEY)
                .config("spark.hadoop.fs.s3a.secret.key", SECRET)
                .getOrCreate();
        // the runs are put there through S3 itself (S3A), so each object has its ETag as on any S3
        org.apache.hadoop.fs.FileSystem s3a = org.apache.hadoop.fs.FileSystem.get(URI.create(s3Runs),
                spark.sparkContext().hadoopConfiguration());
        s3a.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()),
                new org.apache.hadoop.fs.Path(s3Runs));
    }

    /** Waits (at most a minute, whatever the machine's load) until the server accepts connections. */
    private static void awaitPort(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (!s3proxy.isAlive()) {
                    throw new IOException("S3Proxy exited with " + s3proxy.exitValue() + ": "
                            + Files.readString(tmp.resolve("s3proxy.log")), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not listen on port " + port + " within a minute: "
                            + Files.readString(tmp.resolve("s3proxy.log")), e);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (spark != null) {
            spark.stop();
        }
        if (s3proxy != null) {
            s3proxy.destroy();
            if (!s3proxy.waitFor(20, TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
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
            assertSameCells(read(s3Runs, table).orderBy("exp_id"), expected(table, null, null));
        }
    }

    @Test
    void options_asOnLocalPaths() {
        assertSameCells(read(s3Runs, "results", "metadata", "metadata").orderBy("exp_id"),
                expected("results", "metadata", null));
        assertSameCellsOfSomeRuns(read(s3Runs, "results", "expFilter", "^exp-").orderBy("exp_id"),
                expected("results", null, id -> id.startsWith("exp-")));
        assertSameCellsOfSomeRuns(read(s3Runs, "results").filter(col("exp_id").equalTo("java-02")),
                expected("results", null, "java-02"::equals));
        Dataset<Row> remote = read(s3Runs, "results", "metadata", "metadata", "where", "optimizer == adam");
        Dataset<Row> onDisk = read(local.toString(), "results", "metadata", "metadata", "where", "optimizer == adam");
        assertThat(remote.count()).isPositive();
        assertThat(remote.orderBy("exp_id").collectAsList()).isEqualTo(onDisk.orderBy("exp_id").collectAsList());
        assertSameCells(read(s3Runs + "/exp-2", "special"), expected("special", null, "exp-2"::equals));
    }

    /**
     * Counted twice: cox's range requests, and the GET requests S3A itself counts. The counting
     * reads through S3A's classic input stream on a file system of its own: Hadoop 3.5's default,
     * the analytics stream, keeps blocks across streams (what an earlier test fetched costs no GET
     * here) and counts its GETs elsewhere. (The metadata requests, HEAD, are not counted here: the
     * engine looks at a file's size and time before each use.) The files were just written: the
     * engine reuses an open file only once it has settled, so they are read once first.
     */
    @Test
    void aClosedStoreUnder4MiB_isFetchedInOneGet() throws IOException, InterruptedException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration(
                spark.sparkContext().hadoopConfiguration());
        conf.set("fs.s3a.input.stream.type", "classic");
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        Path remote = HadoopPaths.of(URI.create(s3Runs), conf);
        org.apache.hadoop.fs.FileSystem s3a = HadoopPaths.hadoopFileSystem(remote);
        for (String id : List.of("exp-0", "exp-1")) {
            Path h5 = remote.resolve(id).resolve("store.h5");
            assertThat(Files.size(h5)).isLessThan(PositionalInputs.RANGE);
            long requests;
            long gets;
            try (Store s = Store.open(remote, id, Mode.READ)) {
                for (String t : s.keys()) {
                    s.table(t).df(); // the reader first sees each file's size and time
                }
                // it keeps a remote file open between looks once opened a clock tick after that
                Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(cox.io.internal.Settling.TICK_NANOS) + 100);
                requests = PositionalInputs.rangeRequests();
                gets = gets(s3a);
                for (String t : s.keys()) {
                    s.table(t).df();
                }
            }
            assertThat(PositionalInputs.rangeRequests() - requests).as(id + ": range requests").isEqualTo(1);
            assertThat(gets(s3a) - gets).as(id + ": S3 GET requests").isEqualTo(1);
        }
    }

    /** The GET requests S3A's input streams opened (each reads one range of an object). */
    private static long gets(org.apache.hadoop.fs.FileSystem s3a) {
        Long n = ((org.apache.hadoop.fs.statistics.IOStatisticsSource) s3a).getIOStatistics().counters()
                .get("stream_read_opened");
        return n == null ? 0 : n;
    }
}
