package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreLockedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 1: a second {@code Store} of the same run in one JVM, or a lock file deleted
 * under a writer, let another process write the run at the same time and lose acknowledged rows.
 * The other process here is a real child JVM ({@link ChildWriter}).
 */
class WriterLockTest {
    private static final Schema ROWS = Schema.of("seq", ColumnType.INT, "value", ColumnType.FLOAT, "text", ColumnType.STR);

    @TempDir
    Path dir;

    @Test
    void secondOpenInTheSameJvm_isRefused_andTheFirstWriterKeepsItsLock() throws Exception {
        try (Store a = Store.open(dir, "run")) {
            Table t = a.addTable("rows", ROWS);
            append(t, 0, 100);
            for (int retry = 0; retry < 3; retry++) { // a retry, a notebook cell run again
                assertThatThrownBy(() -> Store.open(dir, "run"))
                        .isInstanceOf(StoreLockedException.class)
                        .hasMessageContaining("store " + a.path() + " is open for writing already in this JVM")
                        .hasMessageContaining("close that Store before opening it again");
            }
            // the same folder by another name is the same store
            Files.createSymbolicLink(dir.resolve("alias"), dir);
            assertThatThrownBy(() -> Store.open(dir.resolve("alias"), "run")).isInstanceOf(StoreLockedException.class);
            // asking from outside does not open (and so release) the lock file either
            assertThat(WriterProbe.lockedPerTry(new StoreFiles(a.path()))).isTrue();
            assertThat(Store.isOpenForWriting(a.path())).isTrue();

            // so another process is still refused
            ChildResult child = runChild("run", 1_000_000, 0.3);
            assertThat(child.exitCode).as(child.stderr).isNotZero();
            assertThat(child.stderr).contains("is open for writing by another writer");

            append(t, 100, 5_000);
        }
        try (Store r = Store.open(dir, "run", Mode.READ)) {
            assertThat(seqs(r)).isEqualTo(range(0, 5_000));
        }
        // once closed, the run opens again, in this JVM and in another
        Store.open(dir, "run").close();
        ChildResult child = runChild("run", 5_000, 0.2);
        assertThat(child.exitCode).as(child.stderr).isZero();
    }

    @Test
    void lockFileDeletedUnderTheWriter_stopsIt_andNoAcknowledgedRowIsLost() throws Exception {
        lockFileGone(false);
    }

    @Test
    void lockFileReplacedUnderTheWriter_stopsIt_andNoAcknowledgedRowIsLost() throws Exception {
        lockFileGone(true);
    }

    private void lockFileGone(boolean replace) throws Exception {
        Store a = Store.open(dir, "run");
        Table t = a.addTable("rows", ROWS);
        append(t, 0, 1_000);
        Path lockFile = a.path().resolve(".cox.lock");
        Files.delete(lockFile);
        if (replace) {
            Files.writeString(lockFile, "");
        }
        // the writer notices within a flush interval; until then rows go on being acknowledged
        long acknowledged = 1_000;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard, not a timing assertion
        StoreLockedException stopped = null;
        while (stopped == null && System.nanoTime() < deadline) {
            try {
                append(t, acknowledged, acknowledged + 1);
                acknowledged++;
            } catch (StoreLockedException e) {
                stopped = e;
            }
        }
        assertThat(stopped).as("the writer stops accepting rows").isNotNull();
        assertThat(stopped.getMessage()).contains("store " + a.path() + " stopped accepting rows: its lock file "
                + lockFile + " was deleted or replaced while this writer held it");
        assertThatThrownBy(() -> append(t, 0, 1)).isInstanceOf(StoreLockedException.class);
        assertThatThrownBy(a::sync).isInstanceOf(StoreLockedException.class);

        // another process now takes the run and writes rows of its own
        ChildResult child = runChild("run", 1_000_000, 1.0);
        assertThat(child.exitCode).as(child.stderr).isZero();
        assertThat(child.stdout).startsWith("ready " + acknowledged); // it opened the run with every acknowledged row
        long childRows = child.stdout.lines().filter(l -> l.matches("\\d+")).count(); // however many it had time for

        // the first writer's close writes nothing more and says why
        assertThatThrownBy(a::close).isInstanceOf(StoreLockedException.class).hasMessageContaining("stopped accepting rows");
        a.close(); // idempotent

        List<Long> expected = range(0, acknowledged);
        expected.addAll(range(1_000_000, 1_000_000 + childRows));
        try (Store r = Store.open(dir, "run", Mode.READ)) {
            assertThat(seqs(r)).isEqualTo(expected);
        }
        try (Store w = Store.open(dir, "run")) { // and the run stays writable
            append(w.table("rows"), 2_000_000, 2_000_001);
        }
    }

    private static void append(Table t, long from, long to) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (long seq = from; seq < to; seq++) {
            row.put("seq", seq);
            row.put("value", seq * 0.5);
            row.put("text", "row-" + seq);
            t.appendRow(row);
        }
    }

    private static List<Long> seqs(Store s) {
        List<Long> out = new ArrayList<>();
        for (Object o : s.table("rows").df().getColumn("seq")) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private record ChildResult(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@link ChildWriter} on {@code expId} for {@code seconds} and waits for it. */
    private ChildResult runChild(String expId, long firstSeq, double seconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ChildWriter.class.getName(), dir.toString(), expId, Long.toString(firstSeq), Double.toString(seconds), "1000")
                .start();
        p.getOutputStream().close();
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(l -> err.append(l).append('\n'));
            } catch (java.io.IOException e) {
                err.append(e);
            }
        });
        errReader.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child ends").isTrue();
        errReader.join();
        return new ChildResult(p.exitValue(), out, err.toString());
    }
}
