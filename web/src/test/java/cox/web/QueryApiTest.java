package cox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/*} answers with the names and rules of {@code docs/querying.md}, as {@code cox df}
 * does, over a small sweep: lr 0.1/0.01 x adam/sgd x seeds 0, 1, 2, 10 epochs each, but
 * {@code s-0.01-sgd-2} stopped after 4; {@code s-0.1-adam-0} has an extra parameter
 * {@code momentum}; every run an OBJECT parameter {@code config} and a one-row table
 * {@code aaa_notes} written before {@code results}.
 */
class QueryApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double[] LRS = {0.1, 0.01};
    static final String[] OPTS = {"adam", "sgd"};
    static final int EPOCHS = 10;
    static final String SHORT = "s-0.01-sgd-2";

    @TempDir
    static Path dir;
    static CoxServer server;
    static URI base;

    static double loss(double lr, String opt, long seed, int epoch) {
        return (opt.equals("adam") ? 1.0 : 1.5) / (1 + lr * 10 * (epoch + 1)) + 0.01 * seed + 0.003 * seed * seed;
    }

    @BeforeAll
    static void start() {
        for (double lr : LRS) {
            for (String opt : OPTS) {
                for (long seed = 0; seed < 3; seed++) {
                    String id = "s-" + lr + "-" + opt + "-" + seed;
                    try (Store store = Store.open(dir, id)) {
                        Map<String, Object> meta = new LinkedHashMap<>();
                        meta.put("lr", lr);
                        meta.put("optimizer", opt);
                        meta.put("seed", seed);
                        if (id.equals("s-0.1-adam-0")) {
                            meta.put("momentum", 0.9);
                        }
                        Map<String, ColumnType> types = schemaOf(meta);
                        types.put("config", ColumnType.OBJECT);
                        meta.put("config", Map.of("layers", List.of(64L, 64L), "name", "mlp \"" + opt + "\""));
                        store.addTable("metadata", Schema.copyOf(types)).appendRow(meta);
                        store.addTable("aaa_notes", Schema.of("note", ColumnType.STR)).appendRow(Map.of("note", "seen first"));
                        Table results = store.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                                "val_acc", ColumnType.FLOAT));
                        int epochs = id.equals(SHORT) ? 4 : EPOCHS;
                        for (int e = 0; e < epochs; e++) {
                            double l = loss(lr, opt, seed, e);
                            results.appendRow(Map.of("epoch", e, "loss", l, "val_acc", 1 - l / 2));
                        }
                    }
                }
            }
        }
        server = CoxServer.builder(dir).port(0).minScanMillis(0).start();
        base = server.uri();
    }

    private static Map<String, ColumnType> schemaOf(Map<String, Object> meta) {
        Map<String, ColumnType> s = new LinkedHashMap<>();
        meta.forEach((k, v) -> s.put(k, v instanceof String ? ColumnType.STR : v instanceof Long ? ColumnType.INT
                : ColumnType.FLOAT));
        return s;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode json(String pathAndQuery) throws Exception {
        Http.Response r = Http.get(base, pathAndQuery);
        assertThat(r.status()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void thePageOpensOnTheTableWithTheMostRowsPerRun() throws Exception {
        assertThat(json("/api/runs").get("table").asText()).isEqualTo("results");
    }

    @Test
    void filter_summariesAreColumnDotStatistic() throws Exception {
        assertThat(texts(json("/api/filter?table=results&where=" + q("loss.count == 4")).get("ids"))).containsExactly(SHORT);
        assertThat(json("/api/filter?table=results&where=" + q("loss.first > loss.last and val_acc.best == val_acc.max"))
                .get("ids")).hasSize(12);
        assertThat(json("/api/filter?table=results&where=" + q("loss.best == loss.min and rows == 10")).get("ids")).hasSize(11);
    }

    @Test
    void filter_aBareWordNamingAColumnIsThatColumn() throws Exception {
        // loss.first > loss.last holds everywhere; without binding, 'loss.last' would be the text "loss.last"
        JsonNode ids = json("/api/filter?table=results&where=" + q("loss.first > loss.last")).get("ids");
        assertThat(ids).hasSize(12);
        assertThat(json("/api/filter?table=results&where=" + q("optimizer == adam")).get("ids")).hasSize(6);
    }

    @Test
    void filter_aNumberComparedWithTextIsA400NamingBoth() throws Exception {
        for (String path : List.of("/api/filter", "/api/runs")) {
            Http.Response r = Http.get(base, path + "?table=results&where=" + q("lr == adam"));
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("lr", "adam");
        }
    }

    @Test
    void filter_anUnknownNameWarns() throws Exception {
        JsonNode f = json("/api/filter?table=results&where=" + q("nope > 1"));
        assertThat(f.get("ids")).isEmpty();
        assertThat(texts(f.get("warnings"))).singleElement().asString().contains("'nope'", "which no run has", "epoch.last");
        JsonNode runs = json("/api/runs?table=results&where=" + q("nope > 1 or lr > 0"));
        assertThat(RunsJson.rows(runs)).hasSize(12);
        assertThat(texts(runs.get("warnings"))).singleElement().asString().contains("'nope'");
        assertThat(json("/api/runs?table=results&where=" + q("lr > 0")).get("warnings")).isEmpty();
    }

    @Test
    void shortRuns_areARunField() throws Exception {
        assertThat(texts(json("/api/filter?table=results&where=" + q("short == true")).get("ids"))).containsExactly(SHORT);
        JsonNode runs = json("/api/runs?table=results&where=" + q("exp_id ~ '^s-0.01-sgd'"));
        List<String> flags = new ArrayList<>();
        RunsJson.rows(runs).forEach(r -> flags.add(r.get("exp_id").asText() + "=" + r.get("short").asBoolean()));
        assertThat(flags).containsExactly("s-0.01-sgd-0=false", "s-0.01-sgd-1=false", SHORT + "=true");
    }

    @Test
    void objectParameters_areJson() throws Exception {
        JsonNode run = RunsJson.rows(json("/api/runs?table=results&where=" + q("exp_id == s-0.1-adam-1"))).get(0);
        String config = run.get("params").get("config").asText();
        assertThat(JSON.readTree(config)).isEqualTo(JSON.readTree("{\"layers\": [64, 64], \"name\": \"mlp \\\"adam\\\"\"}"));
        JsonNode rows = json("/api/runs/s-0.1-adam-1/tables/metadata");
        List<String> names = new ArrayList<>();
        rows.get("columns").forEach(c -> names.add(c.get("name").asText()));
        String cell = rows.get("rows").get(0).get(names.indexOf("config")).get("json").asText();
        assertThat(JSON.readTree(cell)).isEqualTo(JSON.readTree(config));
    }

    @Test
    void df_lastKeepsRunsWhoseLastRowPasses() throws Exception {
        // the row filter runs after --last: a run whose earlier rows pass but whose last does not is not kept
        double threshold = loss(0.01, "sgd", 2, 3) - 1e-9; // SHORT's last loss is above, its ... no earlier row is lower
        JsonNode rows = json("/api/df?table=results&last=1&where=" + q("loss > " + threshold + " and optimizer == sgd"));
        List<String> got = new ArrayList<>();
        rows.forEach(r -> got.add(r.get("exp_id").asText() + "@" + r.get("epoch").asInt()));
        assertThat(got).contains(SHORT + "@3").allMatch(s -> s.endsWith("@9") || s.equals(SHORT + "@3"));
        for (JsonNode r : rows) {
            assertThat(r.get("loss").asDouble()).isGreaterThan(threshold);
        }
    }

    @Test
    void df_csvIsCoxDfsCsv() throws Exception {
        Http.Response csv = Http.get(base, "/api/df?table=results&format=csv&where=" + q("exp_id == s-0.1-adam-1 and epoch < 2"));
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        // exp_id, the parameters (in the order the runs have them), the table's columns; cells as cox df writes them
        String[] lines = csv.body().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("exp_id,lr,optimizer,seed,config,momentum,epoch,loss,val_acc");
        for (int e = 0; e < 2; e++) {
            assertThat(lines[1 + e]).startsWith("s-0.1-adam-1,0.1,adam,1,\"").contains("layers")
                    .endsWith("\",," + e + "," + CellText.of(loss(0.1, "adam", 1, e)) + "," + CellText.of(1 - loss(0.1, "adam", 1, e) / 2));
        }
        Http.Response empty = Http.get(base, "/api/df?table=results&format=csv&where=" + q("optimizer == rmsprop"));
        assertThat(empty.body()).as("an empty answer is its header, once").isEqualTo(lines[0] + "\n");
        Http.Response bad = Http.get(base, "/api/df?table=results&where=" + q("epoch < adam"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).startsWith("where: ").contains("epoch", "adam");
        Http.Response warned = Http.get(base, "/api/df?table=results&last=1&where=" + q("nope > 1"));
        assertThat(warned.headers().firstValue("X-Cox-Warning")).hasValueSatisfying(w -> assertThat(w).contains("'nope'"));
    }

    @Test
    void groups_meanAndSpreadOverSeeds() throws Exception {
        JsonNode g = json("/api/groups?table=results&group_by=lr,optimizer");
        List<String> cols = texts(g.get("columns"));
        assertThat(cols).startsWith("lr", "optimizer", "n").contains("loss.mean", "loss.std", "loss.sem", "loss.ci95_low",
                "loss.ci95_high", "loss.min", "loss.max", "val_acc.mean").doesNotContain("loss.diff");
        assertThat(g.get("rows")).hasSize(4);
        JsonNode first = g.get("rows").get(0); // lr 0.01, adam
        assertThat(first.get(0).asDouble()).isEqualTo(0.01);
        assertThat(first.get(1).asText()).isEqualTo("adam");
        assertThat(first.get(2).asLong()).isEqualTo(3);
        double[] last = {loss(0.01, "adam", 0, 9), loss(0.01, "adam", 1, 9), loss(0.01, "adam", 2, 9)};
        double mean = (last[0] + last[1] + last[2]) / 3;
        double ss = 0;
        for (double v : last) {
            ss += (v - mean) * (v - mean);
        }
        assertThat(first.get(cols.indexOf("loss.mean")).asDouble()).isCloseTo(mean, within(1e-12));
        assertThat(first.get(cols.indexOf("loss.std")).asDouble()).isCloseTo(Math.sqrt(ss / 2), within(1e-12));
        assertThat(first.get(cols.indexOf("loss.min")).asDouble()).isEqualTo(last[0]);
    }

    @Test
    void groups_baselineAddsDiffAndWelch_andAStatisticPicksItsColumns() throws Exception {
        JsonNode g = json("/api/groups?table=results&group_by=optimizer&baseline=" + q("optimizer == sgd"));
        List<String> cols = texts(g.get("columns"));
        assertThat(cols).contains("loss.diff", "loss.p_welch");
        assertThat(g.get("rows").get(1).get(cols.indexOf("loss.diff")).asDouble()).isZero();
        JsonNode best = json("/api/groups?table=results&group_by=lr&summary=best");
        assertThat(texts(best.get("columns"))).startsWith("lr", "n").contains("val_acc.best.mean", "loss.best.ci95_high")
                .noneMatch(c -> c.contains(".last.") || c.contains(".count."));
        assertThat(best.get("summary").asText()).isEqualTo("best");
        Http.Response csv = Http.get(base, "/api/groups?table=results&group_by=lr,optimizer&format=csv");
        assertThat(csv.body()).startsWith("lr,optimizer,n,").contains(",loss.mean,").hasLineCount(5);
        Http.Response none = Http.get(base, "/api/groups?table=results&group_by=lr&baseline=" + q("lr == 7"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(JSON.readTree(none.body()).get("error").asText()).startsWith("baseline: ").contains("matches none");
        assertThat(Http.get(base, "/api/groups?table=results&group_by=nope").status()).isEqualTo(400);
        assertThat(Http.get(base, "/api/groups?table=results").status()).isEqualTo(400);
    }
}
