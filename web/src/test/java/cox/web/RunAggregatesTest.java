package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.ShortRuns;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregates /api/runs keeps between requests ({@link RunAggregates}) equal a fresh
 * computation over every run (the column union, the short runs, each metric's range) after runs
 * appear, change and disappear, with one instance kept throughout as the server keeps it.
 */
class RunAggregatesTest {
    @TempDir
    Path dir;

    private void run(String expId, Map<String, Object> params, Schema results, int rows) {
        try (Store store = Store.open(dir, expId)) {
            if (store.keys().isEmpty()) {
                store.addTableLikeExample("metadata", params).appendRow(params);
                store.addTable("results", results);
            }
            Table t = store.table("results");
            long from = t.nrows();
            for (long e = from; e < from + rows; e++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (Map.Entry<String, ColumnType> c : results.entrySet()) {
                    row.put(c.getKey(), switch (c.getValue()) {
                        case INT -> e;
                        case STR -> "s" + e;
                        default -> 1.0 / (e + 1) + params.hashCode() % 7;
                    });
                }
                t.appendRow(row);
            }
        }
    }

    private static Map<String, Object> params(Object lr, String optimizer, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lr", lr);
        p.put("optimizer", optimizer);
        p.put("seed", seed);
        return p;
    }

    private static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT);

    /** The aggregates as the server worked them out before they were kept: over every run, from scratch. */
    private static RunAggregates.Aggregates fresh(SummaryCache cache, List<ListedRun> runs, String table) {
        ColumnUnion columns = ColumnUnion.of(cache.knownContents(runs), table);
        Map<String, double[]> ranges = new HashMap<>();
        Map<String, Map<String, Object>> parameters = new HashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (ListedRun r : runs) {
            TableSummary s = cache.knownSummary(r, table);
            if (s != null) {
                s.metrics().forEach((name, m) -> {
                    if (m.count() > 0) {
                        double[] range = ranges.computeIfAbsent(name,
                                k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                        range[0] = Math.min(range[0], m.min());
                        range[1] = Math.max(range[1], m.max());
                    }
                });
            }
            TableSummary now = cache.summary(r, table);
            if (now != null && now.rows() >= 0) {
                parameters.put(r.expId, cache.contents(r).params());
                rows.put(r.expId, now.rows());
            }
        }
        Map<String, Boolean> shortRuns = new HashMap<>();
        var shortOnes = ShortRuns.of(parameters, rows);
        rows.keySet().forEach(id -> shortRuns.put(id, shortOnes.contains(id)));
        return new RunAggregates.Aggregates(List.of(), columns, shortRuns, ranges);
    }

    private static void assertSame(RunAggregates.Aggregates kept, RunAggregates.Aggregates fresh) {
        assertThat(List.copyOf(kept.columns().tables)).isEqualTo(List.copyOf(fresh.columns().tables));
        assertThat(List.copyOf(kept.columns().params.entrySet())).isEqualTo(List.copyOf(fresh.columns().params.entrySet()));
        assertThat(List.copyOf(kept.columns().metrics.entrySet())).isEqualTo(List.copyOf(fresh.columns().metrics.entrySet()));
        assertThat(List.copyOf(kept.columns().otherColumns)).isEqualTo(List.copyOf(fresh.columns().otherColumns));
        assertThat(kept.shortRuns()).isEqualTo(fresh.shortRuns());
        assertThat(kept.ranges().keySet()).isEqualTo(fresh.ranges().keySet());
        fresh.ranges().forEach((m, r) -> assertThat(kept.ranges().get(m)).as(m).containsExactly(r));
    }

    private void check(RunScanner scanner, SummaryCache cache, RunAggregates kept) {
        RunScanner.Listing snap = scanner.refresh();
        cache.summarize(snap.runs(), "results");
        assertSame(kept.of(snap, "results"), fresh(cache, snap.runs(), "results"));
        assertSame(kept.of(snap, null), fresh(cache, snap.runs(), null));
        assertSame(kept.of(snap, "results"), fresh(cache, snap.runs(), "results"));
    }

    @Test
    void keptAggregates_equalAFreshComputation_asRunsAppearChangeAndGo() throws Exception {
        for (int i = 0; i < 6; i++) {
            run("run-" + i, params(i < 3 ? 0.1 : 0.01, "adam", i % 3), RESULTS, 3 + i % 2);
        }
        try (RunScanner scanner = new RunScanner(dir, 0, () -> { });
             SummaryCache cache = new SummaryCache(dir, "metadata", 2, 1 << 20, null, null)) {
            RunAggregates kept = new RunAggregates(cache);
            check(scanner, cache, kept);
            assertThat(kept.of(scanner.refresh(), "results").shortRuns()).containsEntry("run-0", true)
                    .containsEntry("run-1", false);

            // a run whose lr is text (the column becomes text), one with another column, first in the listing
            run("a-text", params("fast", "sgd", 0), RESULTS, 2);
            run("b-wider", params(0.1, "adam", 9), Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR, "grad", ColumnType.FLOAT), 5);
            check(scanner, cache, kept);
            assertThat(kept.of(scanner.refresh(), "results").columns().params).containsEntry("lr", ColumnType.STR);
            assertThat(List.copyOf(kept.of(scanner.refresh(), "results").columns().metrics.keySet()))
                    .containsExactly("epoch", "loss", "acc", "grad"); // a-text's columns come first

            // a run grows: the others of its group become short, it is no longer
            run("run-0", params(0.1, "adam", 0), RESULTS, 10);
            check(scanner, cache, kept);
            assertThat(kept.of(scanner.refresh(), "results").shortRuns()).containsEntry("run-0", false)
                    .containsEntry("run-1", true);

            // runs go: the text lr and the wider columns go with them
            deleteRun("a-text");
            deleteRun("b-wider");
            check(scanner, cache, kept);
            assertThat(kept.of(scanner.refresh(), "results").columns().params).containsEntry("lr", ColumnType.FLOAT);
            assertThat(kept.of(scanner.refresh(), "results").ranges()).doesNotContainKey("grad");

            // a run whose store cannot be read any more
            Files.write(dir.resolve("run-5/store.h5"), new byte[] {1, 2, 3});
            check(scanner, cache, kept);
        }
    }

    private void deleteRun(String expId) throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve(expId))) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        }
        assertThat(Arrays.asList(dir.toFile().list())).doesNotContain(expId);
    }
}
