package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.CoxIOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterProbeTest {
    @TempDir
    Path dir;

    @Test
    void isOpenForWriting_whileThisJvmWrites_thenNot() {
        try (Store s = Store.open(dir, "a")) {
            s.addTable("t", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 1));
            assertThat(Store.isOpenForWriting(dir.resolve("a"))).isTrue();
            assertThat(WriterProbe.lockedPerTry(new StoreFiles(dir.resolve("a")))).isTrue();
            try (Store reader = Store.open(dir, "a", Mode.READ)) {
                assertThat(reader.table("t").nrows()).isEqualTo(1);
            }
        }
        assertThat(Store.isOpenForWriting(dir.resolve("a"))).isFalse();
        assertThat(Store.isOpenForWriting(dir.resolve("nothing-here"))).isFalse();
    }

    @Test
    void isOpenForWriting_whileAnotherProcessWrites_falseOnceItIsKilled() throws Exception {
        Process p = ChildWriter.start(dir, "child", 0, 0, 2000);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertThat(out.readLine()).startsWith("ready");
            assertThat(Store.isOpenForWriting(dir.resolve("child"))).isTrue();
            assertThat(WriterProbe.lockedPerTry(new StoreFiles(dir.resolve("child")))).isTrue();
            // the probe does not disturb the writer: it goes on writing
            String before = out.readLine();
            for (int i = 0; i < 20; i++) {
                Store.isOpenForWriting(dir.resolve("child"));
            }
            String after = out.readLine();
            assertThat(Long.parseLong(after)).isGreaterThan(Long.parseLong(before));
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Store.isOpenForWriting(dir.resolve("child"))).isFalse();
        assertThat(WriterProbe.lockedPerTry(new StoreFiles(dir.resolve("child")))).isFalse();
    }

    @Test
    void lockedPerProc_matchesDeviceAndInode() throws Exception {
        Path f = Files.createFile(dir.resolve("lock"));
        long ino = ((Number) Files.getAttribute(f, "unix:ino")).longValue();
        long dev = ((Number) Files.getAttribute(f, "unix:dev")).longValue();
        String devText = String.format("%02x:%02x", ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL),
                (dev & 0xff) | ((dev >>> 12) & ~0xffL));
        assertThat(WriterProbe.lockedPerProc(f, List.of("1: POSIX  ADVISORY  WRITE 42 " + devText + ":" + ino + " 0 EOF")))
                .isTrue();
        assertThat(WriterProbe.lockedPerProc(f, List.of("1: POSIX  ADVISORY  WRITE 42 " + devText + ":" + (ino + 1)
                + " 0 EOF", "2: -> POSIX  ADVISORY  WRITE 43 ff:ff:" + ino + " 0 EOF"))).isFalse();
        assertThat(WriterProbe.lockedPerProc(f, List.of())).isFalse();
    }

    @Test
    void lastWriteTime_isTheLatestOfTheStoreFiles() throws Exception {
        try (Store s = Store.open(dir, "a")) {
            s.addTable("t", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 1));
        }
        Path exp = dir.resolve("a");
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        for (String f : new String[] {"store.h5", ".cox.journal", ".cox.checkpoint"}) {
            Files.setLastModifiedTime(exp.resolve(f), FileTime.from(old));
        }
        Instant later = Instant.parse("2021-06-01T12:00:00Z");
        Files.setLastModifiedTime(exp.resolve(".cox.journal"), FileTime.from(later));
        assertThat(Store.lastWriteTime(exp)).isEqualTo(later);
        assertThatThrownBy(() -> Store.lastWriteTime(dir.resolve("none")))
                .isInstanceOf(CoxIOException.class)
                .hasMessage("no store at " + dir.resolve("none") + ": it has neither store.h5 nor a journal");
    }
}
