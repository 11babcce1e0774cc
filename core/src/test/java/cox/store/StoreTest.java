package cox.store;

import cox.exceptions.StoreException;
import cox.exceptions.StoreLockedException;
import static cox.store.ColumnType.BOOL;
import static cox.store.ColumnType.FLOAT;
import static cox.store.ColumnType.INT;
import static cox.store.ColumnType.STR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    static final Schema RESULTS = Schema.of("epoch", INT, "loss", FLOAT, "phase", STR, "best", BOOL);

    static Map<String, Object> row(long epoch, double loss, String phase, boolean best) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", loss);
        m.put("phase", phase);
        m.put("best", best);
        return m;
    }

    @Test
    void newStore_hasUuidFolderAndCoxLayout() {
        try (Store s = Store.open(dir)) {
            assertThat(UUID.fromString(s.expId()).version()).isEqualTo(4);
            assertThat(s.path()).isEqualTo(dir.resolve(s.expId()).toAbsolutePath());
            assertThat(s.saveDir()).isDirectory();
            assertThat(s.path().resolve(".table_objects")).isDirectory();
            assertThat(s.path().resolve("tensorboard")).isDirectory();
            assertThat(s.path().resolve("store.h5")).isRegularFile();
            assertThat(s.keys()).isEmpty();
        }
    }

    @Test
    void aWriterThreadThatIsInterrupted_keepsLogging_andKeepsItsInterrupt() {
        // a training framework cancels a task by interrupting its thread: the journal must stay open
        // (an interruptible FileChannel would close it under the store and lose every later row)
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            t.appendRow(row(0, 0.5, "train", true));
            Thread.currentThread().interrupt();
            try {
                t.appendRow(row(1, 0.25, "train", false));
                t.updateRow(row(2, 0.125, "val", false));
                t.flushRow();
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is the caller's, kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            t.appendRow(row(3, 0.0625, "val", true));
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(0L, 1L, 2L, 3L);
            Thread.currentThread().interrupt(); // and closed by a cancelled thread
        } finally {
            Thread.interrupted();
        }
        try (Store again = Store.open(dir, "exp")) {
            assertThat(again.table("results").df().getColumn("epoch").toList()).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void appendRow_thenDf_returnsRowsInSchemaOrder() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            t.appendRow(row(0, Double.NaN, "train", true));
            t.appendRow(row(1, -0.0, "", false));
            t.appendRow(row(2, Double.NEGATIVE_INFINITY, "ünïcødé ✓", true));
            assertThat(t.nrows()).isEqualTo(3);
            DataFrame df = t.df();
            assertThat(df.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "phase", "best");
            assertThat(df.getColumn("epoch").toList()).containsExactly(0L, 1L, 2L);
            assertThat((Double) df.getColumn("loss").get(0)).isNaN();
            assertThat(Double.doubleToRawLongBits((Double) df.getColumn("loss").get(1)))
                    .isEqualTo(Double.doubleToRawLongBits(-0.0));
            assertThat(df.getColumn("phase").toList()).containsExactly("train", "", "ünïcødé ✓");
            assertThat(df.getColumn("best").toList()).containsExactly(true, false, true);
        }
    }

    @Test
    void reopen_append_keepsRowsAndSchema() {
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("results", RESULTS).appendRow(row(0, 1.0, "a", true));
        }
        try (Store s = Store.open(dir, "exp")) {
            assertThat(s.keys()).containsExactly("results");
            Table t = s.table("results");
            assertThat(t.schema()).isEqualTo(RESULTS);
            t.appendRow(row(1, 2.0, "b", false));
            assertThat(t.nrows()).isEqualTo(2);
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("results").df().getColumn("phase").toList()).containsExactly("a", "b");
        }
    }

    @Test
    void updateRow_thenFlush_buildsRowPiecewise() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            t.updateRow(Map.of("loss", 0.5));
            t.updateRow(Map.of("epoch", 3, "phase", "val"));
            t.updateRow(Map.of("best", true, "loss", 0.25));
            t.flushRow();
            assertThat(t.df().getColumn("loss").toList()).containsExactly(0.25);
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(3L);
        }
    }

    @Test
    void flushRow_missingColumn_namesItAndKeepsStagedRow() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            t.updateRow(Map.of("epoch", 1, "loss", 0.5));
            assertThatThrownBy(t::flushRow)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("table 'results' of store " + s.path() + ": cannot flush the row, it has no value for "
                            + "columns 'phase', 'best'; the values staged so far are kept");
            t.updateRow(Map.of("phase", "p", "best", false));
            t.flushRow();
            assertThat(t.nrows()).isEqualTo(1);
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(1L);
        }
    }

    @Test
    void updateRow_wrongType_namesTableColumnValueAndType_andStagesNothing() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("epoch", 7);
            bad.put("loss", "high");
            assertThatThrownBy(() -> t.updateRow(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("table 'results' of store " + s.path() + ": column 'loss' expects FLOAT (float64: a Number"
                            + " that converts exactly), got String \"high\"");
            assertThatThrownBy(() -> t.updateRow(Map.of("epoch", 3.7)))
                    .hasMessageContaining("column 'epoch' expects INT (int64: Long, Integer, Short, Byte), got Double 3.7"
                            + " (it is not a whole number; converting would lose it)");
            assertThatThrownBy(() -> t.updateRow(Map.of("loss", (1L << 53) + 1)))
                    .hasMessageContaining("float64 cannot hold it exactly");
            assertThatThrownBy(() -> t.updateRow(Map.of("best", 1)))
                    .hasMessageContaining("column 'best' expects BOOL (Boolean), got Integer 1");
            assertThatThrownBy(() -> t.updateRow(Map.of("nope", 1)))
                    .hasMessage("table 'results' of store " + s.path() + " has no column 'nope': its columns are "
                            + "[epoch, loss, phase, best]");
            assertThatThrownBy(t::flushRow).hasMessageContaining("'epoch', 'loss', 'phase', 'best'");
        }
    }

    @Test
    void lossless_conversions_areAccepted() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("f", FLOAT, "i", INT, "s", STR));
            t.appendRow(Map.of("f", 3, "i", 4.0, "s", new StringBuilder("sb")));
            t.appendRow(Map.of("f", 2.5f, "i", (short) 5, "s", 'c'));
            DataFrame df = t.df();
            assertThat(df.getColumn("f").toList()).containsExactly(3.0, 2.5);
            assertThat(df.getColumn("i").toList()).containsExactly(4L, 5L);
            assertThat(df.getColumn("s").toList()).containsExactly("sb", "c");
        }
    }

    @Test
    void readMode_refusesWrites_andWritesNothing() throws Exception {
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("results", RESULTS).appendRow(row(0, 1.0, "a", true));
        }
        Path exp = dir.resolve("exp");
        Map<Path, Long> before = modificationTimes(exp);
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(() -> s.addTable("x", RESULTS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot add table 'x': store " + exp.toAbsolutePath() + " is open read-only (mode r)");
            assertThatThrownBy(() -> s.table("results").appendRow(row(1, 1.0, "b", false)))
                    .hasMessageContaining("is open read-only (mode r)");
            assertThat(s.table("results").nrows()).isEqualTo(1);
        }
        assertThat(modificationTimes(exp)).isEqualTo(before);
    }

    private static Map<Path, Long> modificationTimes(Path exp) throws Exception {
        Map<Path, Long> m = new LinkedHashMap<>();
        try (var files = Files.walk(exp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                m.put(p, Files.getLastModifiedTime(p).toMillis() * 1000 + Files.size(p));
            }
        }
        return m;
    }

    @Test
    void closedStore_refusesWrites_andCloseIsIdempotent() {
        Store s = Store.open(dir, "exp");
        Table t = s.addTable("results", RESULTS);
        s.close();
        s.close();
        assertThatThrownBy(() -> t.appendRow(row(0, 1.0, "a", true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("store " + s.path() + " is closed");
        assertThatThrownBy(() -> s.addTable("y", RESULTS)).hasMessage("store " + s.path() + " is closed");
    }

    @Test
    void addTable_duplicateOrBadNames_areRefused() {
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("results", RESULTS);
            assertThatThrownBy(() -> s.addTable("results", RESULTS))
                    .hasMessage("store " + s.path() + " has a table 'results' already");
            for (String bad : List.of("..", ".", "a/b", "a\\b")) {
                assertThatThrownBy(() -> s.addTable(bad, RESULTS))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("table name must be a plain folder name (no '/', '\\', '.' or '..'): got '" + bad + "'");
            }
            assertThatThrownBy(() -> s.addTable("", RESULTS)).hasMessage("table name must not be empty");
            assertThatThrownBy(() -> s.addTable("a\nb", RESULTS))
                    .hasMessageContaining("table name must not contain control characters");
            assertThatThrownBy(() -> s.table("nope"))
                    .hasMessage("store " + s.path() + " has no table 'nope': its tables are [results]");
        }
    }

    @Test
    void badExperimentIds_areRefusedBeforeTouchingDisk() throws Exception {
        for (String bad : List.of("..", "../escape", "a/b", "", "x\0y")) {
            assertThatThrownBy(() -> Store.open(dir, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("experiment id must");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(dir.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void isNew_onExistingExperiment_andReadOfMissing_fail() {
        Store.open(dir, "exp").close();
        assertThatThrownBy(() -> Store.builder(dir).expId("exp").mustBeNew().mode(Mode.APPEND).build())
                .isInstanceOf(StoreException.class)
                .hasMessage("experiment " + dir.resolve("exp").toAbsolutePath() + " exists already, and isNew asks for a new one");
        assertThatThrownBy(() -> Store.open(dir, "missing", Mode.READ))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no store at " + dir.resolve("missing").toAbsolutePath());
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void writeMode_startsTablesAfresh() {
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("results", RESULTS).appendRow(row(0, 1.0, "a", true));
        }
        try (Store s = Store.open(dir, "exp", Mode.WRITE)) {
            assertThat(s.keys()).isEmpty();
            s.addTable("results", Schema.of("x", INT)).appendRow(Map.of("x", 1));
        }
        try (Store s = Store.open(dir, "exp", Mode.of("r"))) {
            assertThat(s.table("results").schema()).isEqualTo(Schema.of("x", INT));
        }
    }

    @Test
    void secondWriter_getsLockError_readerDoesNot() {
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("results", RESULTS).appendRow(row(0, 1.0, "a", true));
            assertThatThrownBy(() -> Store.open(dir, "exp"))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessage("store " + s.path() + " is open for writing already in this JVM (opened by thread '"
                            + Thread.currentThread().getName() + "' and not closed yet): close that Store before opening it"
                            + " again, or open it with Mode.READ to read it meanwhile");
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                assertThat(r.table("results").nrows()).isEqualTo(1);
            }
        }
        Store.open(dir, "exp").close();
    }

    @Test
    void longStrings_widenTheColumn() {
        String huge = "é".repeat(50_000);
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("s", STR, "n", INT));
            t.appendRow(Map.of("s", "short", "n", 1));
            s.sync();
            t.appendRow(Map.of("s", huge, "n", 2));
            t.appendRow(Map.of("s", "", "n", 3));
            assertThat(t.df().getColumn("s").toList()).containsExactly("short", huge, "");
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("t").df().getColumn("s").toList()).containsExactly("short", huge, "");
        }
    }

    @Test
    void readMode_seesRowsNotYetInStoreH5() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("results", RESULTS);
            for (int i = 0; i < 10; i++) {
                t.appendRow(row(i, i, "p" + i, i % 2 == 0));
            }
            // at most 200 ms behind: read at once, before the flusher ran, and the journal supplies the rows
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                assertThat(r.table("results").nrows()).isEqualTo(10);
                assertThat(r.table("results").df().getColumn("phase").toList()).hasSize(10).contains("p9");
            }
        }
    }

    @Test
    void eightThreads_logToOneStore_everyRowIsThere() throws Exception {
        int perThread = 2_000;
        try (Store s = Store.open(dir, "exp")) {
            Table shared = s.addTable("shared", Schema.of("thread", INT, "i", INT));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                int thread = th;
                futures.add(pool.submit(() -> {
                    Table own = s.addTable("t" + thread, Schema.of("i", INT));
                    for (int i = 0; i < perThread; i++) {
                        shared.appendRow(Map.of("thread", thread, "i", i));
                        own.appendRow(Map.of("i", i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(shared.nrows()).isEqualTo(8L * perThread);
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            DataFrame df = s.table("shared").df();
            assertThat(df.height()).isEqualTo(8 * perThread);
            long[] seen = new long[8];
            for (int r = 0; r < df.height(); r++) {
                int thread = ((Long) df.getColumn("thread").get(r)).intValue();
                assertThat((Long) df.getColumn("i").get(r)).isEqualTo(seen[thread]++);
            }
            for (int th = 0; th < 8; th++) {
                assertThat(s.table("t" + th).df().getColumn("i").toList()).hasSize(perThread);
            }
        }
    }

    @Test
    void addTableLikeExample_infersTypes() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTableLikeExample("m", Map.of("lr", 0.1, "epochs", 20, "opt", "sgd", "nesterov", true));
            assertThat(t.schema()).isEqualTo(Schema.of("lr", FLOAT, "epochs", INT, "opt", STR, "nesterov", BOOL));
            assertThat(s.getTable("m")).isSameAs(t);
        }
    }

    @Test
    void fsyncDurability_andSync_makeStoreH5Exact() throws Exception {
        try (Store s = Store.builder(dir).expId("exp").mode(Mode.APPEND).durability(Durability.FSYNC).build()) {
            Table t = s.addTable("t", Schema.of("i", INT));
            for (int i = 0; i < 5; i++) {
                t.appendRow(Map.of("i", i));
            }
            s.sync();
            try (var f = cox.store.hdf5.PandasStoreFile.open(s.path().resolve("store.h5"), false)) {
                assertThat(f.table("t").nrows()).isEqualTo(5);
            }
        }
    }

    @Test
    void toString_showsFirstRowsThenHiddenCount() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("i", INT));
            for (int i = 0; i < 8; i++) {
                t.appendRow(Map.of("i", i));
            }
            assertThat(t.toString()).isEqualTo("Table 't' {i: int}, 8 rows\n"
                    + "i\n-\n0\n1\n2\n3\n4\n"
                    + "... (3 rows hidden)");
            assertThat(s.toString()).startsWith("Store " + s.path() + " (mode a)\nTable 't'");
        }
    }
}
