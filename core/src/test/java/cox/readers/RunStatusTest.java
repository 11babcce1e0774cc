package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.journal.Checkpoint;
import cox.testing.LiveRun;
import cox.testing.PythonCoxRuns;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status of a run: running, interrupted (killed), closed, and active or idle for a store Python cox wrote. */
class RunStatusTest {
    @TempDir
    Path dir;

    private RunStatus status(String id) {
        return status(id, Clock.systemUTC());
    }

    private RunStatus status(String id, Clock clock) {
        try (CollectionReader r = CollectionReader.builder(dir).clock(clock).build()) {
            return r.runs().stream().filter(i -> i.expId().equals(id)).findFirst().orElseThrow().status();
        }
    }

    private void write(String id, int rows) {
        try (Store s = Store.open(dir, id)) {
            var t = s.keys().contains("t") ? s.table("t") : s.addTable("t", Schema.of("i", ColumnType.INT));
            for (int i = 0; i < rows; i++) {
                t.appendRow(Map.of("i", i));
            }
        }
    }

    @Test
    void labels_areTheLowerCaseWords() {
        assertThat(Stream.of(RunStatus.values()).map(RunStatus::label))
                .containsExactly("running", "interrupted", "closed", "active", "idle");
        assertThat(RunStatus.ofLabel(" Closed")).isEqualTo(RunStatus.CLOSED);
        assertThatThrownBy(() -> RunStatus.ofLabel("finished")).hasMessage(
                "unknown run status 'finished': expected running, interrupted, closed, active or idle");
    }

    @Test
    void closedCleanly_isClosed_andRunningWhileAWriterHoldsIt() {
        write("a", 3);
        assertThat(status("a")).isEqualTo(RunStatus.CLOSED);
        try (Store s = Store.open(dir, "a")) {
            assertThat(status("a")).isEqualTo(RunStatus.RUNNING);
            assertThat(Store.isClosedCleanly(dir.resolve("a"))).as("a writer opening it clears the mark").isFalse();
            s.table("t").appendRow(Map.of("i", 9));
        }
        assertThat(status("a")).isEqualTo(RunStatus.CLOSED);
    }

    @Test
    void reopenedAndNotClosedAgain_isNotClosed() throws Exception {
        write("a", 3);
        Path checkpoint = dir.resolve("a/.cox.checkpoint");
        byte[] closed = Files.readAllBytes(checkpoint);
        Store s = Store.open(dir, "a"); // as if this writer were killed now: the lock is released below, the store not closed
        assertThat(Checkpoint.read(checkpoint).closed()).isFalse();
        s.close();
        assertThat(Store.isClosedCleanly(dir.resolve("a"))).isTrue();
        Files.write(checkpoint, closed);
        assertThat(status("a")).isEqualTo(RunStatus.CLOSED);
        // a record after the closed checkpoint: written after the close, by a writer that did not close again
        Files.write(dir.resolve("a/.cox.journal"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThat(status("a")).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void killedWriter_isInterrupted() throws Exception {
        Process p = LiveRun.start(dir, "killed", Duration.ofMillis(5), Map.of("lr", 0.1));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            for (int i = 0; i < 20; i++) {
                assertThat(out.readLine()).isNotNull();
            }
            assertThat(status("killed")).isEqualTo(RunStatus.RUNNING);
        } finally {
            p.destroyForcibly(); // SIGKILL: no close, no shutdown hook
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(status("killed")).isEqualTo(RunStatus.INTERRUPTED);
        write("killed", 1); // a writer that recovers it and closes it cleanly
        assertThat(status("killed")).isEqualTo(RunStatus.CLOSED);
    }

    @Test
    void storeOfPythonCox_isActiveForTwoMinutesAfterItsLastWrite_thenIdle() throws Exception {
        PythonCoxRuns.copy("exp-0", dir);
        Instant written = Instant.parse("2026-12-01T10:00:00Z");
        Files.setLastModifiedTime(dir.resolve("exp-0/store.h5"), FileTime.from(written));
        assertThat(dir.resolve("exp-0/.cox.journal")).doesNotExist();
        assertThat(status("exp-0", Clock.fixed(written.plusSeconds(119), ZoneOffset.UTC))).isEqualTo(RunStatus.ACTIVE);
        assertThat(status("exp-0", Clock.fixed(written.plusSeconds(120), ZoneOffset.UTC))).isEqualTo(RunStatus.IDLE);
        assertThat(status("exp-0", Clock.fixed(written.plus(Duration.ofDays(3)), ZoneOffset.UTC))).isEqualTo(RunStatus.IDLE);
    }

    @Test
    void checkpointOfAnEarlierCox4j_isClosedOnlyIfConsistentWithNoRecordAfterIt() throws Exception {
        write("old", 3);
        Path checkpoint = dir.resolve("old/.cox.checkpoint");
        Files.write(checkpoint, asFormat2(Files.readAllBytes(checkpoint), true));
        assertThat(Checkpoint.format(checkpoint)).isEqualTo(2);
        assertThat(status("old")).isEqualTo(RunStatus.CLOSED);
        Files.write(checkpoint, asFormat2(Files.readAllBytes(checkpoint), false));
        assertThat(status("old")).isEqualTo(RunStatus.INTERRUPTED);
    }

    @Test
    void unreadableRun_keepsItsStatus_andItsError() throws Exception {
        write("a", 1);
        Files.write(dir.resolve("a/store.h5"), new byte[] {1, 2, 3});
        Files.delete(dir.resolve("a/.cox.journal"));
        Files.delete(dir.resolve("a/.cox.checkpoint"));
        try (CollectionReader r = CollectionReader.open(dir)) {
            List<RunInfo> runs = r.runs();
            assertThat(runs.get(0).error()).isNotNull();
            assertThat(runs.get(0).status()).isIn(RunStatus.ACTIVE, RunStatus.IDLE);
        }
    }

    /** A format-3 checkpoint as cox4j before format 3 wrote it: no closed byte, {@code consistent} as given. */
    private static byte[] asFormat2(byte[] v3, boolean consistent) {
        byte[] b;
        if (new String(v3, 0, 8, StandardCharsets.US_ASCII).equals("COXCKPT3")) {
            b = new byte[v3.length - 1];
            System.arraycopy(v3, 0, b, 0, 13);
            System.arraycopy(v3, 14, b, 13, v3.length - 14);
        } else {
            b = v3.clone();
        }
        System.arraycopy("COXCKPT2".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        b[12] = (byte) (consistent ? 1 : 0);
        CRC32C crc = new CRC32C();
        crc.update(b, 12, b.length - 12);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, (int) crc.getValue());
        return b;
    }
}
