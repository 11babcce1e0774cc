package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreLockedException;
import cox.readers.CollectionReader;
import cox.testing.PythonCoxRuns;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Store#publish}: a closed run copied to a local folder and to an in-memory file system
 * (Jimfs) reads back as the run, a push stopped after any write leaves no run or the whole run at
 * the target and the next push completes it, and live, interrupted or busy runs are refused.
 */
class RunPublisherTest {
    private static final List<String> TABLES = List.of("metadata", "results");

    @TempDir
    Path dir;

    private final FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeJimfs() throws IOException {
        jimfs.close();
    }

    /** Writes a closed run {@code id}: metadata with an OBJECT cell, results with a PICKLE column and TensorBoard scalars, a saved file. */
    static Path writeRun(Path runs, String id, int rows) throws IOException {
        try (Store s = Store.open(runs, id)) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "config", ColumnType.OBJECT))
                    .appendRow(Map.of("lr", 0.1, "optimizer", "sgd ✓", "config", Map.of("layers", List.of(64L, 32L))));
            s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "weights", ColumnType.PICKLE));
            s.addTable("empty", Schema.of("x", ColumnType.INT));
            for (int e = 0; e < rows; e++) {
                s.logTableAndTb("results", Map.of("loss", e == 2 ? Double.NaN : 1.0 / (e + 1)));
                s.table("results").updateRow(Map.of("epoch", e, "weights", List.of((double) e, -0.0)));
                s.table("results").flushRow();
            }
            Files.writeString(s.saveDir().resolve("model.txt"), "weights of " + id);
        }
        return runs.resolve(id);
    }

    static void assertReadsAs(Path collection, Path expectedCollection) {
        try (CollectionReader actual = CollectionReader.open(collection);
                CollectionReader expected = CollectionReader.open(expectedCollection)) {
            assertThat(actual.expIds()).isEqualTo(expected.expIds());
            for (String table : TABLES) {
                assertSameFrame(actual.df(table), expected.df(table), table);
            }
        }
    }

    static void assertSameFrame(DataFrame actual, DataFrame expected, String what) {
        assertThat(actual.getColumnsIndex().toArray()).as(what).containsExactly(expected.getColumnsIndex().toArray());
        assertThat(actual.height()).as(what).isEqualTo(expected.height()).isPositive();
        for (String c : expected.getColumnsIndex()) {
            assertThat(plain(actual.getColumn(c).toList())).as(what + "." + c).isEqualTo(plain(expected.getColumn(c).toList()));
        }
    }

    /** A cell as lists and maps, arrays (an unpickled tuple) turned into lists, so that equal cells are equal. */
    private static Object plain(Object cell) {
        if (cell != null && cell.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(cell); i++) {
                out.add(plain(java.lang.reflect.Array.get(cell, i)));
            }
            return out;
        }
        if (cell instanceof List<?> list) {
            return list.stream().map(RunPublisherTest::plain).toList();
        }
        if (cell instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(plain(k), plain(v)));
            return out;
        }
        return cell;
    }

    /** The run at {@code target} has the same bytes in every file as {@code run} (but the summary, rewritten for the target). */
    static void assertSameFiles(Path target, Path run) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(run)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(run.relativize(p).toString()));
        }
        files.remove(".cox.lock");
        files.remove(RunSummary.FILE_NAME);
        assertThat(files).contains("store.h5", ".cox.journal", ".cox.checkpoint");
        for (String f : files) {
            assertThat(Files.readAllBytes(target.resolve(f))).as(f).isEqualTo(Files.readAllBytes(run.resolve(f)));
        }
    }

    @Test
    void publish_toALocalFolder_readsBackAsTheRun() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 5);
        Path pushed = dir.resolve("pushed");

        Publication p = Store.publish(run, pushed);

        assertThat(p.outcome()).isEqualTo(Publication.Outcome.PUBLISHED);
        assertThat(p.target()).isEqualTo(pushed.resolve("exp-a"));
        assertThat(p.copied()).contains("store.h5", ".cox.journal", ".cox.checkpoint", "save/model.txt", RunSummary.FILE_NAME)
                .doesNotContain(".cox.lock");
        assertReadsAs(pushed, dir.resolve("runs"));
        assertSameFiles(pushed.resolve("exp-a"), run);
        assertThat(Store.isClosedCleanly(pushed.resolve("exp-a"))).isTrue();
        assertThat(RunSummary.written(pushed.resolve("exp-a"))).as("the summary describes the target's files").isNotNull();
        try (Store s = Store.open(pushed, "exp-a", Mode.READ)) {
            Table results = s.table("results");
            assertThat(results.getPickle((String) results.df().getColumn("weights").get(3))).isEqualTo(List.of(3.0, -0.0));
        }
    }

    @Test
    void publish_toJimfs_copiesEveryFileAndReadsBack() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 5);
        Path bucket = jimfs.getPath("/bucket/runs");

        Publication p = Store.publish(run, bucket);

        assertThat(p.outcome()).isEqualTo(Publication.Outcome.PUBLISHED);
        assertSameFiles(bucket.resolve("exp-a"), run);
        assertThat(Store.isExperiment(bucket.resolve("exp-a"))).isTrue();
        assertThat(RunSummary.written(bucket.resolve("exp-a"))).isNotNull();
        assertReadsAs(bucket, dir.resolve("runs"));
    }

    @Test
    void publish_again_isANoOp() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 3);
        Path bucket = jimfs.getPath("/bucket");
        Store.publish(run, bucket);
        Recording writes = new Recording(bucket.resolve("exp-a"), Long.MAX_VALUE, Long.MAX_VALUE);

        Publication again = new RunPublisher(writes, Clock.systemUTC()).publish(run, bucket, false);

        assertThat(again.outcome()).isEqualTo(Publication.Outcome.UNCHANGED);
        assertThat(again.copied()).isEmpty();
        assertThat(again.skipped()).contains("store.h5", "save/model.txt");
        assertThat(writes.log).as("nothing written").isEmpty();
    }

    @Test
    void publish_placesStoreH5AfterEveryOtherFileOfTheRun() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 3);
        Path bucket = jimfs.getPath("/bucket");
        Recording writes = new Recording(bucket.resolve("exp-a"), Long.MAX_VALUE, Long.MAX_VALUE);

        new RunPublisher(writes, Clock.systemUTC()).publish(run, bucket, false);

        List<String> log = writes.log;
        int h5 = log.indexOf("move .store.h5.cox-push-tmp store.h5");
        assertThat(h5).as(log.toString()).isPositive();
        assertThat(log.get(0)).isEqualTo("mkdir ");
        assertThat(log.subList(0, h5)).as("before store.h5: the other files, and the store files under temporary names")
                .contains("create save/model.txt", "create .cox.journal.cox-push-tmp", "create .cox.checkpoint.cox-push-tmp",
                        "create .store.h5.cox-push-tmp")
                .noneMatch(s -> s.equals("create store.h5") || s.endsWith(" .cox.journal") || s.endsWith(" .cox.checkpoint"));
        assertThat(log.subList(h5 + 1, log.size())).as("after store.h5: the checkpoint, the journal, the summary")
                .containsExactly("move .cox.checkpoint.cox-push-tmp .cox.checkpoint", "move .cox.journal.cox-push-tmp .cox.journal",
                        "create .cox.summary.cox-push-tmp", "move .cox.summary.cox-push-tmp .cox.summary");
        assertThat(log.stream().filter(s -> s.startsWith("create tensorboard/"))).isNotEmpty();
        assertThat(log.stream().filter(s -> s.startsWith("create .table_objects/"))).hasSize(3);
    }

    @Test
    void publish_stoppedAfterAnyWrite_leavesNoRunOrTheWholeRun_andThenResumes() throws IOException {
        Path runs = dir.resolve("runs");
        Path run = writeRun(runs, "exp-a", 4);
        Recording full = new Recording(jimfs.getPath("/probe/exp-a"), Long.MAX_VALUE, Long.MAX_VALUE);
        new RunPublisher(full, Clock.systemUTC()).publish(run, jimfs.getPath("/probe"), false);
        int ops = full.log.size();
        assertThat(ops).isGreaterThan(10);
        for (int k = 0; k < ops; k++) {
            stopAndResume("ops-" + k, run, runs, k, Long.MAX_VALUE);
        }
        for (long bytes : new long[] {0, 1, 100, 5000, full.bytes / 2, full.bytes - 1}) {
            stopAndResume("bytes-" + bytes, run, runs, Long.MAX_VALUE, bytes);
        }
    }

    private void stopAndResume(String name, Path run, Path runs, long ops, long bytes) throws IOException {
        Path bucket = jimfs.getPath("/" + name);
        Recording crashing = new Recording(bucket.resolve("exp-a"), ops, bytes);
        assertThatThrownBy(() -> new RunPublisher(crashing, Clock.systemUTC()).publish(run, bucket, false)).as(name)
                .isInstanceOf(CoxIOException.class).hasMessageContaining("simulated crash").hasMessageContaining("exp-a");
        Path target = bucket.resolve("exp-a");
        boolean h5Placed = crashing.log.contains("move .store.h5.cox-push-tmp store.h5");
        assertThat(Store.isExperiment(target)).as(name + ": a run only once store.h5 is in place").isEqualTo(h5Placed);
        if (h5Placed) {
            assertReadsAs(bucket, runs);
        } else if (Files.isDirectory(bucket)) {
            try (CollectionReader reader = CollectionReader.open(bucket)) {
                assertThat(reader.expIds()).as(name + ": a partly pushed folder is no run").isEmpty();
            }
        }

        Publication resumed = Store.publish(run, bucket);

        assertThat(resumed.outcome()).as(name).isIn(Publication.Outcome.RESUMED, Publication.Outcome.PUBLISHED);
        assertSameFiles(target, run);
        assertThat(RunSummary.written(target)).as(name).isNotNull();
        assertThat(Store.isClosedCleanly(target)).as(name).isTrue();
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.map(Path::toString)).as(name + ": no temporary file left").noneMatch(s -> s.endsWith(RunPublisher.TEMP_SUFFIX));
        }
        assertReadsAs(bucket, runs);
        assertThat(Store.publish(run, bucket).outcome()).as(name).isEqualTo(Publication.Outcome.UNCHANGED);
    }

    @Test
    void publish_ofAFolderLeftByAStoppedPush_isNotTakenForARun() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 3);
        Path pushed = dir.resolve("pushed");
        writeRun(pushed, "exp-b", 2);
        Recording untilStoreH5 = new Recording(pushed.resolve("exp-a"), Long.MAX_VALUE, Long.MAX_VALUE);
        untilStoreH5.stopAt = "move .store.h5.cox-push-tmp store.h5";

        assertThatThrownBy(() -> new RunPublisher(untilStoreH5, Clock.systemUTC()).publish(run, pushed, false))
                .isInstanceOf(CoxIOException.class);

        assertThat(pushed.resolve("exp-a/save/model.txt")).exists();
        assertThat(pushed.resolve("exp-a/.store.h5.cox-push-tmp")).exists();
        try (CollectionReader reader = CollectionReader.open(pushed)) {
            assertThat(reader.expIds()).containsExactly("exp-b");
            assertThat(reader.df("results").getColumn("exp_id").toList()).containsOnly("exp-b");
        }
    }

    @Test
    void publish_ofALiveRun_isRefused() throws IOException {
        try (Store s = Store.open(dir.resolve("runs"), "live")) {
            s.addTable("results", Schema.of("epoch", ColumnType.INT)).appendRow(Map.of("epoch", 0));
            assertThatThrownBy(() -> Store.publish(s.path(), dir.resolve("pushed"))).isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("run live (" + s.path() + ") is open for writing: only a closed run is pushed");
        }
        assertThat(dir.resolve("pushed")).doesNotExist();
    }

    @Test
    void publish_ofARunNotClosedCleanly_isRefused() throws IOException {
        Path copy = dir.resolve("copies/crashed");
        try (Store s = Store.open(dir.resolve("runs"), "crashed")) {
            s.addTable("results", Schema.of("epoch", ColumnType.INT)).appendRow(Map.of("epoch", 0));
            s.sync();
            copyTree(s.path(), copy); // as a kill -9 leaves it: no clean close
        }
        Files.deleteIfExists(copy.resolve(".cox.lock"));

        assertThatThrownBy(() -> Store.publish(copy, dir.resolve("pushed"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("run crashed (" + copy + ") was not closed cleanly")
                .hasMessageContaining("store.h5 may be behind its journal");
    }

    @Test
    void publish_ofAPythonCoxRun_waitsUntilItIsIdle() throws IOException {
        Path runs = PythonCoxRuns.copyAll(dir.resolve("python"));
        Path run = runs.resolve("exp-1");
        Instant now = Instant.now();
        RunPublisher publisher = new RunPublisher(RunPublisher.FILES, Clock.fixed(now, ZoneOffset.UTC));
        Files.setLastModifiedTime(run.resolve("store.h5"), FileTime.from(now.minus(1, ChronoUnit.MINUTES)));

        assertThatThrownBy(() -> publisher.publish(run, dir.resolve("pushed"), false)).isInstanceOf(StoreException.class)
                .hasMessageContaining("run exp-1 (" + run + ") has no cox4j journal")
                .hasMessageContaining("it may still be being written; push it when it is idle");

        Files.setLastModifiedTime(run.resolve("store.h5"), FileTime.from(now.minus(3, ChronoUnit.MINUTES)));
        Publication p = publisher.publish(run, dir.resolve("pushed"), false);
        assertThat(p.outcome()).isEqualTo(Publication.Outcome.PUBLISHED);
        assertThat(p.copied()).contains("store.h5").doesNotContain(RunSummary.FILE_NAME);
        try (CollectionReader pushed = CollectionReader.open(dir.resolve("pushed"));
                CollectionReader source = CollectionReader.builder(runs).expFilter("exp-1"::equals).build()) {
            for (String table : List.of("metadata", "results", "special", "objects")) {
                assertSameFrame(pushed.df(table), source.df(table), table);
            }
        }
    }

    @Test
    void publish_ontoAnotherRunWithTheSameId_isRefusedUnlessReplaced() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 4);
        Path pushed = dir.resolve("pushed");
        writeRun(dir.resolve("other"), "exp-a", 2);
        Store.publish(dir.resolve("other/exp-a"), pushed);
        Files.writeString(pushed.resolve("exp-a/save/only-there.txt"), "x");

        assertThatThrownBy(() -> Store.publish(run, pushed)).isInstanceOf(StoreException.class)
                .hasMessageContaining(pushed.resolve("exp-a") + " holds another run with experiment id exp-a")
                .hasMessageContaining("push with replace (cox push --replace) to replace it");
        assertReadsAs(pushed, dir.resolve("other"));

        Publication p = Store.publish(run, pushed, true);

        assertThat(p.outcome()).isEqualTo(Publication.Outcome.REPLACED);
        assertThat(p.deleted()).contains("store.h5", ".cox.journal", "save/only-there.txt");
        assertReadsAs(pushed, dir.resolve("runs"));
        assertSameFiles(pushed.resolve("exp-a"), run);
    }

    @Test
    void publish_ofAFolderWithForeignFiles_isRefusedUnlessReplaced() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 2);
        Path pushed = dir.resolve("pushed");
        Files.createDirectories(pushed.resolve("exp-a"));
        Files.writeString(pushed.resolve("exp-a/notes.txt"), "mine");

        assertThatThrownBy(() -> Store.publish(run, pushed)).isInstanceOf(StoreException.class)
                .hasMessageContaining("holds files (notes.txt) but no run, and no cox push left them");
        assertThat(Store.publish(run, pushed, true).outcome()).isEqualTo(Publication.Outcome.REPLACED);
        assertThat(pushed.resolve("exp-a/notes.txt")).doesNotExist();
    }

    @Test
    void publish_afterAStoppedPushOfAnEarlierState_replacesIt() throws IOException {
        Path runs = dir.resolve("runs");
        Path run = writeRun(runs, "exp-a", 3);
        Path bucket = jimfs.getPath("/bucket");
        Recording stopped = new Recording(bucket.resolve("exp-a"), Long.MAX_VALUE, Long.MAX_VALUE);
        stopped.stopAt = "move .store.h5.cox-push-tmp store.h5";
        assertThatThrownBy(() -> new RunPublisher(stopped, Clock.systemUTC()).publish(run, bucket, false))
                .isInstanceOf(CoxIOException.class);
        try (Store s = Store.open(runs, "exp-a")) {
            s.table("results").appendRow(Map.of("epoch", 9, "loss", 0.5, "weights", List.of(9.0)));
        }

        Publication p = Store.publish(run, bucket);

        assertThat(p.outcome()).isEqualTo(Publication.Outcome.REPLACED);
        assertSameFiles(bucket.resolve("exp-a"), run);
        assertReadsAs(bucket, runs);
    }

    @Test
    void publish_ofARunChangedSinceItWasPushed_isRefusedUnlessReplaced() throws IOException {
        Path runs = dir.resolve("runs");
        Path run = writeRun(runs, "exp-a", 3);
        Path bucket = jimfs.getPath("/bucket");
        Store.publish(run, bucket);
        try (Store s = Store.open(runs, "exp-a")) {
            s.table("results").appendRow(Map.of("epoch", 9, "loss", 0.5, "weights", List.of(9.0)));
        }

        assertThatThrownBy(() -> Store.publish(run, bucket)).isInstanceOf(StoreException.class)
                .hasMessageContaining("holds another run with experiment id exp-a");
        assertThat(Store.publish(run, bucket, true).outcome()).isEqualTo(Publication.Outcome.REPLACED);
        assertReadsAs(bucket, runs);
    }

    @Test
    void publishTo_pushesTheRunWhenItsStoreIsClosed() throws IOException {
        Path bucket = jimfs.getPath("/bucket");
        Path path;
        try (Store s = Store.builder(dir.resolve("runs")).expId("exp-a").publishTo(bucket).build()) {
            s.addTable("results", Schema.of("epoch", ColumnType.INT)).appendRow(Map.of("epoch", 0));
            path = s.path();
            assertThat(bucket).doesNotExist();
        }
        assertSameFiles(bucket.resolve("exp-a"), path);
        assertThat(Store.isClosedCleanly(bucket.resolve("exp-a"))).isTrue();

        assertThatThrownBy(() -> Store.builder(dir.resolve("runs")).expId("exp-a").mode(Mode.READ).publishTo(bucket).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open it for writing");
    }

    @Test
    void publish_ontoAFileSystemThatDoesNotWrite_failsSayingSo() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 1);
        Recording readOnly = new Recording(jimfs.getPath("/ro/exp-a"), Long.MAX_VALUE, Long.MAX_VALUE) {
            @Override
            public OutputStream create(Path file) {
                throw new java.nio.file.ReadOnlyFileSystemException();
            }
        };

        assertThatThrownBy(() -> new RunPublisher(readOnly, Clock.systemUTC()).publish(run, jimfs.getPath("/ro"), false))
                .isInstanceOf(CoxIOException.class)
                .hasMessageStartingWith("cannot push run exp-a to jimfs://").hasMessageEndingWith("/ro/exp-a: its file system (jimfs) does not write");
    }

    @Test
    void publish_ontoItself_isRefused() throws IOException {
        Path run = writeRun(dir.resolve("runs"), "exp-a", 1);
        assertThatThrownBy(() -> Store.publish(run, dir.resolve("runs"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot push run exp-a onto itself: " + dir.resolve("runs") + " is the folder it is in");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * The target's file system, each write logged (relative to the run's folder there), stopping
     * as a crash would: before its {@code ops}-th write, after {@code bytes} bytes, or at the write
     * {@link #stopAt}.
     */
    static class Recording implements RunPublisher.TargetWrites {
        final List<String> log = new ArrayList<>();
        final Path runDir;
        long opsLeft;
        long bytesLeft;
        long bytes;
        String stopAt;

        Recording(Path runDir, long ops, long bytes) {
            this.runDir = runDir;
            this.opsLeft = ops;
            this.bytesLeft = bytes;
        }

        private void step(String what) throws IOException {
            if (opsLeft-- <= 0 || what.equals(stopAt)) {
                throw new IOException("simulated crash before: " + what);
            }
            log.add(what);
        }

        private String name(Path p) {
            return runDir.relativize(p).toString();
        }

        @Override
        public OutputStream create(Path file) throws IOException {
            step("create " + name(file));
            OutputStream out = Files.newOutputStream(file);
            return new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int n = (int) Math.min(len, bytesLeft);
                    out.write(b, off, n);
                    bytesLeft -= n;
                    bytes += n;
                    if (n < len) {
                        throw new IOException("simulated crash while writing " + file);
                    }
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            };
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            step("move " + name(from) + " " + name(to));
            RunPublisher.FILES.move(from, to);
        }

        @Override
        public void delete(Path file) throws IOException {
            step("delete " + name(file));
            RunPublisher.FILES.delete(file);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            step("mkdir " + name(dir));
            RunPublisher.FILES.createDirectories(dir);
        }
    }
}
