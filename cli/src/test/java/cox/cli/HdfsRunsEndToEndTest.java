package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.testing.SweepRuns;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cox} commands on {@code hdfs://}: an in-process HDFS (MiniDFSCluster, one for the
 * class) holds a copy of a sweep cox4j wrote, with the local files' times; {@code cox ls} and
 * {@code cox df} over {@code hdfs://localhost:PORT/...} print what they print over the local folder,
 * byte for byte, with the folder's name written as {@code DIR}; {@code cox push} writes a run there.
 * The commands run in this JVM, through cox4j-hadoop's installed providers with Hadoop's default
 * configuration, as {@code COX_CLASSPATH="$(hadoop classpath)" cox ...} runs them.
 */
class HdfsRunsEndToEndTest {
    @TempDir
    static Path dir;

    static MiniDFSCluster cluster;
    static DistributedFileSystem hdfs;
    static String root;
    static Path sweep;

    @BeforeAll
    static void upload() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = "hdfs://localhost:" + cluster.getNameNodePort();
        sweep = SweepRuns.SPARK.write(dir.resolve("local/sweep"), "run-%02d", 4);
        // a day ago, to the second: every run idle, and the same time in both places
        FileTime then = FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
        List<Path> all;
        try (Stream<Path> files = Files.walk(sweep)) {
            all = files.toList();
        }
        for (Path f : all) {
            Files.setLastModifiedTime(f, then);
        }
        for (Path f : all) {
            org.apache.hadoop.fs.Path there = new org.apache.hadoop.fs.Path("/team/sweep/" + sweep.relativize(f));
            if (Files.isDirectory(f)) {
                hdfs.mkdirs(there);
            } else {
                try (InputStream in = Files.newInputStream(f); OutputStream out = hdfs.create(there)) {
                    in.transferTo(out);
                }
            }
        }
        // folders last: writing a child changes a folder's time
        for (int i = all.size() - 1; i >= 0; i--) {
            hdfs.setTimes(new org.apache.hadoop.fs.Path("/team/sweep/" + sweep.relativize(all.get(i))), then.toMillis(), -1);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    /** The command with {@code @} in its arguments replaced by {@code where}, its output with {@code where} by DIR. */
    private static CoxRun cox(String where, String... args) {
        List<String> command = new ArrayList<>();
        for (String a : args) {
            command.add(a.replace("@", where));
        }
        CoxRun r = CoxRun.cox(command);
        return new CoxRun(r.exit(), r.out().replace(where, "DIR"), r.err().replace(where, "DIR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls @", "ls @ --json", "df @ results", "df @ results --last", "df @ metadata",
        "show @/run-02", "diff @ run-01 run-02"})
    void command_overHdfs_printsWhatItPrintsLocally(String command) {
        String[] args = command.split(" ");
        CoxRun here = cox(sweep.toAbsolutePath().toString(), args);
        CoxRun there = cox(root + "/team/sweep", args);
        assertThat(here.exit()).as("local: %s", here).isZero();
        assertThat(there.err()).as("over HDFS: cox %s", command).isEqualTo(here.err());
        assertThat(there.exit()).isZero();
        assertThat(there.out()).as("over HDFS: cox %s", command).isEqualTo(here.out());
    }

    @Test
    void push_toHdfs_writesTheRun_andAgainCopiesNothing() {
        Path run = sweep.resolve("run-03");
        String target = root + "/pushed";

        CoxRun pushed = CoxRun.cox("push", run.toString(), target);

        assertThat(pushed.exit()).as("%s", pushed).isZero();
        assertThat(pushed.err()).isEmpty();
        assertThat(pushed.out()).contains("copied  store.h5", "copied  .cox.journal", "copied  .cox.summary")
                .contains("pushed run run-03 to " + target + "/run-03: ");
        try (CollectionReader remote = CollectionReader.open(URI.create(target));
                CollectionReader here = CollectionReader.builder(sweep).expFilter("run-03"::equals).build()) {
            assertThat(remote.expIds()).containsExactly("run-03");
            for (String table : List.of("results", "metadata")) {
                DataFrame a = remote.df(table);
                DataFrame b = here.df(table);
                assertThat(a.getColumnsIndex().toArray()).containsExactly(b.getColumnsIndex().toArray());
                assertThat(a.height()).isEqualTo(b.height()).isPositive();
                for (String c : b.getColumnsIndex().toArray()) {
                    assertThat(a.getColumn(c).toList()).as("%s.%s", table, c).isEqualTo(b.getColumn(c).toList());
                }
            }
        }
        CoxRun again = CoxRun.cox("push", run.toString(), target + "/");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).isEqualTo("run run-03 is at " + target + "/run-03 already, unchanged: nothing copied\n");
        CoxRun ls = CoxRun.cox("ls", target);
        assertThat(ls.exit()).as("%s", ls).isZero();
        assertThat(ls.out()).contains("run-03");
    }

    /**
     * As a user without Hadoop's jars runs it: cox4j-hadoop's providers are installed all the same
     * (listing the installed providers works), and an {@code hdfs://} URI says what is missing.
     */
    @Test
    void withoutHadoopsJars_hdfsSaysWhatIsMissing_andTheRestWorks() {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains(File.separator + "hadoop-client-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("hadoop-client-api");

        CliProcess.Result r = CliProcess.run(dir, Map.of(), List.of(CliProcess.java(), "-cp", classPath,
                CoxCommand.class.getName(), "ls", root + "/team/sweep"));

        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains(root + "/team/sweep", "Hadoop", "hadoop-client-api", "COX_CLASSPATH")
                .doesNotContain("ServiceConfigurationError", "NoClassDefFoundError", "internal error");
        CliProcess.Result local = CliProcess.run(dir, Map.of(), List.of(CliProcess.java(), "-cp", classPath,
                CoxCommand.class.getName(), "ls", sweep.toString()));
        assertThat(local.exit()).as("%s", local).isZero();
        assertThat(local.out()).contains("run-00", "run-03");
    }
}
