package cox.bench;

import cox.hadoop.HadoopPaths;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's {@code format("cox")} over the same sweep kept three ways: a local folder, an in-process
 * HDFS ({@code MiniDFSCluster}, one data node) and an in-process S3 server (S3Proxy, file-system
 * back end, in a child JVM) read through S3A. For each it reads every row of {@code results} to
 * Spark's {@code noop} sink, with the schema inferred and with it given, and prints the best and
 * median of {@code repeats} reads (after one untimed read that checks the row count), the range requests per store that cox4j made
 * ({@link PositionalInputs#rangeRequests()}) and the requests Hadoop counted (S3A's GET, HEAD and
 * LIST; HDFS's opens, file-status and listing calls) per store. Not JMH: one JVM, one session, the
 * data set made once ({@link SweepCollection}), so the first read of each is also printed.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package -pl bench -am
 * java -Xmx6g --add-opens=... -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     -Dcox.s3proxy.jar=bench/target/s3proxy.jar cox.bench.RemoteSparkRead [RUNS [ROWS [REPEATS]]]
 * }</pre>
 * ({@code bench/remote} does exactly that.)
 */
public final class RemoteSparkRead {
    private static final String KEY = "cox-bench-identity";
    private static final String SECRET = "cox-bench-credential";

    private RemoteSparkRead() {
    }

    /**
     * Runs the comparison.
     *
     * @param args RUNS (1000), ROWS (1000), REPEATS (3)
     * @throws Exception if a server cannot start or a read fails
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path local = SweepCollection.get(runs, rows);
        Path work = Files.createTempDirectory("cox4j-remote-bench");
        Process s3proxy = null;
        MiniDFSCluster hdfs = null;
        SparkSession spark = null;
        try {
            Configuration hconf = new Configuration();
            hconf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
            // a file's close waits for the name node to see its last block: poll at 10 ms, not 400
            hconf.set("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", "10");
            hdfs = new MiniDFSCluster.Builder(hconf).numDataNodes(1).build();
            hdfs.waitActive();
            String hdfsRuns = "hdfs://localhost:" + hdfs.getNameNodePort() + "/bench/runs";
            int port = freePort();
            s3proxy = startS3Proxy(work, port);
            String s3Runs = "s3a://cox-bench/runs";
            spark = SparkSession.builder().master("local[2]").appName("cox4j-remote-bench")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:" + port)
                    .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                    .config("spark.hadoop.fs.s3a.path.style.access", "true")
                    .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                    .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                    .config("spark.hadoop.fs.s3a.access.key", KEY)
                    .config("spark.hadoop.fs.s3a.secret.key", SECRET)
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Configuration sparkConf = spark.sparkContext().hadoopConfiguration();
            long t0 = System.nanoTime();
            FileSystem hdfsFs = FileSystem.get(URI.create(hdfsRuns), sparkConf);
            copy(local, hdfsFs, hdfsRuns);
            System.err.printf(Locale.ROOT, "copied %d runs to HDFS in %.1f s%n", runs, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            FileSystem s3Fs = FileSystem.get(URI.create(s3Runs), sparkConf);
            s3Fs.mkdirs(new org.apache.hadoop.fs.Path("s3a://cox-bench/"));
            copy(local, s3Fs, s3Runs);
            System.err.printf(Locale.ROOT, "copied %d runs to S3 in %.1f s%n", runs, (System.nanoTime() - t0) / 1e9);
            // the files' times must be older than ReusedInput's settling time for the reads to reuse them
            Thread.sleep(3000);
            StructType schema = spark.read().format("cox").option("table", "results").load(local.toString()).schema();
            System.out.printf(Locale.ROOT, "%d runs x %d rows, local[2], %d reads each%n", runs, rows, repeats);
            System.out.printf(Locale.ROOT, "%-6s %-9s %9s %9s %9s %12s  %s%n", "where", "schema", "first s", "best s",
                    "median s", "ranges/run", "Hadoop's requests per run");
            for (String[] where : List.of(new String[] {"local", local.toString()}, new String[] {"hdfs", hdfsRuns},
                    new String[] {"s3a", s3Runs})) {
                FileSystem fs = where[0].equals("local") ? null : where[0].equals("hdfs") ? hdfsFs : s3Fs;
                for (boolean given : new boolean[] {false, true}) {
                    measure(spark, where[0], where[1], given ? schema : null, runs, rows, repeats, fs);
                }
            }
        } finally {
            if (spark != null) {
                spark.stop();
            }
            if (hdfs != null) {
                hdfs.shutdown();
            }
            if (s3proxy != null) {
                s3proxy.destroy();
                s3proxy.waitFor(20, TimeUnit.SECONDS);
            }
            BenchStores.delete(work);
        }
    }

    private static void measure(SparkSession spark, String where, String path, StructType schema, int runs, int rows,
            int repeats, FileSystem fs) {
        long n = spark.read().format("cox").option("table", "results").load(path).count();
        if (n != (long) runs * rows) {
            throw new IllegalStateException(where + ": read " + n + " rows, not " + runs * rows);
        }
        List<Double> seconds = new ArrayList<>();
        long ranges = 0;
        Map<String, Long> hadoop = new LinkedHashMap<>();
        for (int i = 0; i < repeats; i++) {
            long r0 = PositionalInputs.rangeRequests();
            Map<String, Long> before = statistics(fs);
            long t0 = System.nanoTime();
            var reader = spark.read().format("cox").option("table", "results");
            if (schema != null) {
                reader = reader.schema(schema);
            }
            reader.load(path).write().format("noop").mode("overwrite").save();
            seconds.add((System.nanoTime() - t0) / 1e9);
            ranges = PositionalInputs.rangeRequests() - r0;
            hadoop = delta(before, statistics(fs));
        }
        List<Double> sorted = new ArrayList<>(seconds);
        sorted.sort(null);
        StringBuilder perRun = new StringBuilder();
        hadoop.forEach((k, v) -> perRun.append(k).append('=').append(String.format(Locale.ROOT, "%.1f", v / (double) runs))
                .append(' '));
        System.out.printf(Locale.ROOT, "%-6s %-9s %9.2f %9.2f %9.2f %12.1f  %s%n", where,
                schema == null ? "inferred" : "given", seconds.get(0), sorted.get(0), sorted.get(sorted.size() / 2),
                ranges / (double) runs, perRun.toString().strip());
    }

    /** Copies every run folder of {@code local} to {@code target} on {@code fs}, 16 runs at a time. */
    private static void copy(Path local, FileSystem fs, String target) throws Exception {
        fs.mkdirs(new org.apache.hadoop.fs.Path(target));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try (java.util.stream.Stream<Path> list = Files.list(local)) {
            List<java.util.concurrent.Future<?>> copies = new ArrayList<>();
            for (Path run : list.filter(Files::isDirectory).toList()) {
                copies.add(pool.submit(() -> {
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(run.toUri()),
                            new org.apache.hadoop.fs.Path(target + "/" + run.getFileName()));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : copies) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The request counters of a Hadoop file system (HDFS's and S3A's names), or none for a local folder. */
    private static Map<String, Long> statistics(FileSystem fs) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (fs == null) {
            return out;
        }
        StorageStatistics s = fs.getStorageStatistics();
        for (Iterator<StorageStatistics.LongStatistic> it = s.getLongStatistics(); it.hasNext(); ) {
            StorageStatistics.LongStatistic l = it.next();
            String k = l.getName();
            if (k.equals("op_open") || k.equals("op_get_file_status") || k.equals("op_list_status")
                    || k.equals("action_http_get_request") || k.equals("action_http_head_request")
                    || k.equals("object_list_request") || k.equals("stream_read_opened")) {
                out.put(k, l.getValue());
            }
        }
        return out;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** S3Proxy with its file-system back end in a child JVM (its bundled libraries would clash with Spark's). */
    private static Process startS3Proxy(Path work, int port) throws IOException, InterruptedException {
        String jar = System.getProperty("cox.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("-Dcox.s3proxy.jar must name S3Proxy's jar-with-dependencies (bench/target/"
                    + "s3proxy.jar after mvn package), not " + jar);
        }
        Path blobs = Files.createDirectories(work.resolve("s3"));
        Files.createDirectories(blobs.resolve("cox-bench"));
        Path props = work.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + KEY, "s3proxy.credential=" + SECRET,
                "s3proxy.ignore-unknown-headers=true", "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + blobs, ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", jar, "--properties", props.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return p;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("S3Proxy did not start: " + Files.readString(work.resolve("s3proxy.log")), e);
                }
                Thread.sleep(200);
            }
        }
    }

    static {
        // keep HadoopPaths linked in: the cox source resolves remote paths through it
        HadoopPaths.class.getName();
    }
}
