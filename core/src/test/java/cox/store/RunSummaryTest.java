package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's run summary ({@code .cox.summary}) is what a reader computes from the store, and is
 * used only while it describes the store's files.
 */
class RunSummaryTest {
    @TempDir
    Path dir;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private RunSummary read(String expId) {
        try (Store s = Store.open(dir, expId, Mode.READ)) {
            return RunSummary.of(s);
        }
    }

    private void writeSweep(Store s, Random random, int rows) {
        Table results = s.keys().contains("results") ? s.table("results")
                : s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "note", ColumnType.STR,
                        "ok", ColumnType.BOOL));
        double[] specials = {Double.NaN, -0.0, 0.0, 1.5, -1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        long start = results.nrows();
        for (int i = 0; i < rows; i++) {
            double loss = random.nextInt(4) == 0 ? specials[random.nextInt(specials.length)] : random.nextInt(5) / 2.0;
            String note = random.nextInt(3) == 0 ? "" : "é✓" + random.nextInt(3);
            results.appendRow(row("epoch", start + i - random.nextInt(3), "loss", loss, "note", note, "ok",
                    random.nextBoolean()));
        }
    }

    @Test
    void aClosedRun_hasTheSummaryAReaderComputes_withTiesNaNAndSignedZeros() {
        for (int seed = 0; seed < 8; seed++) {
            String id = "run" + seed;
            Random random = new Random(seed);
            try (Store s = Store.open(dir, id)) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "opt", ColumnType.STR)).appendRow(row("lr", 0.1,
                        "opt", "sgd"));
                s.addTable("empty", Schema.of("x", ColumnType.INT));
                writeSweep(s, random, 1 + random.nextInt(60));
            }
            RunSummary written = RunSummary.written(dir.resolve(id));
            assertThat(written).as("seed %d", seed).isNotNull();
            assertThat(written).as("seed %d", seed).isEqualTo(read(id));
            TableSummary results = written.tables().get("results");
            assertThat(results.rowsKept()).isTrue();
            assertThat(results.keptRowIndexes()).startsWith(0L).endsWith(results.rows() - 1);
            assertThat(written.tables().keySet()).containsExactlyElementsOf(read(id).tables().keySet());
        }
    }

    @Test
    void aReopenedRun_goesOnFromItsSummary_andFromItsRowsWhenTheSummaryIsGone() throws Exception {
        Random random = new Random(7);
        try (Store s = Store.open(dir, "a")) {
            writeSweep(s, random, 30);
        }
        try (Store s = Store.open(dir, "a")) {
            writeSweep(s, random, 30);
        }
        assertThat(RunSummary.written(dir.resolve("a"))).isEqualTo(read("a")).isNotNull();
        Files.delete(dir.resolve("a").resolve(RunSummary.FILE_NAME));
        try (Store s = Store.open(dir, "a")) {
            writeSweep(s, random, 5);
        }
        RunSummary w = RunSummary.written(dir.resolve("a"));
        assertThat(w).isNotNull().isEqualTo(read("a"));
        assertThat(w.tables().get("results").rows()).isEqualTo(65);
    }

    @Test
    void aLiveRun_hasNoValidSummaryUntilStoreH5IsUpToDate() {
        try (Store s = Store.open(dir, "live")) {
            writeSweep(s, new Random(1), 10);
            s.sync();
            RunSummary afterSync = RunSummary.written(dir.resolve("live"));
            if (afterSync != null) {
                assertThat(afterSync).isEqualTo(read("live"));
            }
            s.table("results").appendRow(row("epoch", 99L, "loss", 0.5, "note", "x", "ok", true));
            // the journal grew: whatever the file says, it no longer holds
            RunSummary stale = RunSummary.written(dir.resolve("live"));
            if (stale != null) {
                assertThat(stale).isEqualTo(read("live"));
            }
        }
        assertThat(RunSummary.written(dir.resolve("live"))).isEqualTo(read("live"));
    }

    @Test
    void objectColumnsAndLongText_keepStatisticsButNoRows() {
        try (Store s = Store.open(dir, "obj")) {
            s.addTable("objs", Schema.of("step", ColumnType.INT, "value", ColumnType.OBJECT));
            s.table("objs").appendRow(row("step", 1L, "value", List.of(1, 2)));
            s.table("objs").appendRow(row("step", 2L, "value", Map.of("a", 1)));
            s.addTable("text", Schema.of("step", ColumnType.INT, "t", ColumnType.STR));
            s.table("text").appendRow(row("step", 1L, "t", "x".repeat(TableSummary.KEPT_TEXT_LIMIT + 1)));
        }
        RunSummary w = RunSummary.written(dir.resolve("obj"));
        assertThat(w).isEqualTo(read("obj"));
        assertThat(w.tables().get("objs").rowsKept()).isFalse();
        assertThat(w.tables().get("objs").max("step")).isEqualTo(2.0);
        assertThat(w.tables().get("text").rowsKept()).isFalse();
        assertThat(w.tables().get("text").count("step")).isEqualTo(1);
    }

    @Test
    void aDamagedOrStaleSummaryFile_isNeverUsed() throws Exception {
        try (Store s = Store.open(dir, "d")) {
            writeSweep(s, new Random(3), 20);
        }
        Path file = dir.resolve("d").resolve(RunSummary.FILE_NAME);
        byte[] good = Files.readAllBytes(file);
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bad = good.clone();
            int at = random.nextInt(bad.length);
            bad[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(file, bad);
            assertThat(RunSummary.written(dir.resolve("d"))).as("flip at %d", at).isNull();
        }
        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertThat(RunSummary.written(dir.resolve("d"))).isNull();
        Files.write(file, good);
        assertThat(RunSummary.written(dir.resolve("d"))).isNotNull();
        // store.h5 changed behind the summary's back (as when Python cox appends to it): not used
        Path h5 = dir.resolve("d").resolve("store.h5");
        Files.setLastModifiedTime(h5, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(h5).toMillis()
                + 5_000));
        assertThat(RunSummary.written(dir.resolve("d"))).isNull();
    }

    @Test
    void summaryBytes_roundTrip_andMutatedBytesAreTheRightSummaryOrANamedError() {
        try (Store s = Store.open(dir, "b")) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(row("lr", 0.1));
            writeSweep(s, new Random(5), 40);
        }
        RunSummary summary = read("b");
        byte[] bytes = summary.toBytes();
        assertThat(RunSummary.fromBytes(bytes)).isEqualTo(summary);
        Random random = new Random(42);
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = bytes.clone();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(10) == 0) {
                bad = java.util.Arrays.copyOf(bad, random.nextInt(bad.length));
            }
            try {
                RunSummary.fromBytes(bad);
            } catch (StoreFormatException expected) {
                assertThat(expected).hasMessageStartingWith("not a run summary: ");
            }
        }
        assertThatThrownBy(() -> RunSummary.fromBytes(new byte[] {(byte) 0xFF})).isInstanceOf(StoreFormatException.class);
    }
}
