package cox.spark;

import static org.assertj.core.api.Assertions.assertThat;

import cox.hadoop.HadoopPaths;
import cox.io.PositionalInputs;
import cox.store.Mode;
import cox.store.Store;
import cox.testing.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code format("cox")} over {@code s3a://}: an S3 server on this machine ({@link S3ProxyServer},
 * S3Proxy with its file-system back end as a child JVM, so that its bundled libraries stay off
 * Spark's class path) holding runs written by cox4j and by the real Python cox, read through
 * Hadoop's S3A with path-style requests; the shared checks are {@link RemoteReadContract}'s.
 */
class S3aReadTest extends RemoteReadContract {
    private static final String BUCKET = "cox-runs";

    S3ProxyServer s3;

    @Override
    String startServer(Path work) {
        s3 = S3ProxyServer.start(work.resolve("s3"));
        return "s3a://" + BUCKET;
    }

    @Override
    SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder
                .config("spark.hadoop.fs.s3a.endpoint", s3.endpoint().toString())
                .config("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
                .config("spark.hadoop.fs.s3a.path.style.access", "true")
                .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .config("spark.hadoop.fs.s3a.aws.credentials.provider",
                        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
                .config("spark.hadoop.fs.s3a.access.key", S3ProxyServer.ACCESS_KEY)
                .config("spark.hadoop.fs.s3a.secret.key", S3ProxyServer.SECRET_KEY);
    }

    /** Puts the runs through S3 itself (one signed PUT per file), so each object has its ETag as on any S3. */
    @Override
    void upload(Path folder, String uri) {
        s3.put(folder, BUCKET, URI.create(uri).getPath().substring(1));
    }

    @Override
    void stopServer() {
        if (s3 != null) {
            s3.close();
        }
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
        Path remote = HadoopPaths.of(URI.create(remoteRuns), conf);
        // a file system of its own (the cache is off for it): closed here
        try (org.apache.hadoop.fs.FileSystem s3a = HadoopPaths.hadoopFileSystem(remote)) {
            assertOneGetEach(remote, s3a);
        }
    }

    private static void assertOneGetEach(Path remote, org.apache.hadoop.fs.FileSystem s3a)
            throws IOException, InterruptedException {
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
