package cox.readers.query;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.readers.RunIndex;
import cox.store.ColumnType;
import cox.store.RunSummary;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-run answers ({@code --last}, {@code --best}, {@code --summary}, {@code --group-by}) read
 * from run summaries are those read from every row: seeded collections with NaN, -0.0, ties, a
 * column only some runs have, INT in one run and FLOAT in another, empty tables, runs without
 * metadata, runs whose summary file is gone, an OBJECT parameter, and a cache file reused after
 * runs changed.
 */
class SummaryPathDifferentialTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private void writeCollection(Random random, int runs, boolean objectParameters) {
        double[] specials = {Double.NaN, -0.0, 0.0, 0.5, 0.5, Double.POSITIVE_INFINITY};
        for (int i = 0; i < runs; i++) {
            String id = String.format("run-%02d-%d", i, random.nextInt(1000));
            try (Store s = Store.open(dir, id)) {
                int kind = random.nextInt(10);
                kind = kind == 1 && !objectParameters ? 2 : kind;
                if (kind != 0) {
                    Schema meta = kind == 1 ? Schema.of("lr", ColumnType.FLOAT, "opt", ColumnType.STR, "seed", ColumnType.INT,
                            "extra", ColumnType.OBJECT)
                            : Schema.of("lr", ColumnType.FLOAT, "opt", ColumnType.STR, "seed", ColumnType.INT);
                    Table m = s.addTable("metadata", meta);
                    Map<String, Object> p = row("lr", random.nextBoolean() ? 0.1 : 0.01, "opt",
                            random.nextBoolean() ? "sgd" : "adam", "seed", (long) random.nextInt(3));
                    if (kind == 1) {
                        p.put("extra", List.of(1, "two"));
                    }
                    m.appendRow(p);
                }
                boolean floatEpoch = random.nextInt(5) == 0;
                boolean withAcc = random.nextInt(3) != 0;
                Schema.Builder schema = Schema.builder().add("epoch", floatEpoch ? ColumnType.FLOAT : ColumnType.INT)
                        .add("loss", ColumnType.FLOAT);
                if (withAcc) {
                    schema.add("val_acc", ColumnType.FLOAT);
                }
                schema.add("phase", ColumnType.STR).add("ok", ColumnType.BOOL);
                Table t = s.addTable("results", schema.build());
                int rows = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(25);
                for (int r = 0; r < rows; r++) {
                    Map<String, Object> cells = row("epoch", floatEpoch ? (Object) (r + 0.5) : (Object) (long) r, "loss",
                            random.nextInt(4) == 0 ? specials[random.nextInt(specials.length)] : random.nextInt(6) / 4.0,
                            "phase", random.nextBoolean() ? "train" : "é✓", "ok", random.nextBoolean());
                    if (withAcc) {
                        cells.put("val_acc", random.nextInt(5) == 0 ? Double.NaN : random.nextInt(8) / 8.0);
                    }
                    t.appendRow(cells);
                }
            }
            if (random.nextInt(4) == 0) {
                try {
                    Files.deleteIfExists(dir.resolve(id).resolve(RunSummary.FILE_NAME));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    private List<RunQuery> queries() {
        List<RunQuery> q = new ArrayList<>();
        RunQuery base = RunQuery.of("results");
        q.add(base.last());
        q.add(base.best("loss"));
        q.add(base.best("val_acc"));
        q.add(base.best("epoch:min"));
        q.add(base.summary());
        q.add(base.last().groupBy(List.of("lr", "opt")));
        q.add(base.best("val_acc:max").groupBy(List.of("opt")).baseline("opt == sgd"));
        q.add(base.summary().groupBy(List.of("lr")));
        q.add(base.last().where("loss.mean < 0.7 and rows > 3"));
        q.add(base.last().where("val_acc.count >= 2 or short == true"));
        q.add(base.best("loss").where("loss.min == loss and epoch.max > 5"));
        q.add(base.summary().where("loss.mean >= 0.2"));
        q.add(base.last().show(List.of("rows", "loss.mean", "val_acc.count", "short", "epoch.first")));
        q.add(base.groupBy(List.of("seed")));
        q.add(RunQuery.of("metadata").last());
        return q;
    }

    private static void assertSameFrames(DataFrame expected, DataFrame actual, String what) {
        assertThat(actual.getColumnsIndex().toArray()).as(what).containsExactly(expected.getColumnsIndex().toArray());
        assertThat(actual.height()).as(what).isEqualTo(expected.height());
        for (String c : expected.getColumnsIndex().toArray()) {
            assertThat(actual.getColumn(c).getClass()).as(what + " column " + c).isEqualTo(expected.getColumn(c).getClass());
            for (int r = 0; r < expected.height(); r++) {
                Object e = expected.getColumn(c).get(r);
                Object a = actual.getColumn(c).get(r);
                if (e instanceof Double de && a instanceof Double da) {
                    assertThat(Double.doubleToRawLongBits(da)).as(what + " " + c + " row " + r + ": " + de + " vs " + da)
                            .isEqualTo(Double.doubleToRawLongBits(de));
                } else {
                    assertThat(a).as(what + " " + c + " row " + r).isEqualTo(e);
                }
            }
        }
    }

    @Test
    void everyPerRunQuery_isTheSameFromSummariesAsFromEveryRow() {
        for (int seed = 0; seed < 6; seed++) {
            Random random = new Random(seed);
            writeCollection(random, 6 + random.nextInt(10), seed % 3 == 0);
            for (int pass = 0; pass < 2; pass++) { // the second pass answers from the cache file the first saved
                try (CollectionReader exact = CollectionReader.builder(dir).useSummaries(false).clock(CLOCK).build();
                        CollectionReader fast = CollectionReader.builder(dir).clock(CLOCK)
                                .runIndex(RunIndex.load(cache, dir)).build()) {
                    // without an OBJECT parameter, the summaries answer (else every row is read)
                    assertThat(fast.summaryRows("results", cox.readers.DfOptions.defaults().metadataTable("metadata")) != null)
                            .as("seed %d", seed).isEqualTo(seed % 3 != 0);
                    for (RunQuery q : queries()) {
                        String what = "seed " + seed + " pass " + pass + ": " + q;
                        QueryResult[] both = bothAnswers(q, exact, fast, what);
                        if (both == null) {
                            continue;
                        }
                        assertSameFrames(both[0].frame(), both[1].frame(), what);
                        assertThat(both[1].warnings()).as(what).isEqualTo(both[0].warnings());
                        assertThat(fast.runs()).as(what).isEqualTo(exact.runs());
                    }
                }
            }
            // a run grows and another is appended to: the index notices both
            try (Store s = Store.open(dir, "run-00-" + dir.toFile().list((d, n) -> n.startsWith("run-00-"))[0]
                    .substring("run-00-".length()))) {
                if (s.keys().contains("results") && s.table("results").schema().type("epoch") == ColumnType.INT) {
                    Map<String, Object> cells = row("epoch", 100L, "loss", -5.0, "phase", "x", "ok", true);
                    if (s.table("results").schema().containsKey("val_acc")) {
                        cells.put("val_acc", 2.0);
                    }
                    s.table("results").appendRow(cells);
                }
            }
            try (CollectionReader exact = CollectionReader.builder(dir).useSummaries(false).clock(CLOCK).build();
                    CollectionReader fast = CollectionReader.builder(dir).clock(CLOCK).runIndex(RunIndex.load(cache, dir))
                            .build()) {
                for (RunQuery q : queries()) {
                    try {
                        assertSameFrames(q.run(exact).frame(), q.run(fast).frame(), "after a change, seed " + seed + ": " + q);
                    } catch (QueryException ex) {
                        // both refuse alike: checked above
                    }
                }
            }
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs of 50 numeric columns (INT ones with numbers a double does not hold, NaN, ties): a
     * summary keeps at most {@link cox.store.TableSummary#KEPT_ROWS_LIMIT} rows, so most columns'
     * least and greatest rows are not kept; every per-run answer is still the one from every row
     * ({@code --best} reads the runs whose best row is not kept).
     */
    @Test
    void wideTables_whoseSummariesKeepFewOfTheirExtremeRows_answerTheSame() {
        int metrics = 50;
        Random random = new Random(50);
        int notKept = 0;
        for (int i = 0; i < 8; i++) {
            String id = "wide-" + i;
            try (Store s = Store.open(dir, id)) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "opt", ColumnType.STR)).appendRow(
                        row("lr", random.nextBoolean() ? 0.1 : 0.01, "opt", random.nextBoolean() ? "sgd" : "adam"));
                Schema.Builder schema = Schema.builder().add("epoch", ColumnType.INT);
                for (int m = 0; m < metrics; m++) {
                    schema.add(m % 10 == 3 ? "big_" + m : "m_" + m + (m % 7 == 0 ? "_acc" : "_loss"),
                            m % 10 == 3 ? ColumnType.INT : ColumnType.FLOAT);
                }
                schema.add("phase", ColumnType.STR);
                Table t = s.addTable("results", schema.build());
                int rows = i == 0 ? 0 : 1 + random.nextInt(60);
                for (int r = 0; r < rows; r++) {
                    Map<String, Object> cells = new LinkedHashMap<>();
                    cells.put("epoch", (long) r);
                    for (int m = 0; m < metrics; m++) {
                        if (m % 10 == 3) {
                            cells.put("big_" + m, (1L << 53) + random.nextInt(5) - (random.nextBoolean() ? 0 : (2L << 53)));
                        } else {
                            cells.put("m_" + m + (m % 7 == 0 ? "_acc" : "_loss"),
                                    random.nextInt(10) == 0 ? Double.NaN : random.nextInt(40) / 8.0);
                        }
                    }
                    cells.put("phase", random.nextBoolean() ? "train" : "val");
                    t.appendRow(cells);
                }
            }
            if (i % 3 == 1) {
                try {
                    Files.deleteIfExists(dir.resolve(id).resolve(RunSummary.FILE_NAME));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            RunSummary written = RunSummary.written(dir.resolve(id));
            if (written != null) {
                cox.store.TableSummary t = written.tables().get("results");
                assertThat(t.keptRowIndexes().length).isLessThanOrEqualTo(cox.store.TableSummary.KEPT_ROWS_LIMIT);
                for (String c : t.schema().keySet()) {
                    if (t.isNumeric(c) && t.count(c) > 0 && !t.keeps(t.minRow(c))) {
                        notKept++;
                    }
                }
            }
        }
        assertThat(notKept).as("columns whose least row is not kept").isGreaterThan(20);
        RunQuery base = RunQuery.of("results").metadataTable("metadata");
        List<RunQuery> queries = new ArrayList<>();
        queries.add(base.last());
        queries.add(base.summary());
        queries.add(base.summary().groupBy(List.of("opt")));
        queries.add(base.last().groupBy(List.of("lr")));
        for (String c : List.of("m_0_acc", "m_1_loss", "big_3", "big_43", "m_48_loss", "m_49_acc:min", "epoch")) {
            queries.add(base.best(c));
        }
        queries.add(base.best("m_29_loss:max").groupBy(List.of("opt")).baseline("opt == sgd"));
        queries.add(base.last().where("m_40_loss.min < 1 and big_13.max > 0 and m_35_acc.best >= 4"));
        queries.add(base.last().show(List.of("rows", "big_23.min", "big_23.max", "m_44_loss.best", "m_45_loss.mean")));
        int answered = 0;
        for (int pass = 0; pass < 2; pass++) {
            try (CollectionReader exact = CollectionReader.builder(dir).useSummaries(false).clock(CLOCK).build();
                    CollectionReader fast = CollectionReader.builder(dir).clock(CLOCK).runIndex(RunIndex.load(cache, dir))
                            .build()) {
                for (RunQuery q : queries) {
                    String what = "pass " + pass + ": " + q;
                    QueryResult[] both = bothAnswers(q, exact, fast, what);
                    if (both == null) {
                        continue;
                    }
                    assertSameFrames(both[0].frame(), both[1].frame(), what);
                    answered++;
                }
            }
        }
        assertThat(answered).as("queries answered (not refused alike)").isEqualTo(2 * queries.size());
    }

    /**
     * The answers of the full read and of the summaries to {@code q}, or null when both refuse it
     * alike (a {@link QueryException} with the same message).
     */
    private static QueryResult[] bothAnswers(RunQuery q, CollectionReader exact, CollectionReader fast, String what) {
        QueryResult e;
        try {
            e = q.run(exact);
        } catch (QueryException ex) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> q.run(fast)).as(what)
                    .isInstanceOf(QueryException.class).hasMessage(ex.getMessage());
            return null;
        }
        return new QueryResult[] {e, q.run(fast)};
    }
}
