package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.exceptions.CoxException;
import cox.readers.filter.RunFilter;
import cox.readers.summary.RunMetadata;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dflib.BooleanSeries;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CollectionReaderTest {
    @TempDir
    Path dir;

    private static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT);

    private void run(String id, double lr, String optimizer, int epochs) {
        try (Store s = Store.open(dir, id)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("optimizer", optimizer);
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR)).appendRow(meta);
            Table t = s.addTable("results", RESULTS);
            for (int e = 0; e < epochs; e++) {
                t.appendRow(Map.of("epoch", e, "loss", lr * 10 / (e + 1)));
            }
        }
    }

    @Test
    void df_concatenatesEveryExperiment_withExpId() throws Exception {
        for (String id : new String[] {"b", "a"}) {
            try (Store s = Store.open(dir, id)) {
                s.addTable("results", RESULTS);
                for (int e = 0; e < 2; e++) {
                    s.table("results").appendRow(Map.of("epoch", e, "loss", id.equals("a") ? 1.0 : 2.0));
                }
            }
        }
        try (Store s = Store.open(dir, "c")) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1));
        }
        Files.createDirectories(dir.resolve("not-an-experiment"));
        try (CollectionReader r = CollectionReader.open(dir)) {
            assertThat(r.expIds()).containsExactly("a", "b", "c");
            DataFrame df = r.df("results");
            assertThat(df.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "exp_id");
            assertThat(df.getColumn("exp_id").toList()).containsExactly("a", "a", "b", "b");
            assertThat(df.getColumn("loss").toList()).containsExactly(1.0, 1.0, 2.0, 2.0);
            assertThat(df.getColumn("epoch")).isInstanceOf(LongSeries.class);
            assertThat(df.getColumn("loss")).isInstanceOf(DoubleSeries.class);
            assertThat(r.df("metadata").getColumn("exp_id").toList()).containsExactly("c");
            assertThat(r.df("nothing").getColumnsIndex().toArray()).containsExactly("exp_id");
            assertThat(r.df("nothing").height()).isZero();
            assertThat(r.df("results", DfOptions.defaults().appendExpId(false)).getColumnsIndex().toArray())
                    .containsExactly("epoch", "loss");
            assertThat(r.tables()).containsExactly("results", "metadata");
        }
    }

    @Test
    void df_differingSchemas_intWithFloatIsFloat_missingCellsNull_orErrorWithoutUnion() {
        try (Store s = Store.open(dir, "a")) {
            s.addTable("t", Schema.of("x", ColumnType.INT, "y", ColumnType.BOOL, "s", ColumnType.STR))
                    .appendRow(Map.of("x", 1, "y", true, "s", "one"));
        }
        try (Store s = Store.open(dir, "b")) {
            s.addTable("t", Schema.of("x", ColumnType.FLOAT, "y", ColumnType.BOOL, "z", ColumnType.INT))
                    .appendRow(Map.of("x", 2.5, "y", false, "z", 7));
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            DataFrame df = r.df("t");
            assertThat(df.getColumnsIndex().toArray()).containsExactly("x", "y", "s", "z", "exp_id");
            assertThat(df.getColumn("x")).isInstanceOf(DoubleSeries.class);
            assertThat(df.getColumn("x").toList()).containsExactly(1.0, 2.5);
            assertThat(df.getColumn("y")).isInstanceOf(BooleanSeries.class);
            assertThat(df.getColumn("s").toList()).containsExactly("one", null);
            assertThat(df.getColumn("z").toList()).containsExactly(null, 7L);

            TableSchema ts = r.schemas().get("t");
            assertThat(ts.schema()).isEqualTo(Schema.of("x", ColumnType.FLOAT, "y", ColumnType.BOOL, "s", ColumnType.STR,
                    "z", ColumnType.INT));
            assertThat(ts.experiments()).isEqualTo(2);
            assertThat(ts.differing()).containsOnlyKeys("b");
            assertThat(ts.describeDifferences()).containsExactly("b: x is float, not int; extra column z (int); no column s");

            assertThatThrownBy(() -> r.df("t", DfOptions.defaults().unionSchemas(false)))
                    .isInstanceOf(CoxException.class)
                    .hasMessage("experiment b of " + dir.toAbsolutePath() + ": table 't' has other columns than in experiment a"
                            + " (missing [s], extra [z]); use unionSchemas(true) to join them on column names");
            DataFrame strict = r.df("t", DfOptions.defaults().unionSchemas(false).skipErrors(true));
            assertThat(strict.getColumn("exp_id").toList()).containsExactly("a");
            assertThat(r.errors()).extracting(ReadError::expId, ReadError::table).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("b", "t"));
        }
    }

    @Test
    void df_objectAndPickleCellsDecoded_unlessKeptSerialized_stateDictsNever() {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("layers", List.of(64L, 128L));
        String uid;
        try (Store s = Store.open(dir, "a")) {
            Table t = s.addTable("t", Schema.of("o", ColumnType.OBJECT, "p", ColumnType.PICKLE, "w", ColumnType.PYTORCH_STATE));
            t.appendRow(Map.of("o", obj, "p", List.of("x", 1L), "w",
                    Map.of("weight", cox.torch.Tensor.ofFloats(new float[] {1f, 2f}, 2))));
            uid = (String) t.df().getColumn("w").get(0);
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            DataFrame df = r.df("t");
            assertThat(df.getColumn("o").get(0)).isEqualTo(obj);
            assertThat(df.getColumn("p").get(0)).isEqualTo(List.of("x", 1L));
            assertThat(df.getColumn("w").get(0)).isEqualTo(uid);
            DataFrame kept = r.df("t", DfOptions.defaults().keepSerialized("o", "p"));
            assertThat(kept.getColumn("o").get(0)).isInstanceOf(String.class);
            try (Store s = r.store("a")) {
                assertThat(s.table("t").getObject((String) kept.getColumn("o").get(0))).isEqualTo(obj);
                assertThat(s.table("t").getPickle((String) kept.getColumn("p").get(0))).isEqualTo(List.of("x", 1L));
                assertThat(s.mode()).isEqualTo(Mode.READ);
            }
        }
    }

    @Test
    void df_metadataTable_joinsEachRowWithItsRunsLastMetadataRow() {
        run("a", 0.1, "sgd", 2);
        run("b", 0.01, "adam", 1);
        try (Store s = Store.open(dir, "c")) { // no metadata
            s.addTable("results", RESULTS).appendRow(Map.of("epoch", 0, "loss", 5.0));
        }
        try (Store s = Store.open(dir, "b")) { // a second metadata row: the last counts
            s.table("metadata").appendRow(Map.of("lr", 0.02, "optimizer", "adamw"));
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            DataFrame df = r.df("results", DfOptions.defaults().metadataTable("metadata"));
            assertThat(df.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "exp_id", "lr", "optimizer");
            assertThat(df.getColumn("exp_id").toList()).containsExactly("a", "a", "b", "c");
            assertThat(df.getColumn("lr").toList()).containsExactly(0.1, 0.1, 0.02, null);
            assertThat(df.getColumn("optimizer").toList()).containsExactly("sgd", "sgd", "adamw", null);
            // the same as joining by hand with RunMetadata
            DataFrame byHand = RunMetadata.of("metadata", r.df("metadata")).join(r.df("results"));
            assertThat(byHand.getColumn("lr").toList()).isEqualTo(df.getColumn("lr").toList());
            // all runs have it: primitive columns
            DataFrame ab = r.df("results", DfOptions.defaults().metadataTable("metadata").expFilter(id -> !id.equals("c")));
            assertThat(ab.getColumn("lr")).isInstanceOf(DoubleSeries.class);
        }
    }

    @Test
    void df_metadataColumnNamedLikeATableColumn_isPrefixed() {
        try (Store s = Store.open(dir, "a")) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1));
            s.addTable("results", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.05));
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            DataFrame df = r.df("results", DfOptions.defaults().metadataTable("metadata"));
            assertThat(df.getColumnsIndex().toArray()).containsExactly("lr", "exp_id", "metadata.lr");
            assertThat(df.getColumn("metadata.lr").toList()).containsExactly(0.1);
        }
    }

    @Test
    void df_where_filtersRowsOnCellsParametersAndExpId() {
        run("a", 0.1, "sgd", 3);
        run("b", 0.01, "adam", 3);
        run("c", 0.001, "adam", 3);
        try (CollectionReader r = CollectionReader.open(dir)) {
            DfOptions o = DfOptions.defaults().metadataTable("metadata");
            DataFrame adam = r.df("results", o.where(RunFilter.parse("optimizer == adam and epoch >= 1")));
            assertThat(adam.getColumn("exp_id").toList()).containsExactly("b", "b", "c", "c");
            assertThat(adam.getColumn("epoch").toList()).containsExactly(1L, 2L, 1L, 2L);
            DataFrame byId = r.df("results", DfOptions.defaults().where(RunFilter.parse("exp_id ~ ^[ac]$ and loss < 0.5")));
            assertThat(byId.getColumn("exp_id").toList()).containsExactly("a", "c", "c", "c");
            DataFrame none = r.df("results", o.where(RunFilter.parse("lr > 1")));
            assertThat(none.height()).isZero();
            assertThat(none.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "exp_id", "lr", "optimizer");
            // bound as cox df binds: a bare word naming a column is that column; a number column against text is refused
            DataFrame belowLoss = r.df("results", o.where(RunFilter.parse("epoch > loss and exp_id == a")));
            assertThat(belowLoss.getColumn("epoch").toList()).containsExactly(1L, 2L);
            assertThatThrownBy(() -> r.df("results", o.where(RunFilter.parse("lr == adam"))))
                    .isInstanceOf(cox.readers.filter.FilterTypeException.class)
                    .hasMessageStartingWith("'lr == adam' compares the number column 'lr' with the text 'adam'");
        }
    }

    @Test
    void expFilter_onTheReaderAndPerCall() {
        run("a1", 0.1, "sgd", 1);
        run("a2", 0.1, "sgd", 1);
        run("b1", 0.1, "sgd", 1);
        try (CollectionReader r = CollectionReader.builder(dir).expFilter(id -> id.startsWith("a")).build()) {
            assertThat(r.expIds()).containsExactly("a1", "a2");
            assertThat(r.df("results", DfOptions.defaults().expFilter(id -> id.endsWith("2"))).getColumn("exp_id").toList())
                    .containsExactly("a2");
        }
    }

    @Test
    void unreadableExperiment_failsNamingIt_orIsSkippedAndReported() throws Exception {
        run("a", 0.1, "sgd", 2);
        run("c", 0.2, "sgd", 2);
        Path bad = Files.createDirectories(dir.resolve("b"));
        Files.writeString(bad.resolve("store.h5"), "this is not an HDF5 file");
        try (CollectionReader r = CollectionReader.open(dir)) {
            assertThatThrownBy(() -> r.df("results"))
                    .isInstanceOf(CoxException.class)
                    .hasMessageStartingWith("cannot read table 'results' of experiment b in " + dir.toAbsolutePath() + ": ")
                    .hasMessageContaining(bad.resolve("store.h5").toString());
            assertThat(r.errors()).isEmpty();
            DataFrame df = r.df("results", DfOptions.defaults().skipErrors(true));
            assertThat(df.getColumn("exp_id").toList()).containsExactly("a", "a", "c", "c");
            assertThat(r.errors()).hasSize(1);
            assertThat(r.errors().get(0).expId()).isEqualTo("b");
            assertThat(r.errors().get(0).toString()).startsWith("b: cannot read table 'results' of experiment b");
        }
        try (CollectionReader r = CollectionReader.builder(dir).skipErrors(true).build()) {
            assertThat(r.df("results").height()).isEqualTo(4);
            assertThat(r.tables()).containsExactly("metadata", "results");
            assertThat(r.schemas()).containsOnlyKeys("metadata", "results");
            assertThat(r.errors()).extracting(ReadError::expId).containsExactly("b", "b");
            List<RunInfo> runs = r.runs();
            assertThat(runs).extracting(RunInfo::expId).containsExactly("a", "b", "c");
            assertThat(runs.get(1).error()).contains(bad.resolve("store.h5").toString());
            assertThat(runs.get(0).rows()).containsExactly(Map.entry("metadata", 1L), Map.entry("results", 2L));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    void df_sameResultWhateverTheParallelism_andProgressReported(int threads) {
        for (int i = 0; i < 12; i++) {
            run(String.format("r%02d", i), 0.01 * (i + 1), i % 2 == 0 ? "sgd" : "adam", i % 4);
        }
        List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        try (CollectionReader r = CollectionReader.builder(dir).parallelism(threads)
                .progress((step, done, total) -> calls.add(new int[] {done, total})).build()) {
            DataFrame df = r.df("results", DfOptions.defaults().metadataTable("metadata"));
            try (CollectionReader sequential = CollectionReader.builder(dir).parallelism(1).build()) {
                DataFrame expected = sequential.df("results", DfOptions.defaults().metadataTable("metadata"));
                for (String c : expected.getColumnsIndex().toArray()) {
                    assertThat(df.getColumn(c).toList()).as(c).isEqualTo(expected.getColumn(c).toList());
                }
            }
            assertThat(df.height()).isEqualTo(3 * (0 + 1 + 2 + 3));
        }
        assertThat(calls.get(0)).containsExactly(0, 12);
        assertThat(calls.get(calls.size() - 1)).containsExactly(12, 12);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isEqualTo(calls.get(i - 1)[0] + 1);
        }
    }

    @Test
    void df_fromManyThreadsAtOnce_eachGetsTheWholeResult() throws Exception {
        for (int i = 0; i < 6; i++) {
            run("r" + i, 0.1, "sgd", 5);
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (CollectionReader r = CollectionReader.open(dir)) {
            List<Future<DataFrame>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(threads.submit(() -> r.df("results", DfOptions.defaults().metadataTable("metadata"))));
            }
            for (Future<DataFrame> f : futures) {
                DataFrame df = f.get(60, TimeUnit.SECONDS);
                assertThat(df.height()).isEqualTo(30);
                assertThat(df.getColumn("lr").toList()).containsOnly(0.1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void readsStoresBeingWritten_inThisJvm() {
        try (Store s = Store.open(dir, "live")) {
            s.addTable("t", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 1));
            try (CollectionReader r = CollectionReader.open(dir)) {
                assertThat(r.df("t").getColumn("i").toList()).containsExactly(1L);
                assertThat(r.runs().get(0).running()).isTrue();
            }
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            assertThat(r.runs().get(0).running()).isFalse();
        }
    }

    @Test
    void readsStoresBeingWritten_byAnotherProcess_rowsGrow() throws Exception {
        run("done", 0.1, "sgd", 2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "cox.store.ChildWriter",
                dir.toString(), "live", "0", "0", "3000").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
             CollectionReader r = CollectionReader.open(dir)) {
            assertThat(out.readLine()).startsWith("ready");
            long flushed = -1;
            long seen = 0;
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 50; k++) {
                    flushed = Long.parseLong(out.readLine()); // seq of a row whose flushRow() returned
                }
                DataFrame rows = r.df("rows");
                List<Object> seqs = rows.getColumn("seq").toList();
                assertThat(seqs.size()).isGreaterThan((int) flushed).isGreaterThanOrEqualTo((int) seen);
                for (int k = 0; k < seqs.size(); k++) {
                    assertThat(seqs.get(k)).isEqualTo((long) k);
                }
                seen = seqs.size();
            }
            assertThat(r.runs()).filteredOn(RunInfo::running).extracting(RunInfo::expId).containsExactly("live");
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void badFolder_andClosed_areClearErrors() {
        assertThatThrownBy(() -> CollectionReader.open(dir.resolve("missing")))
                .hasMessage("not a folder of experiments: " + dir.resolve("missing").toAbsolutePath());
        assertThatThrownBy(() -> CollectionReader.builder(dir).parallelism(0)).hasMessage("parallelism < 1: 0");
        CollectionReader r = CollectionReader.open(dir);
        r.close();
        r.close();
        assertThatThrownBy(() -> r.df("t")).hasMessage("collection reader of " + dir.toAbsolutePath() + " is closed");
    }

    @Test
    void coxPythonFixtures_readAsOneFrame() {
        Path fixtures = Path.of("../../shared/fixtures/cox-python");
        assumeTrue(Files.isDirectory(fixtures), "no ../shared/fixtures/cox-python beside the project");
        try (CollectionReader r = CollectionReader.open(fixtures)) {
            DataFrame results = r.df("results");
            assertThat(results.height()).isEqualTo(60);
            assertThat(r.df("metadata").getColumn("optimizer").toList()).containsExactly("sgd", "adam", "adamw");
        }
    }

    @Test
    void resolveExpId_exactIdOrAUniquePrefix_elseNamesTheCandidatesOrTheFolder() {
        for (String id : new String[] {"5e8e89ce-1", "5e8f0000-2", "ab", "abc"}) {
            run(id, 0.1, "sgd", 1);
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            assertThat(r.resolveExpId("5e8e89ce-1")).isEqualTo("5e8e89ce-1");
            assertThat(r.resolveExpId("5e8e")).isEqualTo("5e8e89ce-1");
            assertThat(r.resolveExpId("ab")).isEqualTo("ab"); // an exact id wins over the longer one it starts
            assertThat(r.resolveExpId("abc")).isEqualTo("abc");
            assertThatThrownBy(() -> r.resolveExpId("5e8")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'5e8' is the start of 2 runs' exp_ids in " + r.directory() + ": 5e8e89ce-1, 5e8f0000-2; "
                            + "give more of it");
            assertThatThrownBy(() -> r.resolveExpId("zz")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no run 'zz' in " + r.directory() + " (no run's exp_id is or starts with it)");
            assertThatThrownBy(() -> r.resolveExpId("")).hasMessageStartingWith("no run '' in ");
        }
        for (int i = 0; i < 12; i++) {
            run(String.format("r%02d", i), 0.1, "sgd", 0);
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            assertThatThrownBy(() -> r.resolveExpId("r")).hasMessageEndingWith(": r00, r01, r02, r03, r04, r05, r06, r07, "
                    + "r08, r09 and 2 more; give more of it");
        }
    }
}
