package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over a real collection, through HTTP. */
class ApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CoxServer server;
    static URI base;

    @BeforeAll
    static void start() {
        TestRuns.write(dir, 40);
        server = CoxServer.builder(dir).port(0).minScanMillis(0).start();
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode json(String pathAndQuery) throws Exception {
        Http.Response r = Http.get(base, pathAndQuery);
        assertThat(r.status()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> ids(JsonNode runs) {
        List<String> out = new ArrayList<>();
        runs.forEach(r -> out.add(r.get("exp_id").asText()));
        return out;
    }

    @Test
    void runs_listsEveryRunWithParametersAndSummaries() throws Exception {
        JsonNode all = json("/api/runs");
        assertThat(all.get("table").asText()).isEqualTo("results");
        assertThat(ids(RunsJson.rows(all))).containsExactly("hostile", "objects", "run-0.001-adam", "run-0.001-sgd",
                "run-0.01-adam", "run-0.01-sgd", "run-0.1-adam", "run-0.1-sgd", TestRuns.HOSTILE_ID);
        JsonNode run = RunsJson.rows(all).get(6);
        assertThat(run.get("exp_id").asText()).isEqualTo("run-0.1-adam");
        assertThat(run.get("status").asText()).isEqualTo("closed");
        assertThat(run.get("rows").asLong()).isEqualTo(40);
        assertThat(run.get("params").get("lr").asDouble()).isEqualTo(0.1);
        assertThat(run.get("params").get("optimizer").asText()).isEqualTo("adam");
        JsonNode loss = run.get("metrics").get("loss");
        assertThat(loss.get("first").asDouble()).isEqualTo(TestRuns.loss(0.1, 0));
        assertThat(loss.get("last").asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        assertThat(loss.get("min").asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        assertThat(loss.get("best").asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        assertThat(run.get("metrics").get("acc").get("best").asDouble()).isEqualTo(1 - TestRuns.loss(0.1, 39) / 3);
        assertThat(RunsJson.rows(all).get(1).get("rows").isNull()).as("objects has no results table").isTrue();
        assertThat(all.get("metrics").toString()).contains("\"name\":\"loss\"", "\"goal\":\"min\"", "\"name\":\"acc\"",
                "\"goal\":\"max\"");
        assertThat(all.get("tables").toString()).isEqualTo("[\"metadata\",\"results\",\"checkpoints\"]");
    }

    @Test
    void runs_areSentAsColumns_textDictionaryEncoded() throws Exception {
        JsonNode all = json("/api/runs?table=results");
        JsonNode c = all.get("runs");
        assertThat(all.get("count").asInt()).isEqualTo(9);
        assertThat(c.get("exp_id")).hasSize(9);
        assertThat(c.get("exp_id").get(1).asText()).isEqualTo("objects");
        // text: a dictionary and an index per run, -1 for null
        assertThat(c.get("status").get("dict").toString()).isEqualTo("[\"closed\"]");
        assertThat(c.get("status").get("index").toString()).isEqualTo("[0,0,0,0,0,0,0,0,0]");
        assertThat(c.get("error").get("dict")).isEmpty();
        assertThat(c.get("error").get("index").toString()).isEqualTo("[-1,-1,-1,-1,-1,-1,-1,-1,-1]");
        assertThat(c.get("params").get("optimizer").get("dict").toString()).startsWith("[\"sgd\",");
        // numbers: a plain array, null where a run has none
        assertThat(c.get("params").get("lr").isArray()).isTrue();
        assertThat(c.get("params").get("lr").get(1).asDouble()).isEqualTo(0.5);
        assertThat(c.get("rows").get(1).isNull()).as("objects has no results table").isTrue();
        assertThat(c.get("rows").get(6).asLong()).isEqualTo(40);
        // objects has no seed: listed as absent (not a present null)
        assertThat(c.get("params_absent").get("seed").toString()).isEqualTo("[1]");
        assertThat(c.get("params_absent").has("lr")).isFalse();
        assertThat(c.get("metrics").get("loss").get("last").get(1).isNull()).isTrue();
        assertThat(c.get("metrics").get("loss").get("last").get(6).asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        assertThat(c.get("metrics").get("loss").get("count").get(6).asLong()).isEqualTo(40);
        // the range of each metric over the runs, for the charts' shared grid
        JsonNode epoch = all.get("metrics").get(0);
        assertThat(epoch.get("name").asText()).isEqualTo("epoch");
        assertThat(epoch.get("min").asDouble()).isEqualTo(0);
        assertThat(epoch.get("max").asDouble()).isEqualTo(39);
    }

    @Test
    void runs_stats_sendsOnlyTheSummariesAskedFor() throws Exception {
        JsonNode loss = json("/api/runs?table=results&stats=last,best").get("runs").get("metrics").get("loss");
        assertThat(loss.fieldNames()).toIterable().containsExactly("last", "best");
        JsonNode at = json("/api/runs?table=results&stats=at&x=epoch&at=3").get("runs").get("metrics").get("loss");
        assertThat(at.fieldNames()).toIterable().containsExactly("at");
        Http.Response bad = Http.get(base, "/api/runs?stats=last,median");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("stats must be a list of first, last, min, max, mean, best, count: median");
    }

    @Test
    void runs_valueAtAStep() throws Exception {
        JsonNode all = json("/api/runs?table=results&x=epoch&at=10&where=" + q("exp_id == run-0.01-sgd"));
        assertThat(RunsJson.rows(all)).hasSize(1);
        assertThat(RunsJson.rows(all).get(0).get("metrics").get("loss").get("at").asDouble()).isEqualTo(TestRuns.loss(0.01, 10));
    }

    @Test
    void filter_narrowsWithTheSharedGrammar() throws Exception {
        assertThat(ids(RunsJson.rows(json("/api/runs?where=" + q("lr < 0.05 and optimizer in (adam, sgd) and not note ~ img")))))
                .containsExactly("run-0.001-adam", "run-0.001-sgd", "run-0.01-adam", "run-0.01-sgd", TestRuns.HOSTILE_ID);
        assertThat(ids(RunsJson.rows(json("/api/runs?where=" + q("loss.last < 0.22 or exp_id ~ ^obj")))))
                .containsExactly("hostile", "objects", "run-0.1-adam", "run-0.1-sgd", TestRuns.HOSTILE_ID);
        assertThat(json("/api/filter?where=" + q("loss.last < 0.22 and exp_id ~ ^run")).get("ids").toString())
                .isEqualTo("[\"run-0.1-adam\",\"run-0.1-sgd\"]");
        assertThat(json("/api/filter?summary=first&where=" + q("loss.first > 2.1")).get("ids")).hasSize(8);
        // a bare metric is its last value whatever summary the page shows, as cox df --summary reads it
        assertThat(json("/api/filter?summary=first&where=" + q("loss > 2.1")).get("ids")).isEmpty();
        assertThat(json("/api/filter?summary=first&where=" + q("loss == loss.last")).get("ids")).hasSize(8);
        assertThat(json("/api/filter?where=" + q("seed is missing")).get("ids").toString()).isEqualTo("[\"objects\"]");
        assertThat(json("/api/filter?where=" + q("status == closed and rows == 40")).get("ids")).hasSize(8);
    }

    @Test
    void filter_aBadExpressionIsA400NamingTheCharacter() throws Exception {
        Http.Response r = Http.get(base, "/api/filter?where=" + q("lr < )"));
        assertThat(r.status()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("position").asInt()).isEqualTo(5);
        assertThat(e.get("problem").asText()).contains("expected a value");
        assertThat(e.get("error").asText()).contains("lr < ^)");
        assertThat(Http.get(base, "/api/runs?summary=median").status()).isEqualTo(400);
    }

    @Test
    void hostileValues_comeBackAsTheirCharacters() throws Exception {
        JsonNode all = json("/api/runs");
        assertThat(RunsJson.rows(all).get(0).get("params").get("note").asText()).isEqualTo(TestRuns.HOSTILE);
        assertThat(RunsJson.rows(all).get(8).get("exp_id").asText()).isEqualTo(TestRuns.HOSTILE_ID);
        JsonNode run = json("/api/runs/" + q(TestRuns.HOSTILE_ID).replace("+", "%20"));
        assertThat(run.get("exp_id").asText()).isEqualTo(TestRuns.HOSTILE_ID);
    }

    @Test
    void aRunUrl_takesTheStartOfAnExpId_asTheCommandLineDoes() throws Exception {
        assertThat(json("/api/runs/obj").get("exp_id").asText()).isEqualTo("objects");
        Http.Response ambiguous = Http.get(base, "/api/runs/run-");
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.body()).contains("'run-' is the start of 6 runs' exp_ids: run-");
        assertThat(Http.get(base, "/api/runs/zzz").status()).isEqualTo(404);
    }

    @Test
    void urlNames_areCheckedAgainstTheListing() throws Exception {
        for (String target : List.of("/api/runs/..%2F..%2Fetc", "/api/runs/..%2f..%2fetc%2fpasswd", "/api/runs/nope", "/api/runs/hostile/tables/..%2Fstore.h5", "/api/runs/hostile/tables/passwd",
                "/api/runs/..%2F..%2Fetc/tables/passwd", "/api/series?ids=..%2F..%2Fetc&table=results",
                "/api/runs?table=..%2Fmetadata")) {
            Http.Response r = Http.raw(base, target, "127.0.0.1:" + base.getPort());
            assertThat(r.status()).as(target + ": " + r.body()).isEqualTo(404);
            assertThat(r.body()).as(target).startsWith("{\"error\":").doesNotContain("root:");
        }
        // Jetty refuses an encoded dot segment itself; static files never leave the page's folder
        for (String target : List.of("/api/runs/%2e%2e", "/api/runs/%2e%2e%2f%2e%2e%2fetc", "/..%2F..%2Fetc%2Fpasswd",
                "/js/..%2F..%2F..%2F..%2Fpom.xml", "/webjars/..%2F..%2Fcox%2Fweb%2Fstatic%2Findex.html", "/%2e%2e/%2e%2e/etc/passwd",
                "/js/../../../../../../etc/passwd", "/webjars/uplot/1.6.30/dist/..%2F..%2F..%2F..%2F..%2FMETA-INF%2FMANIFEST.MF")) {
            Http.Response r = Http.raw(base, target, "127.0.0.1:" + base.getPort());
            assertThat(r.status()).as(target + ": " + r.body()).isIn(400, 404);
            assertThat(r.body()).as(target).doesNotContain("root:", "<artifactId>", "Manifest-Version");
        }
        Http.Response r = Http.raw(base, "/api/runs/..%2F..%2Fetc", "127.0.0.1:" + base.getPort());
        assertThat(r.body()).isEqualTo("{\"error\":\"no run '../../etc' in " + dir.toAbsolutePath().normalize() + "\"}");
    }

    @Test
    void otherHosts_areRefused() throws Exception {
        Http.Response r = Http.raw(base, "/api/runs", "evil.example:" + base.getPort());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("answers only requests to localhost");
        assertThat(Http.raw(base, "/api/status", "localhost:" + base.getPort()).status()).isEqualTo(200);
    }

    @Test
    void onlyGet_nothingWrites() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/api/runs", "/api/runs/hostile", "/", "/api/df?table=results")) {
                int status = Http.send(base, method, path).status();
                assertThat(status).as(method + " " + path).isIn(404, 405);
            }
        }
    }

    @Test
    void everyModuleOfThePage_isServedAsJavaScript() throws Exception {
        // with nosniff, a browser runs a module only if its type is JavaScript: follow every import from app.js
        Pattern imports = Pattern.compile("^import .* from '([^']+)';$", Pattern.MULTILINE);
        Deque<String> todo = new ArrayDeque<>(List.of("/js/app.js"));
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) {
                continue;
            }
            Http.Response r = Http.get(base, path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    t -> assertThat(t).matches("(text|application)/javascript(;.*)?"));
            Matcher m = imports.matcher(r.body());
            while (m.find()) {
                todo.push(URI.create("http://x" + path).resolve(m.group(1)).getPath());
            }
        }
        assertThat(seen).contains("/js/view.js", "/js/runs.js", "/js/table.js", "/js/chartstab.js", "/js/difftab.js",
                "/js/router.js", "/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    }

    @Test
    void everyResponse_carriesTheContentSecurityPolicy() throws Exception {
        for (String path : List.of("/", "/js/app.js", "/api/runs", "/webjars/uplot/1.6.30/dist/uPlot.esm.js", "/api/runs/nope")) {
            Http.Response r = Http.get(base, path);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(CoxServer.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        assertThat(Http.get(base, "/").body()).contains("<script type=\"module\" src=\"/js/app.js\"></script>");
        assertThat(Http.get(base, "/webjars/uplot/1.6.30/dist/uPlot.esm.js").body()).contains("export { uPlot as default }");
    }

    @Test
    void runPage_tablesObjectCellsAndScalars() throws Exception {
        JsonNode run = json("/api/runs/objects");
        assertThat(run.get("tables").toString()).contains("\"name\":\"checkpoints\"", "\"rows\":1", "\"type\":\"OBJECT\"",
                "\"type\":\"PICKLE\"");
        JsonNode rows = json("/api/runs/objects/tables/checkpoints");
        JsonNode row = rows.get("rows").get(0);
        assertThat(row.get(0).asLong()).isZero();
        assertThat(row.get(1).get("summary").asText()).isEqualTo("dict, 2 items");
        assertThat(row.get(2).get("summary").asText()).isEqualTo("list, 3 items");
        assertThat(row.get(2).get("bytes").asLong()).isPositive();
        JsonNode page = json("/api/runs/run-0.1-sgd/tables/results?offset=35&limit=10");
        assertThat(page.get("total").asInt()).isEqualTo(40);
        assertThat(page.get("rows")).hasSize(5);
        assertThat(page.get("rows").get(0).get(0).asInt()).isEqualTo(35);
        JsonNode tb = json("/api/runs/run-0.1-sgd/scalars");
        assertThat(tb.get("tags").get("results/loss").get("n").asInt()).isEqualTo(40);
        assertThat(tb.get("tags").get("results/loss").get("value").get(39).asDouble()).isCloseTo(TestRuns.loss(0.1, 39),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Http.get(base, "/api/runs/objects/tables/checkpoints?limit=100000").status()).isEqualTo(400);
    }

    @Test
    void df_joinsParametersAndFiltersRows() throws Exception {
        JsonNode rows = json("/api/df?table=results&where=" + q("optimizer == adam and epoch >= 38 and lr < 0.05"));
        List<String> got = new ArrayList<>();
        rows.forEach(r -> got.add(r.get("exp_id").asText() + "@" + r.get("epoch").asInt()));
        assertThat(got).containsExactly("run-0.001-adam@38", "run-0.001-adam@39", "run-0.01-adam@38", "run-0.01-adam@39",
                TestRuns.HOSTILE_ID + "@38", TestRuns.HOSTILE_ID + "@39");
        assertThat(rows.get(0).get("lr").asDouble()).isEqualTo(0.001);
        Http.Response csv = Http.get(base, "/api/df?table=results&format=csv&where=" + q("exp_id == hostile and epoch < 2"));
        // cox df's columns: exp_id, the parameters, the table's
        assertThat(csv.body()).isEqualTo("exp_id,lr,optimizer,seed,note,dataset,epoch,loss,acc\n"
                + "hostile,0.05,sgd,0," + TestRuns.HOSTILE + ",cifar10,0," + cox.readers.text.CellText.of(TestRuns.loss(0.05, 0))
                + "," + cox.readers.text.CellText.of(1 - TestRuns.loss(0.05, 0) / 3) + "\n"
                + "hostile,0.05,sgd,0," + TestRuns.HOSTILE + ",cifar10,1," + cox.readers.text.CellText.of(TestRuns.loss(0.05, 1))
                + "," + cox.readers.text.CellText.of(1 - TestRuns.loss(0.05, 1) / 3) + "\n");
    }

    @Test
    void series_shortCurvesWhole() throws Exception {
        JsonNode s = json("/api/series?table=results&ids=run-0.1-sgd,objects&y=loss");
        assertThat(s.get("x").asText()).isEqualTo("epoch");
        JsonNode run = s.get("runs").get(0);
        assertThat(run.get("n").asInt()).isEqualTo(40);
        assertThat(run.get("x")).hasSize(40);
        assertThat(run.get("series").get("loss").get("y").get(39).asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        assertThat(run.get("series").get("loss").has("downsampled_from")).isFalse();
        assertThat(s.get("runs").get(1).get("missing").asText()).isEqualTo("no table 'results'");
        JsonNode byId = json("/api/series?table=results&y=loss&id=" + q(TestRuns.HOSTILE_ID) + "&id=hostile");
        assertThat(ids(byId.get("runs"))).containsExactly(TestRuns.HOSTILE_ID, "hostile");
        assertThat(Http.get(base, "/api/series?table=results&ids=run-0.1-sgd&x=nope").status()).isEqualTo(404);
    }

    @Test
    void series_onASharedGrid_everyRunHasTheGridsX() throws Exception {
        // 10 points: 5 buckets of 8 epochs over [0, 40]
        JsonNode s = json("/api/series?table=results&ids=run-0.1-sgd,run-0.01-adam&y=loss&points=10&grid=0,40");
        for (JsonNode run : s.get("runs")) {
            assertThat(run.get("x").toString()).isEqualTo("[2.0,6.0,10.0,14.0,18.0,22.0,26.0,30.0,34.0,38.0]");
            JsonNode loss = run.get("series").get("loss");
            assertThat(loss.get("grid").asBoolean()).isTrue();
            assertThat(loss.get("downsampled_from").asInt()).isEqualTo(40);
            assertThat(loss.get("y")).hasSize(10);
        }
        // the loss falls: each bucket's first row is its greatest, its last its least
        JsonNode y = s.get("runs").get(0).get("series").get("loss").get("y");
        assertThat(y.get(0).asDouble()).isEqualTo(TestRuns.loss(0.1, 0));
        assertThat(y.get(1).asDouble()).isEqualTo(TestRuns.loss(0.1, 7));
        assertThat(y.get(9).asDouble()).isEqualTo(TestRuns.loss(0.1, 39));
        Http.Response bad = Http.get(base, "/api/series?table=results&ids=run-0.1-sgd&grid=5,1");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("grid must go from a finite x to a greater one: 5,1");
    }
}
