package cox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's findings against {@code cox serve}: a backtracking regex in a filter (5), requests
 * from other sites (5), a FIFO named like an event file (7), a run whose store cannot be read
 * (Deliver 5). Every request has the HTTP client's 60-second timeout as its hang guard.
 */
class ServeTrustTest {
    @TempDir
    static Path dir;
    static CoxServer server;
    static String uuidRun;
    static boolean fifo;

    @BeforeAll
    static void start() throws Exception {
        TestRuns.run(dir, "plain", 0.1, "adam", 0, "plain", 5);
        try (Store s = Store.open(dir)) { // a uuid4 exp_id, 36 characters, as in the finding
            uuidRun = s.expId();
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.2));
        }
        // a store.h5 the reader refuses: Python cox's layout (no journal), its HDF5 signature overwritten
        TestRuns.run(dir, "damaged", 0.3, "sgd", 1, "plain", 5);
        Path damaged = dir.resolve("damaged");
        Files.delete(damaged.resolve(".cox.journal"));
        Files.deleteIfExists(damaged.resolve(".cox.checkpoint"));
        try (RandomAccessFile f = new RandomAccessFile(damaged.resolve("store.h5").toFile(), "rw")) {
            byte[] signature = new byte[8];
            f.readFully(signature);
            assertThat(signature).as("HDF5 format signature at offset 0").isEqualTo(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
            f.seek(0);
            f.write("NOTHDF5!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        // a FIFO beside the real event file of run "plain"
        Path tb = dir.resolve("plain").resolve("tensorboard");
        Path fifoPath = tb.resolve("events.out.tfevents.0000000001.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifoPath.toString()).inheritIO().start();
        fifo = mkfifo.waitFor() == 0;
        server = CoxServer.builder(dir).port(0).minScanMillis(0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Response get(String pathAndQuery) throws Exception {
        return Http.get(server.uri(), pathAndQuery);
    }

    private static List<String> ids(JsonNode runs) {
        List<String> out = new ArrayList<>();
        runs.forEach(r -> out.add(r.get("exp_id").asText()));
        return out;
    }

    @Test
    void filter_backtrackingRegex_isA400NamingTheRegexAndTheBudget() throws Exception {
        for (String endpoint : List.of("/api/filter", "/api/runs", "/api/df?table=metadata&")) {
            String sep = endpoint.endsWith("&") ? "" : "?";
            Http.Response r = get(endpoint + sep + "where=" + ApiTest.q("exp_id ~ '(.*.){12}!'"));
            assertThat(r.status()).as(endpoint + ": " + r.body()).isEqualTo(400);
            JsonNode e = ApiTest.JSON.readTree(r.body());
            assertThat(e.get("error").asText()).as(endpoint).contains("the filter's regex '(.*.){12}!' was stopped on column exp_id (a value of 36 characters) after reading 1,000,000 characters, the budget of one match");
        }
        // the server is free for the next request, and ordinary regexes still work
        JsonNode ok = ApiTest.JSON.readTree(get("/api/filter?where=" + ApiTest.q("exp_id ~ ^pla")).body());
        assertThat(ok.get("ids").toString()).isEqualTo("[\"plain\"]");
    }

    @Test
    void api_requestsFromOtherSites_areRefused() throws Exception {
        String host = "127.0.0.1:" + server.port();
        for (String headers : List.of("Sec-Fetch-Site: cross-site\r\n", "Sec-Fetch-Site: same-site\r\n",
                "Origin: http://evil.example\r\n", "Origin: http://127.0.0.1:1\r\n", "Origin: null\r\n",
                "Origin: https://" + host + "\r\n", "Sec-Fetch-Site: same-origin\r\nOrigin: http://localhost:" + server.port() + "\r\n")) {
            for (String path : List.of("/api/filter?where=" + ApiTest.q("lr > 0"), "/api/groups?group_by=lr", "/api/df?last=1")) {
                Http.Response r = Http.raw(server.uri(), path, host, headers);
                assertThat(r.status()).as(path + " " + headers).isEqualTo(403);
                assertThat(r.body()).as(headers).contains("cox serve answers its API only to its own page: this request came from");
            }
        }
        for (String headers : List.of("", "Sec-Fetch-Site: same-origin\r\n", "Sec-Fetch-Site: none\r\n",
                "Origin: http://" + host + "\r\n", "Sec-Fetch-Site: same-origin\r\nOrigin: http://" + host + "\r\n")) {
            Http.Response r = Http.raw(server.uri(), "/api/status", host, headers);
            assertThat(r.status()).as(headers + r.body()).isEqualTo(200);
        }
        // the page itself may be opened from a link on another site; only its API is refused
        assertThat(Http.raw(server.uri(), "/", host, "Sec-Fetch-Site: cross-site\r\n").status()).isEqualTo(200);
    }

    @Test
    void tensorboardFifo_isNotOpened_andIsReportedWithTheRun() throws Exception {
        assumeTrue(fifo, "mkfifo is not available");
        Http.Response run = get("/api/runs/plain");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        JsonNode info = ApiTest.JSON.readTree(run.body());
        assertThat(info.get("tensorboard").size()).as("the real event file's tags are shown").isEqualTo(2);
        assertThat(info.get("tensorboard_errors").toString()).contains("events.out.tfevents.0000000001.fifo is a FIFO, socket or device, not a regular file; it is not opened");
        Http.Response scalars = get("/api/runs/plain/scalars");
        assertThat(scalars.status()).as(scalars.body()).isEqualTo(200);
        JsonNode s = ApiTest.JSON.readTree(scalars.body());
        assertThat(s.get("tags").size()).as(s.toString()).isEqualTo(2);
        assertThat(s.get("tensorboard_errors")).hasSize(1);
    }

    @Test
    void df_aRunThatCannotBeRead_isLeftOutWithAWarning() throws Exception {
        Http.Response r = get("/api/df?table=results&last=1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(ids(ApiTest.JSON.readTree(r.body()))).containsExactly("plain");
        assertThat(r.headers().allValues("X-Cox-Warning")).anySatisfy(w -> assertThat(w).startsWith("run damaged is left out: ")
                .contains("store.h5"));
    }

    @Test
    void runs_aRunThatCannotBeRead_isListedWithItsError() throws Exception {
        Http.Response r = get("/api/runs");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode runs = RunsJson.rows(ApiTest.JSON.readTree(r.body()));
        assertThat(ids(runs)).contains("plain", "damaged", uuidRun);
        for (JsonNode run : runs) {
            if (run.get("exp_id").asText().equals("damaged")) {
                assertThat(run.get("error").asText()).contains("store.h5");
            } else {
                assertThat(run.get("error").isNull()).as(run.toString()).isTrue();
            }
        }
    }
}
