package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.RunStatus;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.testing.PythonCoxRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status the page shows of each run, as the scanner sees it: running, closed, interrupted, and active/idle by the clock. */
class RunStatusScanTest {
    @TempDir
    Path dir;

    private Map<String, RunStatus> statuses(RunScanner scanner) {
        Map<String, RunStatus> out = new LinkedHashMap<>();
        Instant now = scanner.clock().instant();
        for (ListedRun r : scanner.refresh().runs()) {
            out.put(r.expId, r.state().status(now));
        }
        return out;
    }

    @Test
    void status_ofEachKindOfRun() throws Exception {
        try (Store s = Store.open(dir, "closed")) {
            s.addTable("t", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 1));
        }
        PythonCoxRuns.copy("exp-0", dir);
        Instant written = Instant.parse("2026-12-01T10:00:00Z");
        Files.setLastModifiedTime(dir.resolve("exp-0/store.h5"), FileTime.from(written));
        try (RunScanner scanner = new RunScanner(dir, 0, () -> { })) {
            scanner.clock(Clock.fixed(written.plusSeconds(60), ZoneOffset.UTC));
            assertThat(statuses(scanner)).containsExactly(Map.entry("closed", RunStatus.CLOSED),
                    Map.entry("exp-0", RunStatus.ACTIVE));
            scanner.clock(Clock.fixed(written.plusSeconds(600), ZoneOffset.UTC));
            try (Store s = Store.open(dir, "closed")) {
                assertThat(statuses(scanner)).containsEntry("closed", RunStatus.RUNNING).containsEntry("exp-0", RunStatus.IDLE);
                s.table("t").appendRow(Map.of("i", 2));
            }
            assertThat(statuses(scanner)).containsEntry("closed", RunStatus.CLOSED);
            // a record after the closed checkpoint, and no writer: as a writer killed after it appended leaves it
            Files.write(dir.resolve("closed/.cox.journal"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            assertThat(statuses(scanner)).containsEntry("closed", RunStatus.INTERRUPTED);
        }
    }
}
