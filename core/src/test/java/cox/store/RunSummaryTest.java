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

    /** Replaces the payload of a run's summary file, keeping its header (so its stamps hold) and making its CRC valid. */
    private static void writePayload(Path run, byte[] payload) throws Exception {
        Path file = run.resolve(RunSummary.FILE_NAME);
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(file), 8 + 3 * 8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(header.length + 4 + payload.length + 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(header).putInt(payload.length).put(payload);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Files.write(file, b.array());
    }

    private static byte[] varlongs(long... values) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (long v : values) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
        return out.toByteArray();
    }

    @Test
    void aSummaryWithAValidChecksumAndANegativeTextLength_isNotUsed_andTheStoreStillOpensForWriting() throws Exception {
        try (Store s = Store.open(dir, "neg")) {
            writeSweep(s, new Random(9), 5);
        }
        Path run = dir.resolve("neg");
        // one table, whose name's length + 1 is the varlong -1: a text of -2 bytes
        writePayload(run, varlongs(1, -1L));
        assertThat(RunSummary.written(run)).isNull();
        try (Store s = Store.open(dir, "neg")) {
            writeSweep(s, new Random(10), 3);
        }
        assertThat(RunSummary.written(run)).isNotNull().isEqualTo(read("neg"));
        assertThatThrownBy(() -> RunSummary.fromBytes(varlongs(1, -1L))).isInstanceOf(StoreFormatException.class)
                .hasMessageStartingWith("not a run summary: text of -2 bytes");
    }

    /**
     * Summaries whose every length and code is right, CRC included, but whose parts disagree with
     * each other: kept rows other than the first, last, least and greatest, cells that do not hold
     * the least or greatest number, a negative row count. The writer takes a valid summary's kept
     * rows as given when it goes on from it, and readers answer from them: such a file is damaged.
     */
    @Test
    void aSummaryWithAValidChecksumWhosePartsDisagree_isNotUsed_andTheStoreStillOpensForWriting() throws Exception {
        try (Store s = Store.open(dir, "k")) {
            Table t = s.addTable("t", Schema.of("x", ColumnType.FLOAT, "name", ColumnType.STR));
            for (double x : new double[] {3.0, 1.0, 2.0, 5.0, 4.0}) {
                t.appendRow(row("x", x, "name", "r" + x));
            }
            s.addTable("text", Schema.of("name", ColumnType.STR)).appendRow(row("name", "a"));
        }
        Path run = dir.resolve("k");
        RunSummary good = RunSummary.written(run);
        assertThat(good).isNotNull();
        TableSummary t = good.tables().get("t");
        TableSummary text = good.tables().get("text");
        assertThat(t.keptRowIndexes()).containsExactly(0L, 1L, 3L, 4L);
        Object[][] rows = t.keptRows().toArray(new Object[0][]);
        StoreFiles files = new StoreFiles(run);
        long journal = Files.size(files.journal());
        List<TableSummary> bad = List.of(
                // row 2 holds no least or greatest number: it is no row a summary keeps
                new TableSummary("t", t.schema(), 5, new double[] {15}, new long[] {5}, new long[] {1}, new long[] {3},
                        new double[] {1}, new double[] {5}, new long[] {0, 1, 2, 3, 4},
                        new Object[][] {rows[0], rows[1], new Object[] {2.0, "r2.0"}, rows[2], rows[3]}),
                // the first row is not kept
                new TableSummary("t", t.schema(), 5, new double[] {15}, new long[] {5}, new long[] {1}, new long[] {3},
                        new double[] {1}, new double[] {5}, new long[] {1, 3, 4}, new Object[][] {rows[1], rows[2], rows[3]}),
                // rows kept, but none of them
                new TableSummary("t", t.schema(), 5, new double[] {15}, new long[] {5}, new long[] {1}, new long[] {3},
                        new double[] {1}, new double[] {5}, new long[0], new Object[0][]),
                // the least row holds 3.0, not the least number 1.0
                new TableSummary("t", t.schema(), 5, new double[] {15}, new long[] {5}, new long[] {1}, new long[] {3},
                        new double[] {1}, new double[] {5}, new long[] {0, 1, 3, 4},
                        new Object[][] {rows[0], rows[0], rows[2], rows[3]}),
                // least above greatest
                new TableSummary("t", t.schema(), 5, new double[] {15}, new long[] {5}, new long[] {1}, new long[] {3},
                        new double[] {6}, new double[] {5}, new long[0], null));
        for (TableSummary b : bad) {
            java.util.Map<String, TableSummary> tables = new java.util.LinkedHashMap<>(good.tables());
            tables.put("t", b);
            new RunSummary(tables).write(files, journal);
            assertThat(RunSummary.written(run)).as("%s", b).isNull();
        }
        java.util.Map<String, TableSummary> tables = new java.util.LinkedHashMap<>(good.tables());
        tables.put("text", new TableSummary("text", text.schema(), -3, new double[0], new long[0], new long[0], new long[0],
                new double[0], new double[0], new long[0], null));
        new RunSummary(tables).write(files, journal);
        assertThat(RunSummary.written(run)).as("a negative row count").isNull();

        // the first bad one again: a writer opening the store ignores it and goes on from the rows
        tables.put("text", text);
        tables.put("t", bad.get(0));
        new RunSummary(tables).write(files, journal);
        try (Store s = Store.open(dir, "k")) {
            s.table("t").appendRow(row("x", 0.5, "name", "last"));
        }
        assertThat(RunSummary.written(run)).isNotNull().isEqualTo(read("k"));
        assertThat(RunSummary.written(run).tables().get("t").min("x")).isEqualTo(0.5);
    }

    /** Writes {@code rows} rows of {@code metrics} numeric columns (every tenth INT, beyond a double's exact range). */
    private static void writeWide(Store s, Random random, int metrics, int rows) {
        Table t;
        if (s.keys().contains("wide")) {
            t = s.table("wide");
        } else {
            Schema.Builder schema = Schema.builder();
            for (int m = 0; m < metrics; m++) {
                schema.add("m" + m, m % 10 == 0 ? ColumnType.INT : ColumnType.FLOAT);
            }
            t = s.addTable("wide", schema.add("note", ColumnType.STR).build());
        }
        for (int r = 0; r < rows; r++) {
            Map<String, Object> cells = new LinkedHashMap<>();
            for (int m = 0; m < metrics; m++) {
                cells.put("m" + m, m % 10 == 0 ? (Object) ((1L << 60) + random.nextInt(1000))
                        : (Object) (random.nextInt(12) == 0 ? Double.NaN : random.nextGaussian()));
            }
            cells.put("note", "r" + r);
            t.appendRow(cells);
        }
    }

    @Test
    void aWideTable_keepsAtMostTheLimitOfRows_theFirstAndLast_andItsStatisticsExactly() {
        for (int metrics : new int[] {4, 20, 50, 100}) {
            String id = "w" + metrics;
            try (Store s = Store.open(dir, id)) {
                writeWide(s, new Random(metrics), metrics, 200);
            }
            RunSummary written = RunSummary.written(dir.resolve(id));
            assertThat(written).isNotNull().isEqualTo(read(id));
            TableSummary t = written.tables().get("wide");
            long[] kept = t.keptRowIndexes();
            assertThat(kept.length).as("%d columns", metrics).isLessThanOrEqualTo(TableSummary.KEPT_ROWS_LIMIT);
            assertThat(kept).startsWith(0L).endsWith(199L);
            try (Store s = Store.open(dir, id, Mode.READ)) {
                TableSummary every = TableSummary.withEveryExtremeRow(s, "wide");
                assertThat(every.keptRowIndexes().length).as("%d columns", metrics).isGreaterThanOrEqualTo(kept.length);
                List<Object[]> everyRows = every.keptRows();
                for (String c : t.schema().keySet()) {
                    if (!t.isNumeric(c)) {
                        continue;
                    }
                    assertThat(t.minCell(c)).isEqualTo(every.minCell(c));
                    assertThat(t.maxCell(c)).isEqualTo(every.maxCell(c));
                    int at = t.schema().indexOf(c);
                    Object least = everyRows.get(java.util.Arrays.binarySearch(every.keptRowIndexes(), every.minRow(c)))[at];
                    assertThat(t.minCell(c)).as(c).isEqualTo(least);
                    if (metrics <= 6) {
                        assertThat(t.keeps(t.minRow(c)) && t.keeps(t.maxRow(c))).as("%s: every extreme row fits", c).isTrue();
                    }
                }
            }
            // the index's bytes grow with the columns, not with their square
            assertThat(written.toBytes().length / (double) metrics).as("%d columns", metrics).isLessThan(200);
        }
    }

    @Test
    void aReopenedWideRun_goesOnFromItsSummary_withTheSameStatisticsAsItsRows() {
        Random random = new Random(3);
        try (Store s = Store.open(dir, "wr")) {
            writeWide(s, random, 40, 50);
        }
        for (int round = 0; round < 3; round++) {
            try (Store s = Store.open(dir, "wr")) {
                writeWide(s, random, 40, 1 + random.nextInt(20));
            }
            RunSummary w = RunSummary.written(dir.resolve("wr"));
            assertThat(w).isNotNull();
            TableSummary t = w.tables().get("wide");
            TableSummary r = read("wr").tables().get("wide");
            assertThat(t.rows()).isEqualTo(r.rows());
            assertThat(t.keptRowIndexes()).startsWith(0L).endsWith(r.rows() - 1);
            assertThat(t.keptRowIndexes().length).isLessThanOrEqualTo(TableSummary.KEPT_ROWS_LIMIT);
            for (String c : t.schema().keySet()) {
                if (t.isNumeric(c)) {
                    assertThat(t.count(c)).isEqualTo(r.count(c));
                    assertThat(Double.doubleToRawLongBits(t.sum(c))).isEqualTo(Double.doubleToRawLongBits(r.sum(c)));
                    assertThat(t.minRow(c)).isEqualTo(r.minRow(c));
                    assertThat(t.maxRow(c)).isEqualTo(r.maxRow(c));
                    assertThat(t.minCell(c)).isEqualTo(r.minCell(c));
                    assertThat(t.maxCell(c)).isEqualTo(r.maxCell(c));
                }
            }
            try (Store s = Store.open(dir, "wr", Mode.READ)) {
                Columns all = s.readColumns(s.table("wide"));
                long[] kept = t.keptRowIndexes();
                List<Object[]> rows = t.keptRows();
                for (int i = 0; i < kept.length; i++) {
                    assertThat(rows.get(i)).as("kept row %d", kept[i]).containsExactly(all.row((int) kept[i]));
                }
            }
        }
    }
}
