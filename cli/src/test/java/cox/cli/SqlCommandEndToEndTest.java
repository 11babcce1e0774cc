package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.summary.RunSummaries;
import cox.readers.summary.Statistic;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cox sql} run as a user runs it (its own process) on cox4j's and Python cox's runs; the
 * expected answers come from {@link CollectionReader} and {@link RunSummaries} on the same folder.
 */
class SqlCommandEndToEndTest {
    @TempDir
    static Path work;
    static Path runs;
    static DataFrame joined;

    @BeforeAll
    static void collection() throws IOException {
        runs = PythonCoxRuns.copyAll(SweepRuns.COMMAND_LINE.write(work.resolve("runs"), "run-%02d", 6));
        try (CollectionReader reader = CollectionReader.open(runs)) {
            joined = reader.df("results", DfOptions.defaults().metadataTable("metadata"));
        }
    }

    static List<Map<String, String>> csv(String text) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<Map<String, String>> rows = new ArrayList<>();
        try (var it = mapper.readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader()).<Map<String, String>>readValues(text)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void groupByAParameter_joinedOnExpId_equalsTheReader() throws IOException {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT optimizer, count(*) AS n, sum(epoch) AS epochs, "
                + "count(DISTINCT exp_id) AS runs FROM results JOIN metadata USING (exp_id) GROUP BY optimizer ORDER BY optimizer",
                "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, long[]> want = new TreeMap<>();
        for (int i = 0; i < joined.height(); i++) {
            long[] w = want.computeIfAbsent((String) joined.getColumn("optimizer").get(i), k -> new long[2]);
            w[0]++;
            w[1] += (Long) joined.getColumn("epoch").get(i);
        }
        List<String> got = new ArrayList<>();
        for (Map<String, String> row : csv(r.out())) {
            got.add(row.get("optimizer") + " " + row.get("n") + " " + row.get("epochs"));
        }
        List<String> expected = new ArrayList<>();
        want.forEach((k, v) -> expected.add(k + " " + v[0] + " " + v[1]));
        assertThat(got).isEqualTo(expected).hasSize(3);
    }

