package cox.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.CoxIOException;
import cox.io.Locations;
import cox.readers.CollectionReader;
import cox.store.Publication;
import cox.store.Store;
import cox.testing.PythonCoxRuns;
import cox.testing.SameCells;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Store.publish} (what {@code cox push} runs) onto a real HDFS, in process (MiniDFSCluster),
 * through the installed {@code hdfs://} provider: runs pushed there read back cell for cell as the
 * local runs; a second push copies nothing; a push that HDFS stops part-way (a namespace quota
 * reached, a real write failure) leaves no readable run, and the next push completes it.
 */
class HdfsPushTest {
    @TempDir
    static Path base;

    private static MiniDFSCluster cluster;
    private static DistributedFileSystem hdfs;
    private static String root;
    private static Path sweep;
    private static Path python;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = "hdfs://localhost:" + cluster.getNameNodePort();
        sweep = SweepRuns.SPARK.write(base.resolve("local/sweep"), "run-%02d", 3);
        python = PythonCoxRuns.copyAll(base.resolve("local/python"));
        // Python cox's runs have no journal: a push takes them once idle for a while
        FileTime then = FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS));
        try (Stream<Path> files = Files.walk(python)) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, then);
            }
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private static List<Path> runsOf(Path collection) throws IOException {
        try (Stream<Path> s = Files.list(collection)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void push_toHdfs_readsBackCellForCell_andAgainIsUnchanged() throws IOException {
        Path target = Locations.of(root + "/team/runs");
        assertThat(target.getFileSystem().provider()).isInstanceOf(HadoopFileSystemProvider.Hdfs.class);
        for (Path run : runsOf(sweep)) {
            Publication p = Store.publish(run, target);
            assertThat(p.outcome()).as("%s", run).isEqualTo(Publication.Outcome.PUBLISHED);
            assertThat(p.copied()).contains("store.h5", ".cox.journal", ".cox.checkpoint", ".cox.summary");
        }
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/team/runs/run-00/store.h5"))).isTrue();
        assertReadsAs(sweep, root + "/team/runs", List.of("results", "metadata"));
        // a collection of the Python runs alone, through a path of HadoopPaths (as Spark makes them)
        Path pythonThere = HadoopPaths.of(URI.create(root + "/python"), hdfs.getConf());
        for (Path run : runsOf(python)) {
            assertThat(Store.publish(run, pythonThere).outcome()).isEqualTo(Publication.Outcome.PUBLISHED);
        }
        assertReadsAs(python, root + "/python", List.of("results", "objects", "special"));
        for (Path run : runsOf(sweep)) {
            Publication again = Store.publish(run, target);
            assertThat(again.outcome()).isEqualTo(Publication.Outcome.UNCHANGED);
            assertThat(again.copied()).isEmpty();
        }
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.map(Path::toString)).noneMatch(s -> s.endsWith(".cox-push-tmp"));
        }
    }

    @Test
    void pushStoppedByHdfs_leavesNoRun_andThePushAgainCompletesIt() throws IOException {
        Path run = sweep.resolve("run-01");
        org.apache.hadoop.fs.Path stopped = new org.apache.hadoop.fs.Path("/stopped");
        hdfs.mkdirs(stopped);
        // room for the run's folder and a few of its files, not for all: HDFS refuses the next file
        hdfs.setQuota(stopped, 8, Long.MAX_VALUE);
        Path target = Locations.of(root + "/stopped");

        assertThatThrownBy(() -> Store.publish(run, target)).isInstanceOf(CoxIOException.class)
                .hasMessageContaining("run-01").hasMessageContaining(root + "/stopped/run-01")
                .hasMessageContaining("quota");
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/stopped/run-01/.cox.push"))).isTrue();
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/stopped/run-01/store.h5"))).isFalse();
        assertThat(Store.isExperiment(target.resolve("run-01"))).isFalse();
        try (CollectionReader reader = CollectionReader.open(target)) {
            assertThat(reader.expIds()).as("a partly pushed folder is no run").isEmpty();
        }

        hdfs.setQuota(stopped, -1, Long.MAX_VALUE); // -1: no namespace quota; MAX_VALUE: the space quota as it is
        Publication resumed = Store.publish(run, target);

        assertThat(resumed.outcome()).isEqualTo(Publication.Outcome.RESUMED);
        assertThat(resumed.skipped()).isNotEmpty();
        assertReadsAs(run.getParent(), root + "/stopped", List.of("results", "metadata"), "run-01");
        assertThat(Store.publish(run, target).outcome()).isEqualTo(Publication.Outcome.UNCHANGED);
    }

    @Test
    void pushCutBeforeStoreH5WasPlaced_isNoRun_andThePushAgainCompletesIt() throws IOException {
        Path run = sweep.resolve("run-02");
        Path target = Locations.of(root + "/cut");
        Store.publish(run, target);
        // what a push killed while it copied store.h5 leaves: the other files, part of store.h5 under its temporary name
        for (String f : List.of("store.h5", ".cox.journal", ".cox.checkpoint", ".cox.summary")) {
            hdfs.delete(new org.apache.hadoop.fs.Path("/cut/run-02/" + f), false);
        }
        try (FSDataOutputStream out = hdfs.create(new org.apache.hadoop.fs.Path("/cut/run-02/.store.h5.cox-push-tmp"))) {
            out.write(Files.readAllBytes(run.resolve("store.h5")), 0, 1000);
        }
        try (CollectionReader reader = CollectionReader.open(target)) {
            assertThat(reader.expIds()).isEmpty();
        }

        Publication resumed = Store.publish(run, target);

        assertThat(resumed.outcome()).isEqualTo(Publication.Outcome.RESUMED);
        assertThat(resumed.deleted()).contains(".store.h5.cox-push-tmp");
        assertThat(resumed.copied()).contains("store.h5", ".cox.journal");
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/cut/run-02/.store.h5.cox-push-tmp"))).isFalse();
        assertReadsAs(run.getParent(), root + "/cut", List.of("results", "metadata"), "run-02");
    }

    /** The collection at {@code uri} reads as the local one (its runs {@code only}, if given), cell for cell. */
    private static void assertReadsAs(Path local, String uri, List<String> tables, String... only) {
        try (CollectionReader remote = CollectionReader.open(URI.create(uri));
                CollectionReader here = only.length == 0 ? CollectionReader.open(local)
                        : CollectionReader.builder(local).expFilter(List.of(only)::contains).build()) {
            assertThat(remote.expIds()).isEqualTo(here.expIds());
            for (String t : tables) {
                assertSameFrame(remote.df(t), here.df(t), uri + " " + t);
            }
        }
    }



    private static void assertSameFrame(DataFrame remote, DataFrame local, String what) {
        assertThat(local.height()).as("%s: rows", what).isPositive();
        SameCells.assertSameFrame(remote, local, what + " (HDFS against local)");
    }
}
