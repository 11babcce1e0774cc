package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.testing.LiveRun;
import cox.testing.PythonCoxRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code cox} command, run in its own process on real stores: three finished runs, one
 * run another process is writing, and one unreadable run.
 */
class CoxCommandEndToEndTest {
    @TempDir
    static Path work;

    static Path runs;
    static Process live;
    static BufferedReader liveOut;

    @BeforeAll
    static void collection() throws Exception {
        runs = Files.createDirectories(work.resolve("runs"));
        writeRun(runs, "a", 0.1, "sgd", List.of(64L, 32L), new double[] {1.0, 0.5, 0.25});
        writeRun(runs, "b", 0.01, "adam", List.of(64L, 32L), new double[] {0.9, 0.4, 0.2, 0.3});
        writeRun(runs, "c", 0.01, "sgd", List.of(128L), new double[] {0.8, Double.NaN});
        Path broken = Files.createDirectories(runs.resolve("broken"));
        Files.writeString(broken.resolve("store.h5"), "not an HDF5 file, but a store.h5 all the same");
        Map<String, Object> liveParameters = new LinkedHashMap<>();
        liveParameters.put("lr", 0.5);
        liveParameters.put("optimizer", "live");
        liveParameters.put("layers", List.of(8L));
        liveParameters.put("seed", 99L);
        live = LiveRun.start(runs, "live", Duration.ofMillis(20), liveParameters);
        liveOut = new BufferedReader(new InputStreamReader(live.getInputStream()));
        assertThat(liveOut.readLine()).isEqualTo("ready");
        assertThat(liveOut.readLine()).isEqualTo("0"); // a first row is flushed
    }