    @Test
    void everyCell_throughSql_equalsTheReader() throws IOException {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT * FROM results", "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        DataFrame results;
        try (CollectionReader reader = CollectionReader.open(runs)) {
            results = reader.df("results");
        }
        assertThat(rows).hasSize(results.height());
        String[] names = results.getColumnsIndex().toArray();
        for (int i = 0; i < results.height(); i++) {
            JsonNode row = rows.get(i);
            assertThat(row.fieldNames()).toIterable().containsExactly(names);
            for (String c : names) {
                Object want = results.getColumn(c).get(i);
                JsonNode got = row.get(c);
                String where = c + " row " + i;
                if (want == null || (want instanceof Double d && !Double.isFinite(d))) {
                    assertThat(got.isNull()).as(where).isTrue(); // JSON has no NaN: null, as pandas writes it
                } else if (want instanceof Double d) {
                    assertThat(Double.doubleToRawLongBits(got.asDouble())).as(where).isEqualTo(Double.doubleToRawLongBits(d));
                } else if (want instanceof Long l) {
                    assertThat(got.asLong()).as(where).isEqualTo(l);
                } else if (want instanceof Boolean b) {
                    assertThat(got.asBoolean()).as(where).isEqualTo(b);
                } else {
                    assertThat(got.asText()).as(where).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void runsTable_oneRowPerRun_withParametersAndSummaries() throws IOException {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT exp_id, status, lr, optimizer, \"results.rows\", \"results.loss.min\", "
                + "\"results.epoch.last\", \"results.acc.mean\", \"results.loss.count\", \"results.short\" FROM runs ORDER BY exp_id",
                "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        DataFrame summary = RunSummaries.summary(joined, List.of("loss", "epoch", "acc"),
                List.of(Statistic.FIRST, Statistic.LAST, Statistic.MIN, Statistic.MAX, Statistic.MEAN));
        assertThat(rows).hasSize(summary.height()).hasSize(9);
        for (int i = 0; i < summary.height(); i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("exp_id").asText()).isEqualTo(summary.getColumn("exp_id").get(i));
            double min = ((Number) summary.getColumn("loss.min").get(i)).doubleValue();
            assertThat(row.get("results.loss.min").asDouble()).isEqualTo(min);
            assertThat(row.get("results.epoch.last").asLong()).isEqualTo(summary.getColumn("epoch.last").get(i));
            // cox4j's runs were closed cleanly; Python cox's carry no marks: active or idle by their files' age
            assertThat(row.get("status").asText()).isIn(row.get("exp_id").asText().startsWith("exp-")
                    ? List.of("active", "idle") : List.of("closed"));
            long numbers = 0;
            for (int k = 0; k < joined.height(); k++) {
                if (joined.getColumn("exp_id").get(k).equals(row.get("exp_id").asText())
                        && joined.getColumn("loss").get(k) instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    numbers++;
                }
            }
            assertThat(row.get("results.loss.count").asLong()).as("numbers of loss in %s", row.get("exp_id")).isEqualTo(numbers);
            assertThat(row.get("results.acc.mean").asDouble())
                    .isEqualTo(((Number) summary.getColumn("acc.mean").get(i)).doubleValue());
        }
        assertThat(rows.get(0).get("exp_id").asText()).isEqualTo("exp-0");
        assertThat(rows.get(0).get("lr").asDouble()).isEqualTo(0.1);
        assertThat(rows.get(0).get("results.rows").asLong()).isEqualTo(20);
        assertThat(rows.get(3).get("optimizer").asText()).isEqualTo("sgd");
        assertThat(rows.get(3).get("results.rows").asLong()).isEqualTo(3);
    }

    @Test
    void objectCells_areJson_queryable() throws IOException {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT exp_id, config->>'depth' AS depth, config->'layers' AS layers "
                + "FROM metadata WHERE config IS NOT NULL ORDER BY exp_id", "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(6);
        assertThat(rows.get(2).get("exp_id").asText()).isEqualTo("run-02");
        assertThat(rows.get(2).get("depth").asText()).isEqualTo("2");
        assertThat(rows.get(2).get("layers").toString()).isEqualTo("[64,32]");
        CliProcess.Result kept = cox(work, "sql", "runs", "SELECT config FROM metadata WHERE exp_id = 'run-02'",
                "--keep-serialized", "config", "--format", "csv");
        try (CollectionReader reader = CollectionReader.open(runs);
                var store = reader.store("run-02")) {
            String stored = (String) store.table("metadata").df().getColumn("config").get(0);
            assertThat(csv(kept.out()).get(0).get("config")).isEqualTo(stored);
        }
    }

    @Test
    void onlyTheTablesTheQueryNames_areRead() {
        CliProcess.Result one = cox(work, "sql", "runs",
                "SELECT string_agg(table_name, ',' ORDER BY table_name) AS t FROM duckdb_tables() -- metadata", "--format", "csv");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.out()).isEqualTo("t\nmetadata\n");
        CliProcess.Result all = cox(work, "sql", "runs",
                "SELECT string_agg(table_name, ',' ORDER BY table_name) AS t FROM duckdb_tables()", "--format", "csv");
        assertThat(all.out()).isEqualTo("t\n\"metadata,objects,results,runs,special\"\n");
    }

    @Test
    void tableFormat_isTheCliTable() {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT exp_id, loss FROM results WHERE exp_id = 'run-02' ORDER BY epoch");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                exp_id  loss
                ------  ----
                run-02   3.0
                run-02   nan
                run-02  -0.0
                run-02  2.25
                run-02   2.2
                """);
    }

    @Test
    void badSql_isOneLineNamingTheQuery() {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT * FORM results");
        assertThat(r.exit()).isEqualTo(2); // the query is wrong: a usage error
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("cox sql: Parser Error: syntax error at or near \"results\" (query: SELECT * FORM results)\n"
                + "Try 'cox sql --help' for more information.\n");
        CliProcess.Result missing = cox(work, "sql", "runs", "SELECT nope FROM results");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("cox sql: Binder Error: Referenced column \"nope\" not found in FROM clause!")
                .endsWith("(query: SELECT nope FROM results)\nTry 'cox sql --help' for more information.\n")
                .doesNotContain("\tat ");
    }

    @Test
    void unreadableRun_failsNamingIt_orIsSkipped() throws IOException {
        Path broken = PythonCoxRuns.copyAll(SweepRuns.COMMAND_LINE.write(work.resolve("with-broken"), "run-%02d", 6));
        Files.writeString(Files.createDirectories(broken.resolve("run-99")).resolve("store.h5"), "not HDF5");
        CliProcess.Result r = cox(work, "sql", "with-broken", "SELECT count(*) AS n FROM results", "--format", "csv");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("cox sql: ").contains("run-99").contains(broken.resolve("run-99").resolve("store.h5").toString());
        CliProcess.Result skipped = cox(work, "sql", "with-broken", "SELECT count(*) AS n FROM results", "--format", "csv",
                "--skip-errors");
        assertThat(skipped.exit()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).isEqualTo("n\n" + joined.height() + "\n");
        assertThat(skipped.err()).startsWith("cox sql: skipped experiment run-99: ").hasLineCount(1);
    }
}
