package cox.spark;

import static cox.spark.CoxDataSourceTest.assertSameCells;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.hadoop.HadoopPaths;
import cox.io.PositionalInputs;
import cox.io.internal.Settling;
import cox.store.Mode;
import cox.store.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * {@code format("cox")} over {@code hdfs://}: an in-process HDFS (MiniDFSCluster) holding runs
 * written by cox4j and by the real Python cox; the shared checks are {@link RemoteReadContract}'s,
 * these are HDFS's own (range requests, planning, a plain path on {@code fs.defaultFS}).
 */
class HdfsReadTest extends RemoteReadContract {
    MiniDFSCluster cluster;

    @Override
    String startServer(Path work) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return "hdfs://localhost:" + cluster.getNameNodePort() + "/data";
    }

    @Override
    SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder;
    }

    @Override
    void upload(Path folder, String uri) throws IOException {
        cluster.getFileSystem().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(folder.toUri()),
                new org.apache.hadoop.fs.Path(URI.create(uri).getPath()));
    }

    @Override
    void stopServer() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private String localPath() {
        return local.toString();
    }

    @Test
    void aPlainPath_isOnFsDefaultFs_whenThatIsNotLocal() {
        spark.conf().set("fs.defaultFS", "hdfs://localhost:" + cluster.getNameNodePort());
        try {
            assertSameCells(read("/data/runs", "results").orderBy("exp_id"), expected("results", null, null));
        } finally {
            spark.conf().unset("fs.defaultFS");
        }
    }

    /** An HDFS user who may not list one run's folder: with skipErrors the run is left to the executors to skip. */
    @Test
    void aRunFolderThatMayNotBeListed_failsTheListing_orIsKeptForTheExecutorsToSkip() throws Exception {
        org.apache.hadoop.fs.FileSystem fs = cluster.getFileSystem();
        org.apache.hadoop.fs.Path locked = new org.apache.hadoop.fs.Path("/data/locked/x");
        fs.mkdirs(locked);
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data/locked/y"));
        fs.setPermission(locked, new org.apache.hadoop.fs.permission.FsPermission((short) 0700));
        String folder = "hdfs://localhost:" + cluster.getNameNodePort() + "/data/locked";
        org.apache.hadoop.security.UserGroupInformation.createRemoteUser("someone-else")
                .doAs((java.security.PrivilegedExceptionAction<Void>) () -> {
                    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
                    Path dir = HadoopPaths.of(URI.create(folder), conf);
                    assertThatThrownBy(() -> RunListing.runs(dir, id -> true, null, false))
                            .isInstanceOf(cox.exceptions.CoxIOException.class)
                            .hasMessageContaining("cannot list experiment folder " + folder + "/x");
                    assertThat(RunListing.runs(dir, id -> true, null, true)).isEqualTo(java.util.Map.of("x", 0L));
                    return null;
                });
    }

    @Test
    void aFileUri_isALocalFolder() {
        assertSameCells(read(local.toUri().toString(), "results").orderBy("exp_id"), expected("results", null, null));
    }

    @Test
    void aClosedStoreUnder4MiB_isFetchedInOneRequest() throws IOException, InterruptedException {
        Path remote = HadoopPaths.of(URI.create(remoteRuns), spark.sparkContext().hadoopConfiguration());
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
        org.apache.spark.sql.types.StructType schema = read(remoteRuns, "results").schema();
        long before = PositionalInputs.rangeRequests();
        int remote = spark.read().format("cox").schema(schema).option("table", "results").load(remoteRuns)
                .rdd().getNumPartitions();
        assertThat(PositionalInputs.rangeRequests() - before).as("range requests while planning").isZero();
        int local = spark.read().format("cox").schema(schema).option("table", "results").load(localPath())
                .rdd().getNumPartitions();
        assertThat(remote).isEqualTo(local).isGreaterThan(1);
    }
}