    static void writeRun(Path dir, String id, double lr, String optimizer, List<Long> layers, double[] losses) {
        try (Store s = Store.open(dir, id)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("optimizer", optimizer);
            meta.put("layers", layers);
            meta.put("seed", 7L);
            s.addTableLikeExample("metadata", meta).appendRow(meta);
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT));
            for (int e = 0; e < losses.length; e++) {
                s.logTableAndTb("results", Map.of("epoch", (long) e, "loss", losses[e], "acc", 0.1 * (e + 1)));
                t.flushRow();
            }
        }
    }

    @AfterAll
    static void stopLive() throws Exception {
        live.destroyForcibly();
        live.waitFor(30, TimeUnit.SECONDS);
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
    }

    @Test
    void ls_listsEveryRun_closedRunningUnreadable_inOneWord() {
        CliProcess.Result r = cox(work, "ls", "runs");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> out = lines(r.out());
        assertThat(out.get(0)).startsWith("exp_id").contains("tables (rows)", "last write", "status");
        assertThat(out).hasSize(2 + 5);
        assertThat(out.get(2)).startsWith("a ").contains("metadata 1, results 3").endsWith(" closed");
        assertThat(out.get(3)).startsWith("b ").contains("metadata 1, results 4");
        // the reason is cox show's: the status column stays one word
        assertThat(out.get(4)).startsWith("broken ").endsWith(" unreadable").doesNotContain("store.h5");
        assertThat(out.get(6)).startsWith("live ").endsWith(" running");
        assertThat(r.err()).isEmpty();
        CliProcess.Result show = cox(work, "show", "runs/broken");
        assertThat(show.exit()).as(show.toString()).isEqualTo(1);
        assertThat(show.err()).contains(runs.resolve("broken").resolve("store.h5").toString());
    }

    @Test
    void ls_json_forScripts() throws IOException {
        CliProcess.Result r = cox(work, "ls", "runs", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode runsJson = new ObjectMapper().readTree(r.out());
        assertThat(runsJson).hasSize(5);
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        runsJson.forEach(n -> byId.put(n.get("exp_id").asText(), n));
        assertThat(byId.get("a").get("tables").get("results").asLong()).isEqualTo(3);
        assertThat(byId.get("a").get("running").asBoolean()).isFalse();
        assertThat(byId.get("live").get("running").asBoolean()).isTrue();
        assertThat(byId.get("a").get("status").asText()).isEqualTo("closed");
        assertThat(byId.get("live").get("status").asText()).isEqualTo("running");
        assertThat(byId.get("broken").get("status").asText()).isEqualTo("unreadable");
        assertThat(byId.get("a").get("short")).isEmpty();
        assertThat(byId.get("live").get("tables").get("results").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(byId.get("broken").get("error").asText()).contains("broken");
        assertThat(byId.get("a").get("last_write").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void df_unreadableRun_failsInOneLineNamingIt_stackTraceOnlyWithDebug() {
        CliProcess.Result r = cox(work, "df", "runs", "results");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(lines(r.err())).hasSize(1);
        assertThat(r.err()).startsWith("cox df: ").contains("experiment broken", runs.resolve("broken").resolve("store.h5").toString())
                .doesNotContain("\tat ");
        CliProcess.Result debug = cox(work, "df", "runs", "results", "--debug");
        assertThat(debug.exit()).isEqualTo(1);
        assertThat(debug.err()).startsWith(r.err().trim()).contains("\tat cox.");
    }

    @Test
    void df_skipErrors_readsTheOthers_includingTheLiveRun_andNamesTheSkippedOne() throws Exception {
        long flushed = Long.parseLong(liveOut.readLine()); // a row the live writer has flushed by now
        CliProcess.Result r = cox(work, "df", "runs", "results", "--skip-errors", "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(lines(r.err())).hasSize(1);
        assertThat(r.err()).startsWith("cox df: skipped experiment broken: ").contains(runs.resolve("broken").toString());
        List<Map<String, String>> rows = csv(r.out());
        assertThat(rows.get(0).keySet()).containsExactly("exp_id", "lr", "optimizer", "layers", "seed", "epoch", "loss", "acc");
        assertThat(rows).filteredOn(m -> m.get("exp_id").equals("a")).extracting(m -> m.get("loss"))
                .containsExactly("1.0", "0.5", "0.25");
        assertThat(rows).filteredOn(m -> m.get("exp_id").equals("c")).extracting(m -> m.get("loss")).containsExactly("0.8", "nan");
        assertThat(rows).filteredOn(m -> m.get("exp_id").equals("a")).extracting(m -> m.get("layers"))
                .as("an OBJECT cell as JSON, as export, sql and the page write it").containsOnly("[64,32]");
        List<Map<String, String>> liveRows = rows.stream().filter(m -> m.get("exp_id").equals("live")).toList();
        assertThat(liveRows.size()).isGreaterThan((int) flushed);
        for (int i = 0; i < liveRows.size(); i++) {
            assertThat(liveRows.get(i).get("epoch")).isEqualTo(Integer.toString(i));
            assertThat(liveRows.get(i).get("optimizer")).isEqualTo("live");
        }
    }

    @Test
    void df_whereAndOneRowPerRun() {
        CliProcess.Result r = cox(work, "df", "runs", "results", "--skip-errors", "--where", "optimizer in (sgd, adam)",
                "--where", "loss != nan", "--best", "loss:min", "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<Map<String, String>> rows = csv(r.out());
        assertThat(rows).extracting(m -> m.get("exp_id") + "@" + m.get("epoch") + "=" + m.get("loss"))
                .containsExactly("a@2=0.25", "b@2=0.2", "c@0=0.8");

        CliProcess.Result last = cox(work, "df", "runs", "results", "--skip-errors", "--where", "exp_id ~ ^[abc]$", "--last",
                "--only-changed", "--sort", "lr:desc", "--format", "csv");
        assertThat(last.exit()).as(last.toString()).isZero();
        List<Map<String, String>> lastRows = csv(last.out());
        assertThat(lastRows.get(0).keySet()).containsExactly("exp_id", "lr", "optimizer", "layers", "epoch", "loss", "acc");
        assertThat(lastRows).extracting(m -> m.get("exp_id")).containsExactly("a", "b", "c");

        CliProcess.Result summary = cox(work, "df", "runs", "results", "--skip-errors", "--where", "0.01 <= lr <= 0.1",
                "--summary", "--columns", "exp_id,lr,loss.last,loss.min,acc.mean", "--format", "csv");
        assertThat(summary.exit()).as(summary.toString()).isZero();
        assertThat(summary.out()).isEqualTo("exp_id,lr,loss.last,loss.min,acc.mean\n"
                + "a,0.1,0.25,0.25,0.20000000000000004\n"
                + "b,0.01,0.3,0.2,0.25\n"
                + "c,0.01,nan,0.8,0.15000000000000002\n");
    }

    @Test
    void df_formats_jsonMarkdownTable_andOutputFile() throws IOException {
        CliProcess.Result json = cox(work, "df", "runs", "results", "--where", "exp_id == c", "--skip-errors", "--format", "json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("layers").toString()).isEqualTo("[128]");
        assertThat(rows.get(0).get("seed").asLong()).isEqualTo(7);
        assertThat(rows.get(1).get("loss").isNull()).isTrue(); // NaN, as pandas' to_json writes it

        CliProcess.Result md = cox(work, "df", "runs", "results", "--where", "exp_id == a", "--skip-errors", "--format",
                "markdown", "--columns", "exp_id,epoch,loss");
        assertThat(md.out()).isEqualTo("| exp_id | epoch | loss |\n|---|---:|---:|\n| a | 0 | 1.0 |\n| a | 1 | 0.5 |\n"
                + "| a | 2 | 0.25 |\n");

        CliProcess.Result table = cox(work, "df", "runs", "results", "--where", "exp_id == a and epoch == 0", "--skip-errors",
                "--columns", "exp_id,optimizer,loss");
        assertThat(table.out()).isEqualTo("exp_id  optimizer  loss\n------  ---------  ----\na       sgd         1.0\n");

        Files.createDirectories(work.resolve("out")); // -o makes no folder
        CliProcess.Result file = cox(work, "df", "runs", "results", "--skip-errors", "--last", "-o", "out/last.csv",
                "--format", "csv");
        assertThat(file.exit()).as(file.toString()).isZero();
        assertThat(file.out()).isEmpty();
        assertThat(csv(Files.readString(work.resolve("out/last.csv")))).extracting(m -> m.get("exp_id"))
                .containsExactly("a", "b", "c", "live");
    }

    /** Issue 17, finding 5: without the regex budget this filter runs for years (CliProcess gives up after 180 s). */
    @Test
    void df_whereWithBacktrackingRegex_exitsTwoNamingTheRegexAndTheBudget() {
        Path runs = work.resolve("uuid-runs");
        try (Store s = Store.open(runs)) { // a uuid4 exp_id: 36 characters to backtrack over
            s.addTable("results", Schema.of("loss", ColumnType.FLOAT)).appendRow(Map.of("loss", 0.5));
        }
        CliProcess.Result r = cox(work, "df", "uuid-runs", "results", "--where", "exp_id ~ '(.*.){12}!'");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains("cox df: --where: the filter's regex '(.*.){12}!' was stopped on column "
                + "exp_id (a value of 36 characters)").contains("after reading 1,000,000 characters, the budget of one match")
                .contains("Try 'cox df --help' for more information.");
    }

    @Test
    void usageErrors_exitTwo_withAOneLineMessage() {
        CliProcess.Result bad = cox(work, "df", "runs", "results", "--where", "lr < 0.1 and (optimizer == adam");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(lines(bad.err())).containsExactly(
                "cox df: --where: expected ')' to close the '(' at character 14, but found the end of the filter at character 32:"
                        + " lr < 0.1 and (optimizer == adam^",
                "Try 'cox df --help' for more information.");
        assertThat(cox(work, "df", "runs").exit()).isEqualTo(2);
        assertThat(cox(work, "df", "runs", "results", "--format", "xml").err()).startsWith("cox df: Invalid value for option '--format'");
        assertThat(cox(work, "df", "runs", "results", "--last", "--summary").exit()).isEqualTo(2);
        CliProcess.Result col = cox(work, "df", "runs", "results", "--skip-errors", "--sort", "los");
        assertThat(col.exit()).isEqualTo(2);
        assertThat(lines(col.err())).containsExactly(lines(col.err()).get(0), "cox df: --sort: no column 'los'; the columns are"
                + " exp_id, lr, optimizer, layers, seed, epoch, loss, acc", "Try 'cox df --help' for more information.");
        assertThat(lines(col.err()).get(0)).startsWith("cox df: skipped experiment broken: ");
        CliProcess.Result noTable = cox(work, "df", "runs", "nope", "--skip-errors");
        assertThat(noTable.exit()).as("an unknown table is a usage error").isEqualTo(2);
        assertThat(noTable.err()).isEqualTo("cox df: skipped experiment broken: " + lines(noTable.err()).get(0).substring(
                "cox df: skipped experiment broken: ".length()) + "\ncox df: no run in " + runs + " has a table 'nope'; the"
                + " tables are metadata, results\nTry 'cox df --help' for more information.\n");
        CliProcess.Result missingDir = cox(work, "ls", "no-such-folder");
        assertThat(missingDir.exit()).isEqualTo(1);
        assertThat(missingDir.err()).isEqualTo("cox ls: not a folder of experiments: " + work.resolve("no-such-folder") + "\n");
    }

    @Test
    void version_isTheBuildsVersion() {
        CliProcess.Result r = cox(work, "--version");
        assertThat(r.exit()).isZero();
        assertThat(lines(r.out()).get(0)).isEqualTo("cox4j " + System.getProperty("cox.version"));
        assertThat(System.getProperty("cox.version")).isNotBlank().isNotEqualTo("unknown");
        // main answers --version and -V alone without picocli; --debug --version goes through picocli
        assertThat(cox(work, "-V").out()).isEqualTo(r.out());
        CliProcess.Result parsed = cox(work, "--debug", "--version");
        assertThat(parsed.exit()).isZero();
        assertThat(parsed.out()).isEqualTo(r.out());
    }

    @Test
    void help_everyCommandExplainsItselfWithAnExample() {
        for (String command : new String[] {"ls", "show", "df", "diff", "tensorboard-view", "demo", "generate-completion"}) {
            CliProcess.Result r = cox(work, command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: cox " + command).contains("Example");
        }
        assertThat(cox(work, "--help").out()).contains("ls", "show", "df", "diff", "tensorboard-view", "demo", "Examples:");
    }

    @Test
    void show_andDiff() {
        CliProcess.Result show = cox(work, "show", "runs/a");
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains("run a (" + runs.resolve("a") + "), closed\n", "table metadata: 1 row\n",
                "schema: lr float, optimizer str, layers __object__, seed int\n", "list, 2 items",
                "table results: 3 rows\n", "schema: epoch int, loss float, acc float\n");
        assertThat(cox(work, "show", "runs/live", "results").out()).startsWith("run live (").contains(", running\n");
        assertThat(cox(work, "show", "runs/a", "nope").exit()).isEqualTo(2);

        CliProcess.Result diff = cox(work, "diff", "runs", "a", "b");
        assertThat(diff.exit()).as(diff.toString()).isZero();
        List<String> out = lines(diff.out());
        assertThat(out.get(0)).isEqualTo("metadata: differing parameters first");
        assertThat(out.get(3)).matches("\\*  lr\\s+0\\.1\\s+0\\.01");
        assertThat(out.get(4)).matches("\\*  optimizer\\s+sgd\\s+adam");
        assertThat(out.get(5)).matches("   layers\\s+\\[64, 32\\]\\s+\\[64, 32\\]");
        assertThat(diff.out()).contains("results: last row (a: row 2 of 3, b: row 3 of 4)");
        assertThat(cox(work, "diff", "runs", "a", "zz").exit()).isEqualTo(2);
    }

    @Test
    void pythonCoxStores_readAsPythonWroteThem() throws IOException {
        Path fixtures = PythonCoxRuns.copyAll(work.resolve("python-runs"));
        CliProcess.Result r = cox(work, "df", fixtures.toString(), "results", "--last", "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(3);
        List<String> summary = new ArrayList<>();
        rows.forEach(n -> summary.add(n.get("exp_id").asText() + " " + n.get("optimizer").asText() + " " + n.get("lr").asDouble()
                + " " + n.get("epoch").asLong() + " " + n.get("nesterov").asBoolean()));
        assertThat(summary).containsExactly("exp-0 sgd 0.1 19 true", "exp-1 adam 0.01 19 false", "exp-2 adamw 0.001 19 true");
        CliProcess.Result objects = cox(work, "df", fixtures.toString(), "objects", "--no-metadata", "--format", "json");
        JsonNode obj = new ObjectMapper().readTree(objects.out()).get(0);
        assertThat(obj.get("obj").get("name").asText()).isEqualTo("net0");
        assertThat(obj.get("pick").get(3).asLong()).isEqualTo(1099511627776L);
        assertThat(obj.get("state").asText()).matches("[0-9a-f-]{36}");
        CliProcess.Result special = cox(work, "df", fixtures.toString(), "special", "--no-metadata", "--where", "x != nan",
                "--format", "csv");
        assertThat(special.out()).startsWith("exp_id,x,label\nexp-0,-0.0,aaaaaaaaaa").contains("\nexp-0,inf,\n")
                .doesNotContain("nan");
        CliProcess.Result ls = cox(work, "ls", fixtures.toString());
        assertThat(ls.out()).contains("exp-0   metadata 1, objects 1, results 20, special 3");
    }

    @Test
    void generateCompletion_printsABashScriptForTheCommands() {
        CliProcess.Result r = cox(work, "generate-completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F", "tensorboard-view", "--where", "--only-changed");
    }

    static List<Map<String, String>> csv(String text) {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            return it.readAll();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
