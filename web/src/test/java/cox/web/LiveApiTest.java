package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary cache, incremental listings, the running status and long curves, each on its own collection. */
class LiveApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JsonNode json(URI base, String pathAndQuery) throws Exception {
        Http.Response r = Http.get(base, pathAndQuery);
        assertThat(r.status()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static int storeReads(URI base) throws Exception {
        return json(base, "/api/status").get("progress").get("store_reads").asInt();
    }

    @Test
    void reload_readsOnlyTheStoresThatChanged() throws Exception {
        TestRuns.write(dir, 20);
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).start()) {
            URI base = server.uri();
            JsonNode first = json(base, "/api/runs?table=results");
            long version = first.get("version").asLong();
            int reads = storeReads(base);
            assertThat(reads).isPositive();

            JsonNode again = json(base, "/api/runs?table=results");
            assertThat(RunsJson.rows(again)).hasSize(9);
            assertThat(storeReads(base)).as("a reload of unchanged stores reads none").isEqualTo(reads);
            assertThat(RunsJson.rows(json(base, "/api/runs?table=results&since=" + version))).isEmpty();

            try (Store store = Store.open(dir, "run-0.1-sgd")) {
                store.table("results").appendRow(Map.of("epoch", 20, "loss", 0.123, "acc", 0.9));
            }
            JsonNode changed = json(base, "/api/runs?table=results&since=" + version);
            assertThat(changed.get("incremental").asBoolean()).isTrue();
            assertThat(RunsJson.rows(changed)).hasSize(1);
            assertThat(RunsJson.rows(changed).get(0).get("exp_id").asText()).isEqualTo("run-0.1-sgd");
            assertThat(RunsJson.rows(changed).get(0).get("rows").asInt()).isEqualTo(21);
            assertThat(RunsJson.rows(changed).get(0).get("metrics").get("loss").get("last").asDouble()).isEqualTo(0.123);
            assertThat(changed.get("version").asLong()).isGreaterThan(version);
            assertThat(storeReads(base)).isEqualTo(reads + 1);

            TestRuns.run(dir, "new-run", 0.3, "sgd", 0, "plain", 5);
            JsonNode added = json(base, "/api/runs?table=results&since=" + changed.get("version").asLong());
            assertThat(RunsJson.rows(added)).hasSize(1);
            assertThat(RunsJson.rows(added).get(0).get("exp_id").asText()).isEqualTo("new-run");
            assertThat(json(base, "/api/runs/new-run").get("params").get("lr").asDouble()).isEqualTo(0.3);
        }
    }

    @Test
    void filter_anUnchangedListingIsNotReadAgain_aChangedRunIsFilteredAsItIsNow() throws Exception {
        TestRuns.write(dir, 20);
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).start()) {
            URI base = server.uri();
            String low = "/api/filter?table=results&where=" + java.net.URLEncoder.encode("loss < 0.2", StandardCharsets.UTF_8);
            JsonNode first = json(base, low);
            int reads = storeReads(base);
            assertThat(first.get("ids").toString()).doesNotContain("run-0.1-sgd");
            assertThat(json(base, low)).isEqualTo(first);
            assertThat(json(base, "/api/filter?table=results&where=status%20%3D%3D%20closed").get("ids")).hasSize(9);
            assertThat(storeReads(base)).as("filters over unchanged stores read none").isEqualTo(reads);

            try (Store store = Store.open(dir, "run-0.1-sgd")) {
                store.table("results").appendRow(Map.of("epoch", 20, "loss", 0.123, "acc", 0.9));
            }
            JsonNode changed = json(base, low);
            assertThat(changed.get("version").asLong()).isGreaterThan(first.get("version").asLong());
            assertThat(changed.get("ids").toString()).contains("run-0.1-sgd");
            assertThat(json(base, "/api/filter?table=results&where=rows%20%3D%3D%2021").get("ids").toString())
                    .isEqualTo("[\"run-0.1-sgd\"]");

            TestRuns.run(dir, "new-run", 0.3, "sgd", 0, "plain", 5);
            assertThat(json(base, "/api/filter?table=results&where=exp_id%20%3D%3D%20new-run").get("ids").toString())
                    .isEqualTo("[\"new-run\"]");
        }
    }

    @Test
    void summaryFile_aRestartReadsOnlyWhatChanged_andTheFileCanGo(@TempDir Path cache) throws Exception {
        TestRuns.write(dir, 20);
        JsonNode before;
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).summaryDir(cache).start()) {
            before = json(server.uri(), "/api/runs?table=results");
            assertThat(storeReads(server.uri())).isPositive();
        }
        SummaryFile file = SummaryFile.in(cache, dir.toAbsolutePath().normalize());
        assertThat(file.path()).exists();
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).summaryDir(cache).start()) {
            JsonNode again = json(server.uri(), "/api/runs?table=results");
            assertThat(storeReads(server.uri())).as("a restart reads no unchanged store").isZero();
            assertThat(RunsJson.rows(again).toString()).isEqualTo(RunsJson.rows(before).toString());
            try (Store store = Store.open(dir, "run-0.01-adam")) {
                store.table("results").appendRow(Map.of("epoch", 20, "loss", 0.5, "acc", 0.5));
            }
        }
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).summaryDir(cache).start()) {
            JsonNode changed = json(server.uri(), "/api/runs?table=results&where=exp_id%20%3D%3D%20run-0.01-adam");
            assertThat(RunsJson.rows(changed).get(0).get("rows").asInt()).isEqualTo(21);
            assertThat(storeReads(server.uri())).isEqualTo(1);
        }
        java.nio.file.Files.write(file.path(), new byte[] {1, 2, 3});
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).summaryDir(cache).start()) {
            assertThat(RunsJson.rows(json(server.uri(), "/api/runs?table=results"))).hasSize(9);
            assertThat(storeReads(server.uri())).as("a damaged file is ignored").isPositive();
        }
        java.nio.file.Files.delete(file.path());
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).summaryDir(cache).start()) {
            assertThat(RunsJson.rows(json(server.uri(), "/api/runs?table=results"))).hasSize(9);
        }
    }

    @Test
    void summaryFile_aRestartAnswersFromIt_thenBringsWhatChangedMeanwhile(@TempDir Path cache) throws Exception {
        TestRuns.write(dir, 20);
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(50).summaryDir(cache).start()) {
            assertThat(RunsJson.rows(json(server.uri(), "/api/runs?table=results"))).hasSize(9);
        }
        // while the server is down: a run grows, one goes, one comes
        try (Store store = Store.open(dir, "run-0.01-adam")) {
            store.table("results").appendRow(Map.of("epoch", 20, "loss", 0.5, "acc", 0.5));
        }
        try (var walk = java.nio.file.Files.walk(dir.resolve("run-0.1-sgd"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        TestRuns.run(dir, "new-run", 0.3, "adam", 0, "plain", 4);
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(50).summaryDir(cache).start()) {
            // answered from the summary file (or, if the thread's first scan was quicker, from it)
            JsonNode first = json(server.uri(), "/api/runs?table=results");
            assertThat(RunsJson.rows(first)).hasSize(9);
            // the page's poll: the scan that follows brings the changes as changes
            Map<String, JsonNode> seen = new java.util.HashMap<>();
            java.util.Set<String> removed = new java.util.HashSet<>();
            RunsJson.rows(first).forEach(r -> seen.put(r.get("exp_id").asText(), r));
            first.get("removed").forEach(r -> removed.add(r.asText()));
            long version = first.get("version").asLong();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60); // a hang guard only
            while ((!seen.containsKey("new-run") || !seen.containsKey("run-0.01-adam") || removed.isEmpty())
                    && System.nanoTime() < deadline) {
                JsonNode next = json(server.uri(), "/api/runs?table=results&since=" + version);
                RunsJson.rows(next).forEach(r -> seen.put(r.get("exp_id").asText(), r));
                next.get("removed").forEach(r -> removed.add(r.asText()));
                version = next.get("version").asLong();
                Thread.sleep(20);
            }
            assertThat(seen.get("run-0.01-adam").get("rows").asInt()).isEqualTo(21);
            assertThat(seen.get("new-run").get("rows").asInt()).isEqualTo(4);
            assertThat(removed).containsExactly("run-0.1-sgd");
            assertThat(storeReads(server.uri())).as("the 7 runs that did not change are not read again").isLessThan(7);
            assertThat(ids(RunsJson.rows(json(server.uri(), "/api/runs?table=results"))))
                    .hasSize(9).contains("new-run").doesNotContain("run-0.1-sgd");
        }
    }

    private static java.util.List<String> ids(JsonNode runs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        runs.forEach(r -> out.add(r.get("exp_id").asText()));
        return out;
    }

    @Test
    void aRunWrittenByAnotherProcess_isRunningAndGrows() throws Exception {
        TestRuns.run(dir, "done", 0.1, "sgd", 0, "plain", 3);
        Process writer = TestRuns.startLive(dir, "live", 50);
        try (CoxServer server = CoxServer.builder(dir).port(0).minScanMillis(0).start()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            URI base = server.uri();
            JsonNode first = json(base, "/api/runs?table=results");
            JsonNode live = RunsJson.rows(first).get(1);
            assertThat(live.get("exp_id").asText()).isEqualTo("live");
            assertThat(live.get("status").asText()).isEqualTo("running");
            assertThat(RunsJson.rows(first).get(0).get("status").asText()).isEqualTo("closed");
            JsonNode statuses = json(base, "/api/status").get("statuses");
            assertThat(statuses.toString()).isEqualTo("{\"running\":1,\"interrupted\":0,\"closed\":1,\"active\":0,\"idle\":0}");
            long rows = live.get("rows").asLong();
            long version = first.get("version").asLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long grown = rows;
            while (grown <= rows + 5 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                JsonNode changed = json(base, "/api/runs?table=results&since=" + version);
                for (JsonNode r : RunsJson.rows(changed)) {
                    assertThat(r.get("exp_id").asText()).isEqualTo("live");
                    assertThat(r.get("rows").asLong()).isGreaterThanOrEqualTo(grown);
                    grown = r.get("rows").asLong();
                }
                version = changed.get("version").asLong();
            }
            assertThat(grown).isGreaterThan(rows + 5);
            JsonNode series = json(base, "/api/series?table=results&ids=live&y=loss");
            assertThat(series.get("runs").get(0).get("n").asLong()).isGreaterThanOrEqualTo(grown);
            writer.destroy();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            JsonNode after = null;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                after = RunsJson.rows(json(base, "/api/runs?table=results")).get(1);
                if (after.get("status").asText().equals("interrupted")) {
                    break;
                }
                Thread.sleep(100);
            }
            // stopped without Store.close(): no clean close
            assertThat(after.get("status").asText()).isEqualTo("interrupted");
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void longCurves_areDownsampledIntoMinMaxBuckets_neverSilently() throws Exception {
        int n = 30_000;
        try (Store store = Store.open(dir, "long")) {
            Table t = store.addTable("results", Schema.of("step", ColumnType.INT, "loss", ColumnType.FLOAT));
            for (int i = 0; i < n; i++) {
                double loss = i == 12_345 ? 50 : i == 20_000 ? -50 : Math.sin(i / 100.0);
                t.appendRow(Map.of("step", i, "loss", loss));
            }
        }
        try (CoxServer server = CoxServer.builder(dir).port(0).start()) {
            URI base = server.uri();
            JsonNode s = json(base, "/api/series?table=results&ids=long&x=step&points=1000&smooth=0.9");
            JsonNode loss = s.get("runs").get(0).get("series").get("loss");
            assertThat(loss.get("downsampled_from").asInt()).isEqualTo(n);
            assertThat(loss.get("y").size()).isBetween(500, 1002);
            assertThat(loss.get("x").size()).isEqualTo(loss.get("y").size());
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (JsonNode v : loss.get("y")) {
                max = Math.max(max, v.asDouble());
                min = Math.min(min, v.asDouble());
            }
            assertThat(max).isEqualTo(50);
            assertThat(min).isEqualTo(-50);
            // smoothing was computed on all 30,000 points, then the kept ones picked
            double[] all = new double[n];
            for (int i = 0; i < n; i++) {
                all[i] = i == 12_345 ? 50 : i == 20_000 ? -50 : Math.sin(i / 100.0);
            }
            double[] smoothed = CurveArithmetic.ema(all, 0.9);
            for (int k = 0; k < loss.get("x").size(); k++) {
                int i = loss.get("x").get(k).asInt();
                assertThat(loss.get("smoothed").get(k).asDouble()).isEqualTo(smoothed[i]);
            }
            // the binary form the page reads holds the same numbers
            byte[] bin = Http.getBytes(base, "/api/series?table=results&ids=long&x=step&points=1000&smooth=0.9&format=bin");
            ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(bin, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("COXS");
            int len = b.getInt(4);
            JsonNode header = JSON.readTree(new String(bin, 8, len, StandardCharsets.UTF_8));
            int base8 = 8 + len + (8 - (8 + len) % 8) % 8;
            JsonNode ref = header.get("runs").get(0).get("series").get("loss").get("y");
            assertThat(ref.get("length").asInt()).isEqualTo(loss.get("y").size());
            for (int k = 0; k < ref.get("length").asInt(); k++) {
                assertThat(b.getDouble(base8 + 8 * (ref.get("offset").asInt() + k))).isEqualTo(loss.get("y").get(k).asDouble());
            }
            // bin32: the values as float32, the x axes as float64, every array 8-byte aligned
            byte[] bin32 = Http.getBytes(base, "/api/series?table=results&ids=long&x=step&points=1000&smooth=0.9&format=bin32");
            ByteBuffer b32 = ByteBuffer.wrap(bin32).order(ByteOrder.LITTLE_ENDIAN);
            int len32 = b32.getInt(4);
            JsonNode series32 = JSON.readTree(new String(bin32, 8, len32, StandardCharsets.UTF_8)).get("runs").get(0)
                    .get("series").get("loss");
            int body = 8 + len32 + (8 - (8 + len32) % 8) % 8;
            for (String key : List.of("y", "smoothed", "x")) {
                JsonNode r = series32.get(key);
                assertThat(r.get("offset").asInt() % 8).isZero();
                assertThat(r.get("type").asText()).isEqualTo(key.equals("x") ? "f8" : "f4");
                assertThat(r.get("length").asInt()).isEqualTo(loss.get(key).size());
                for (int k = 0; k < r.get("length").asInt(); k++) {
                    double expected = loss.get(key).get(k).asDouble();
                    if (key.equals("x")) {
                        assertThat(b32.getDouble(body + r.get("offset").asInt() + 8 * k)).isEqualTo(expected);
                    } else {
                        assertThat(b32.getFloat(body + r.get("offset").asInt() + 4 * k)).isEqualTo((float) expected);
                    }
                }
            }
        }
    }
}
