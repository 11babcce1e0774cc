package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.summary.RunSummaries;
import cox.readers.summary.Statistic;
import cox.testing.Interop;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cox export} run as a user runs it, its files read back by another engine than the one
 * that wrote them where one is at hand: Parquet by DuckDB here (and by Spark in the spark
 * module's tests; Debian has no pyarrow for pandas), CSV and JSON lines by real pandas. The
 * expected cells come from {@link CollectionReader} on the same folder. Runs are read two at a
 * time ({@code --batch-runs 2}), so columns that appear in later runs and INT/FLOAT merging
 * across batches are covered.
 */
class ExportCommandEndToEndTest {
    static final String[] KEEP = {"config", "obj", "pick"};
    static final List<String> TABLES = List.of("metadata", "objects", "results", "special");

    @TempDir
    static Path work;
    static Path runs;

    @BeforeAll
    static void collection() throws IOException {
        runs = PythonCoxRuns.copyAll(SweepRuns.COMMAND_LINE.write(work.resolve("runs"), "run-%02d", 6));
    }

    static DataFrame expected(String table, String... keep) {
        try (CollectionReader reader = CollectionReader.open(runs)) {
            return reader.df(table, DfOptions.defaults().keepSerialized(keep));
        }
    }

    static DataFrame duckdb(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + RunDatabase.literal(file.toString()) + ")")) {
            return SqlResults.frame(rs);
        }
    }

    static void assertSameCells(DataFrame actual, DataFrame expected, String what) {
        assertThat(actual.getColumnsIndex().toArray()).as(what).containsExactly(expected.getColumnsIndex().toArray());
        assertThat(actual.height()).as(what).isEqualTo(expected.height());
        for (String c : expected.getColumnsIndex().toArray()) {
            for (int r = 0; r < expected.height(); r++) {
                Object want = expected.getColumn(c).get(r);
                Object got = actual.getColumn(c).get(r);
                String where = what + " column " + c + " row " + r;
                if (want instanceof Double d) {
                    assertThat(got).as(where).isInstanceOf(Double.class);
                    assertThat(Double.doubleToRawLongBits((Double) got)).as(where + ": " + got + " vs " + d)
                            .isEqualTo(Double.doubleToRawLongBits(d));
                } else {
                    assertThat(got).as(where).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void parquet_readByDuckDb_equalsTheReader_cellForCell() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "-o", "parquet", "--keep-serialized", String.join(",", KEEP),
                "--batch-runs", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        Path out = work.resolve("parquet");
        for (String t : TABLES) {
            assertSameCells(duckdb(out.resolve(t + ".parquet")), expected(t, KEEP), t);
        }
        assertThat(r.out()).contains("parquet/results.parquet  " + expected("results").height() + " rows\n")
                .contains("parquet/runs.parquet  9 runs\n");
        assertThat(r.err()).matches("cox export: \\d+ rows of 9 runs in [0-9.]+ s \\(\\d+ rows/s\\)\n");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("metadata.parquet",
                    "objects.parquet", "results.parquet", "runs.parquet", "special.parquet");
        }
    }

    @Test
    void runsFile_oneRowPerRun_parametersAndSummaries() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "-o", "runs-only", "--table", "metadata", "--batch-runs", "4");
        assertThat(r.exit()).as(r.toString()).isZero();
        DataFrame runsFile = duckdb(work.resolve("runs-only/runs.parquet"));
        DataFrame results = expected("results");
        DataFrame summary = RunSummaries.summary(results, RunSummaries.metricColumns(results),
                List.of(Statistic.FIRST, Statistic.LAST, Statistic.MIN, Statistic.MAX, Statistic.MEAN));
        List<String> columns = List.of(runsFile.getColumnsIndex().toArray());
        assertThat(columns.subList(0, 7)).containsExactly("exp_id", "status", "running", "last_write", "lr", "epochs",
                "optimizer");
        assertThat(columns).contains("results.rows", "results.short", "results.loss.first", "results.grad_norm.mean",
                "results.loss.count", "special.x.max").doesNotContain("metadata.lr.first", "rows(results)");
        assertThat(runsFile.height()).isEqualTo(9);
        for (int i = 0; i < 9; i++) {
            assertThat(runsFile.getColumn("exp_id").get(i)).isEqualTo(summary.getColumn("exp_id").get(i));
            assertThat(runsFile.getColumn("running").get(i)).isEqualTo(false);
            assertThat(runsFile.getColumn("status").get(i)).isIn(((String) runsFile.getColumn("exp_id").get(i)).startsWith("exp-")
                    ? List.of("active", "idle") : List.of("closed"));
            assertThat((String) runsFile.getColumn("last_write").get(i)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            String id = (String) summary.getColumn("exp_id").get(i);
            for (String m : RunSummaries.metricColumns(results)) {
                boolean has = false;
                for (int row = 0; row < results.height(); row++) {
                    has |= results.getColumn("exp_id").get(row).equals(id) && results.getColumn(m).get(row) != null;
                }
                for (Statistic s : List.of(Statistic.FIRST, Statistic.LAST, Statistic.MIN, Statistic.MAX, Statistic.MEAN)) {
                    Object want = has ? summary.getColumn(s.label(m)).get(i) : null; // no column, no statistics
                    Object got = runsFile.getColumn("results." + m + "." + s.name().toLowerCase(java.util.Locale.ROOT)).get(i);
                    if (want == null || got == null) {
                        assertThat(got).as(s.label(m) + " " + i).isEqualTo(want);
                    } else {
                        assertThat(((Number) got).doubleValue()).as(s.label(m) + " " + i)
                                .isEqualTo(((Number) want).doubleValue());
                    }
                }
            }
        }
        assertThat(work.resolve("runs-only/results.parquet")).doesNotExist();
    }

    @Test
    void objectCells_areJson_byDefault() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "-o", "json-objects", "--table", "metadata", "--no-runs");
        assertThat(r.exit()).as(r.toString()).isZero();
        DataFrame meta = duckdb(work.resolve("json-objects/metadata.parquet"));
        DataFrame decoded = expected("metadata");
        ObjectMapper mapper = new ObjectMapper();
        int checked = 0;
        for (int i = 0; i < decoded.height(); i++) {
            Object want = decoded.getColumn("config").get(i);
            if (want != null) {
                String got = mapper.writeValueAsString(meta.getColumn("config").get(i));
                assertThat(got).isEqualTo(mapper.writeValueAsString(FrameWriter.jsonValue(want)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);
        assertThat(work.resolve("json-objects/runs.parquet")).doesNotExist();
    }

    @Test
    void where_selectsRuns_byParameters() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "-o", "adam", "--where", "optimizer in (adam, adamw)", "--batch-runs", "3");
        assertThat(r.exit()).as(r.toString()).isZero();
        Set<String> ids = new LinkedHashSet<>();
        DataFrame results = duckdb(work.resolve("adam/results.parquet"));
        for (int i = 0; i < results.height(); i++) {
            ids.add((String) results.getColumn("exp_id").get(i));
        }
        assertThat(ids).containsExactly("exp-1", "exp-2", "run-01", "run-02", "run-04", "run-05");
        assertThat(duckdb(work.resolve("adam/runs.parquet")).getColumn("exp_id").toList())
                .containsExactly("exp-1", "exp-2", "run-01", "run-02", "run-04", "run-05");

        CliProcess.Result bad = cox(work, "export", "runs", "-o", "bad", "--where", "loss < 1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("cox export: --where: 'loss' is neither exp_id, status nor a parameter "
                + "(the parameters are lr, epochs, optimizer, nesterov, config): this filter chooses whole runs;");
        CliProcess.Result syntax = cox(work, "export", "runs", "-o", "bad", "--where", "lr <");
        assertThat(syntax.exit()).isEqualTo(2);
        assertThat(syntax.err()).startsWith("cox export: --where: ");
        CliProcess.Result table = cox(work, "export", "runs", "-o", "bad", "--table", "resutls");
        assertThat(table.exit()).isEqualTo(2);
        assertThat(table.err()).isEqualTo("cox export: no run in " + runs.toAbsolutePath() + " has a table 'resutls'; "
                + "the tables are metadata, objects, results, special\nTry 'cox export --help' for more information.\n");
    }

    /** The cells pandas read, checked against the reader's: see read_export.py for the encoding. */
    static void assertPandasCells(JsonNode read, DataFrame expected, boolean csv, String what) {
        List<String> columns = new ArrayList<>();
        read.get("columns").forEach(n -> columns.add(n.asText()));
        assertThat(columns).as(what).containsExactly(expected.getColumnsIndex().toArray());
        JsonNode rows = read.get("rows");
        assertThat(rows.size()).as(what).isEqualTo(expected.height());
        for (int c = 0; c < columns.size(); c++) {
            for (int r = 0; r < expected.height(); r++) {
                Object want = expected.getColumn(c).get(r);
                JsonNode got = rows.get(r).get(c);
                String kind = got.get(0).asText();
                String where = what + " column " + columns.get(c) + " row " + r + ": " + got;
                boolean missing = kind.equals("null") || (kind.equals("float") && got.get(1).asText().equals("nan"));
                if (want == null || (csv && "".equals(want))) {
                    assertThat(missing).as(where).isTrue(); // pandas reads an empty CSV field as NaN
                } else if (want instanceof Double d) {
                    assertThat(kind).as(where).isEqualTo("float");
                    double x = python(got.get(1).asText());
                    if (!csv && !Double.isFinite(d)) {
                        assertThat(x).as(where).isNaN(); // JSON lines: NaN and infinities are null
                    } else {
                        assertThat(Double.doubleToRawLongBits(x)).as(where).isEqualTo(Double.doubleToRawLongBits(d));
                    }
                } else if (want instanceof Long l) {
                    assertThat(kind.equals("int") ? got.get(1).asLong() : (long) python(got.get(1).asText())).as(where).isEqualTo(l);
                } else if (want instanceof Boolean b) {
                    if (kind.equals("float")) { // pandas' read_json makes a bool column with nulls float 1.0/0.0/NaN
                        assertThat(python(got.get(1).asText())).as(where).isEqualTo(b ? 1.0 : 0.0);
                    } else {
                        assertThat(kind).as(where).isEqualTo("bool");
                        assertThat(got.get(1).asBoolean()).as(where).isEqualTo(b);
                    }
                } else {
                    assertThat(kind).as(where).isEqualTo("str");
                    assertThat(got.get(1).asText()).as(where).isEqualTo(want);
                }
            }
        }
    }

    static double python(String repr) {
        return switch (repr) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(repr);
        };
    }

    static JsonNode pandas(String kind, Path file) throws Exception {
        Path script = Path.of("src/test/resources/python/read_export.py").toAbsolutePath();
        CliProcess.Result r = CliProcess.run(work, Map.of(), List.of("/usr/bin/python3", script.toString(), kind, file.toString()));
        assertThat(r.exit()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    @Interop
    void csv_readByPandas_equalsTheReader() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "--format", "csv", "-o", "csv", "--keep-serialized",
                String.join(",", KEEP), "--batch-runs", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        for (String t : TABLES) {
            assertPandasCells(pandas("csv", work.resolve("csv/" + t + ".csv")), expected(t, KEEP), true, t + ".csv");
        }
        JsonNode runsFile = pandas("csv", work.resolve("csv/runs.csv"));
        assertThat(runsFile.get("rows").size()).isEqualTo(9);
        assertThat(runsFile.get("columns").get(0).asText()).isEqualTo("exp_id");
    }

    @Test
    @Interop
    void jsonLines_readByPandas_equalsTheReader() throws Exception {
        CliProcess.Result r = cox(work, "export", "runs", "--format", "jsonl", "-o", "jsonl", "--keep-serialized",
                String.join(",", KEEP), "--batch-runs", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        for (String t : TABLES) {
            assertPandasCells(pandas("jsonl", work.resolve("jsonl/" + t + ".jsonl")), expected(t, KEEP), false, t + ".jsonl");
        }
        JsonNode runsFile = pandas("jsonl", work.resolve("jsonl/runs.jsonl"));
        assertThat(runsFile.get("rows").size()).isEqualTo(9);
    }
}
