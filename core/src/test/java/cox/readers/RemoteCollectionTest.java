package cox.readers;

import static cox.testing.SameCells.assertSameFrame;
import static cox.testing.SameCells.same;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import cox.io.PositionalInputs;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.testing.LiveRun;
import cox.testing.PythonCoxRuns;
import cox.torch.StateDict;
import cox.torch.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: a collection on a file system that is not the default one (Jimfs, in memory, standing
 * in for S3 and HDFS) is read through {@link cox.io.PositionalInput}s exactly as the same files are
 * read locally, cell for cell; a closed small store.h5 costs one range request, a large one few;
 * and remote stores are read-only.
 */
class RemoteCollectionTest {
    @TempDir
    Path dir;

    private FileSystem jimfs;

    @BeforeEach
    void memoryFileSystem() {
        jimfs = Jimfs.newFileSystem(Configuration.unix());
    }

    @AfterEach
    void close() throws IOException {
        jimfs.close();
    }

    // ------------------------------------------------------------------ helpers

    /** Copies {@code from} and all below it to {@code to} (any file system), keeping modification times. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setLastModifiedTime(target, Files.getLastModifiedTime(p));
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            List<String> out = new ArrayList<>();
            for (Path p : files.sorted().toList()) {
                out.add(p + " " + Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
            return out;
        }
    }

    /**
     * Sets every file's modification time an hour back, as a run closed long ago has them: only
     * a file that has settled is kept open between looks ({@link cox.io.internal.ReusedInput}).
     */
    private static Path settled(Path folder) throws IOException {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600));
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
        return folder;
    }

    private Path toJimfs(Path local) throws IOException {
        Path remote = jimfs.getPath("/data/runs");
        copyTree(local, remote);
        return remote;
    }



    /** Every answer of the two readers, compared. */
    private static void assertSameAnswers(CollectionReader remote, CollectionReader local) {
        assertThat(remote.expIds()).isEqualTo(local.expIds());
        assertThat(remote.tables()).isEqualTo(local.tables());
        assertThat(remote.schemas()).isEqualTo(local.schemas());
        for (String table : local.tables()) {
            assertSameFrame(remote.df(table), local.df(table), table);
            assertSameFrame(remote.df(table, DfOptions.defaults().unionSchemas(true).keepSerialized("o", "p")),
                    local.df(table, DfOptions.defaults().unionSchemas(true).keepSerialized("o", "p")), table + " (union)");
        }
        for (String id : local.expIds()) {
            assertThat(remote.summary(id)).as("summary of %s", id).isEqualTo(local.summary(id));
        }
        assertThat(remote.runs()).isEqualTo(local.runs());
        assertThat(remote.errors()).isEmpty();
        assertThat(local.errors()).isEmpty();
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static CollectionReader reader(Path folder) {
        return CollectionReader.builder(folder).clock(CLOCK).build();
    }

    /** A cox4j run with the cells that are easy to get wrong: NaN, -0.0, infinities, unicode, objects. */
    private static void writeRun(Path storage, String id, int rows) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("layers", List.of(64L, 128L));
        obj.put("name", "réseau ✓");
        try (Store s = Store.open(storage, id)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", 0.1);
            meta.put("optimizer", "adam ✓");
            meta.put("seed", 7L);
            s.addTableLikeExample("metadata", meta).appendRow(meta);
            Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR, "best", ColumnType.BOOL));
            double[] special = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
            for (int i = 0; i < rows; i++) {
                results.appendRow(Map.of("epoch", i, "loss", i < special.length ? special[i] : 1.0 / (i + 1),
                        "note", "épreuve " + i + " 🚀 日本", "best", i % 3 == 0));
            }
            Table objects = s.addTable("objects", Schema.of("o", ColumnType.OBJECT, "p", ColumnType.PICKLE,
                    "w", ColumnType.PYTORCH_STATE));
            objects.appendRow(Map.of("o", obj, "p", List.of("x", 1L, Double.NaN), "w",
                    Map.of("weight", Tensor.ofFloats(new float[] {1f, -0f, Float.NaN}, 3))));
        }
    }

    /**
     * A run a writer was killed on, as far as the files tell: store.h5 and the checkpoint as they
     * were after its first {@code first} rows, the journal with all {@code first + more}.
     */
    private static void writeRunBehind(Path storage, String id, int first, int more) throws IOException {
        try (Store s = Store.open(storage, id)) {
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR, "best", ColumnType.BOOL));
            for (int i = 0; i < first; i++) {
                t.appendRow(Map.of("epoch", i, "loss", -0.0, "note", "avant ✓", "best", true));
            }
        }
        Path run = storage.resolve(id);
        byte[] h5 = Files.readAllBytes(run.resolve("store.h5"));
        byte[] checkpoint = Files.readAllBytes(run.resolve(".cox.checkpoint"));
        try (Store s = Store.open(storage, id)) {
            for (int i = first; i < first + more; i++) {
                s.table("results").appendRow(Map.of("epoch", i, "loss", Double.NaN, "note", "après ✗", "best", false));
            }
        }
        Files.write(run.resolve("store.h5"), h5);
        Files.write(run.resolve(".cox.checkpoint"), checkpoint);
        Files.deleteIfExists(run.resolve(".cox.summary"));
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void cox4jCollection_onJimfs_readsAsLocally() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        writeRun(local, "a", 20);
        writeRun(local, "b", 3);
        writeRunBehind(local, "c", 5, 7);
        Path remote = toJimfs(local);
        try (CollectionReader r = reader(remote); CollectionReader l = reader(local)) {
            assertThat(r.directory().getFileSystem()).isSameAs(jimfs);
            assertSameAnswers(r, l);
            DataFrame c = r.df("results", DfOptions.defaults().expFilter("c"::equals));
            assertThat(c.height()).as("rows of the run whose store.h5 is behind its journal").isEqualTo(12);
            assertThat(c.getColumn("note").get(11)).isEqualTo("après ✗");
            DataFrame joined = r.df("results", DfOptions.defaults().metadataTable("metadata").expFilter(id -> !id.equals("c")));
            assertSameFrame(joined, l.df("results", DfOptions.defaults().metadataTable("metadata")
                    .expFilter(id -> !id.equals("c"))), "results joined with metadata");
            DataFrame objects = r.df("objects");
            assertThat(objects.getColumn("o").get(0)).isEqualTo(Map.of("layers", List.of(64L, 128L), "name", "réseau ✓"));
            try (Store s = r.store("a"); Store ls = l.store("a")) {
                String uid = (String) objects.getColumn("w").get(0);
                StateDict remoteState = s.table("objects").getStateDict(uid);
                assertThat(remoteState.get("weight")).isEqualTo(ls.table("objects").getStateDict(uid).get("weight"));
                String pickle = (String) r.df("objects", DfOptions.defaults().keepSerialized("p")).getColumn("p").get(0);
                assertThat(same(s.table("objects").getPickle(pickle), ls.table("objects").getPickle(pickle))).isTrue();
            }
        }
        // errors name the remote folder by its URI
        try (CollectionReader r = reader(remote)) {
            assertThatThrownBy(() -> r.resolveExpId("zz")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in " + cox.io.Locations.text(remote) + " ");
            assertThat(r.toString()).contains(cox.io.Locations.text(remote));
        }
        // the same through the file system's URI
        try (CollectionReader r = CollectionReader.builder(remote.toUri()).clock(CLOCK).build();
                CollectionReader l = reader(local)) {
            assertThat(r.directory()).isEqualTo(remote);
            assertSameFrame(r.df("results"), l.df("results"), "results by URI");
        }
    }

    @Test
    void pythonCoxCollection_onJimfs_readsAsLocally() throws Exception {
        Path local = PythonCoxRuns.copyAll(dir.resolve("runs"));
        Path remote = toJimfs(local);
        try (CollectionReader r = reader(remote); CollectionReader l = reader(local)) {
            assertThat(r.tables()).contains("metadata", "results", "special", "objects");
            assertSameAnswers(r, l);
            assertSameFrame(r.df("results", DfOptions.defaults().metadataTable("metadata")),
                    l.df("results", DfOptions.defaults().metadataTable("metadata")), "results joined with metadata");
        }
    }

    @Test
    void killedWriter_journalAheadOfStoreH5_onJimfs_readsAsLocally() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        Process p = LiveRun.start(local, "killed", Duration.ofMillis(2), Map.of("lr", 0.1, "name", "tué ✓"));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            for (int i = 0; i < 30; i++) {
                assertThat(out.readLine()).isNotNull();
            }
        } finally {
            p.destroyForcibly(); // no close: the journal may be ahead of store.h5
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        Path remote = toJimfs(local);
        try (CollectionReader r = reader(remote); CollectionReader l = reader(local)) {
            assertSameAnswers(r, l);
            assertThat(r.df("results").height()).isGreaterThanOrEqualTo(30);
            assertThat(r.runs().get(0).status()).isEqualTo(RunStatus.INTERRUPTED);
        }
    }

    @Test
    void storeOpenForWritingHere_isReadOnJimfsAsItsCopyIsLocally() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        try (Store s = Store.open(local, "live")) {
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
            for (int i = 0; i < 50; i++) {
                t.appendRow(Map.of("epoch", i, "loss", i == 7 ? Double.NaN : 1.0 / (i + 1)));
            }
            // the journal has every row; store.h5 may not yet: copy what the files hold now, with no lock
            Path copy = dir.resolve("copy");
            Files.createDirectories(copy.resolve("live"));
            for (String f : new String[] {".cox.journal", ".cox.checkpoint", "store.h5"}) {
                if (Files.exists(local.resolve("live").resolve(f))) {
                    Files.copy(local.resolve("live").resolve(f), copy.resolve("live").resolve(f));
                }
            }
            Path remote = toJimfs(copy);
            try (CollectionReader r = reader(remote); CollectionReader l = reader(copy)) {
                assertSameFrame(r.df("results"), l.df("results"), "live results");
                assertThat(r.df("results").height()).isEqualTo(50);
            }
        }
    }

    @Test
    void closedSmallStoreH5_isFetchedInOneRangeRequest() throws Exception {
        Path local = PythonCoxRuns.copyAll(dir.resolve("runs"));
        Path remote = settled(toJimfs(local));
        assertThat(Files.size(remote.resolve("exp-0/store.h5"))).isLessThan(PositionalInputs.RANGE);
        long before = PositionalInputs.rangeRequests();
        try (Store s = Store.open(remote, "exp-0", Mode.READ)) {
            for (String t : List.of("metadata", "results", "special")) {
                assertThat(s.table(t).df().height()).isPositive();
            }
        }
        assertThat(PositionalInputs.rangeRequests() - before).as("range requests to read exp-0's store.h5").isEqualTo(1);
        // reading the local copy makes none
        before = PositionalInputs.rangeRequests();
        try (Store s = Store.open(local, "exp-0", Mode.READ)) {
            assertThat(s.table("results").df().height()).isPositive();
        }
        assertThat(PositionalInputs.rangeRequests()).isEqualTo(before);
    }

    @Test
    void largeStoreH5_isFetchedInFewRangeRequests() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        String wide = "ü".repeat(40);
        int rows = 120_000;
        try (Store s = Store.open(local, "big")) {
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR));
            for (int i = 0; i < rows; i++) {
                t.appendRow(Map.of("epoch", i, "loss", i % 1000 == 0 ? Double.NaN : i * 0.5, "note", wide + i));
            }
        }
        Path remote = settled(toJimfs(local));
        long h5 = Files.size(remote.resolve("big/store.h5"));
        assertThat(h5).as("store.h5's size").isGreaterThan(2L * PositionalInputs.RANGE);
        long before = PositionalInputs.rangeRequests();
        DataFrame remoteRows;
        try (Store s = Store.open(remote, "big", Mode.READ)) {
            remoteRows = s.table("results").df();
        }
        long requests = PositionalInputs.rangeRequests() - before;
        // store.h5 in whole ranges (10 measured: 6 of store.h5, its head again, the journal's head, the
        // checkpoint once for each of the two looks), with a little slack
        long bound = h5 / PositionalInputs.RANGE + 1 + 6;
        assertThat(requests).as("range requests to read a store.h5 of %d bytes", h5).isBetween(2L, bound);
        try (Store s = Store.open(local, "big", Mode.READ)) {
            assertSameFrame(remoteRows, s.table("results").df(), "big results");
        }
        assertThat(remoteRows.height()).isEqualTo(rows);
    }

    @Test
    void writingModes_onJimfs_areRefused_namingTheStore() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        writeRun(local, "a", 2);
        Path remote = toJimfs(local);
        List<String> before = listing(remote);
        for (Mode mode : List.of(Mode.APPEND, Mode.WRITE)) {
            assertThatThrownBy(() -> Store.open(remote, "a", mode))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("remote runs are read-only")
                    .hasMessageContaining("cox push")
                    .hasMessageContaining(cox.io.Locations.text(remote.resolve("a")));
        }
        assertThatThrownBy(() -> Store.open(remote, "new-run", Mode.APPEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        assertThat(Files.exists(remote.resolve("new-run"))).as("nothing was made").isFalse();
        try (Store s = Store.open(remote, "a", Mode.READ)) {
            assertThat(s.table("results").nrows()).isEqualTo(2);
            assertThatThrownBy(() -> s.addTable("x", Schema.of("i", ColumnType.INT))).isInstanceOf(IllegalStateException.class);
        }
        assertThat(listing(remote)).as("files, sizes and times after the refused opens").isEqualTo(before);
        assertThat(Store.isOpenForWriting(remote.resolve("a"))).isFalse();
        assertThat(Store.openForWritingProbe().test(remote.resolve("a"))).isFalse();
    }

    @Test
    void uris_fileIsLocal_unknownSchemeNamesTheJarsThatProvideIt() throws Exception {
        Path local = Files.createDirectories(dir.resolve("runs"));
        writeRun(local, "a", 2);
        try (CollectionReader r = CollectionReader.open(local.toUri())) {
            assertThat(r.directory()).isEqualTo(local);
            assertThat(r.expIds()).containsExactly("a");
        }
        try (CollectionReader r = new CollectionReader(local.toUri()); CollectionReader p = new CollectionReader(local)) {
            assertThat(r.df("results").height()).isEqualTo(p.df("results").height());
        }
        URI unknown = URI.create("nosuchfs://bucket/runs");
        assertThatThrownBy(() -> CollectionReader.builder(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuchfs://bucket/runs")
                .hasMessageContaining("cox4j-hadoop")
                .hasMessageContaining("aws-java-nio-spi-for-s3");
        assertThatThrownBy(() -> CollectionReader.builder(jimfs.getPath("/no/such/folder").toUri()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a folder of experiments: jimfs://");
    }

    @Test
    void runIndex_keysARemoteCollectionByItsUri_andChecksItsStamps() throws Exception {
        Path local = Files.createDirectories(dir.resolve("data/runs"));
        writeRun(local, "a", 4);
        writeRun(local, "b", 2);
        Path remote = toJimfs(local);
        Path cache = dir.resolve("cache");
        RunIndex remoteIndex = RunIndex.load(cache, remote);
        RunIndex sameNameLocal = RunIndex.load(cache, Path.of("/data/runs"));
        assertThat(remoteIndex.file()).isNotEqualTo(sameNameLocal.file());
        List<RunInfo> first;
        try (CollectionReader r = CollectionReader.builder(remote).clock(CLOCK).runIndex(remoteIndex).build()) {
            first = r.runs();
        }
        assertThat(Files.readString(remoteIndex.file(), StandardCharsets.ISO_8859_1)).contains(cox.io.Locations.text(remote));
        RunIndex again = RunIndex.load(cache, remote);
        assertThat(again.size()).isEqualTo(2);
        try (CollectionReader r = CollectionReader.builder(remote).clock(CLOCK).runIndex(again).build()) {
            assertThat(r.runs()).isEqualTo(first);
        }
        // a run that changed is read again: its stamp (sizes and times) differs
        writeRun(local, "b2", 9);
        copyTree(local.resolve("b2"), remote.resolve("b"));
        try (CollectionReader r = CollectionReader.builder(remote).clock(CLOCK).runIndex(RunIndex.load(cache, remote))
                .build()) {
            List<RunInfo> runs = new ArrayList<>(r.runs());
            assertThat(runs.get(1).rows().get("results")).isEqualTo(9 + 0L);
        }
        assertThat(first.get(1).rows().get("results")).isEqualTo(2L);
        assertThat(sameNameLocal.size()).isZero();
    }
}
