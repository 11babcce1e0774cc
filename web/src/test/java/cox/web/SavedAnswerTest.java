package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import cox.store.Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart's first {@code /api/runs} from the saved answer: the same bytes as computed, never stale past a poll. */
class SavedAnswerTest {
    private static final String FIRST = "/api/runs?summary=last&stats=last";

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    /**
     * Runs with a metadata and a results table only (a run with a table never summarized, as
     * {@link TestRuns#write}'s {@code objects}, has its rows counted from its store for the default
     * table: an answer that read a store is not saved).
     */
    @BeforeEach
    void runs() {
        int i = 0;
        for (double lr : new double[] {0.1, 0.01}) {
            for (String opt : new String[] {"sgd", "adam", "rmsprop"}) {
                TestRuns.run(dir, "run-" + lr + "-" + opt, lr, opt, i++ % 2, "plain", 20);
            }
        }
        TestRuns.run(dir, TestRuns.HOSTILE_ID, 0.02, "adam", 1, TestRuns.HOSTILE, 20);
    }

    private CoxServer start() {
        return CoxServer.builder(dir).port(0).minScanMillis(50).summaryDir(cache).start();
    }

    private static int savedAnswers(URI base) throws Exception {
        return LiveApiTest.json(base, "/api/status").get("progress").get("saved_answers").asInt();
    }

    private Path answerFile() {
        return new SavedAnswer(SummaryFile.in(cache, dir.toAbsolutePath().normalize())).path();
    }

    /** The first server reads the stores and saves its summary file; the first restart computes from it and saves its answer. */
    private byte[] startTwice() throws Exception {
        try (CoxServer server = start()) {
            Http.getBytes(server.uri(), FIRST);
        }
        assertThat(answerFile()).as("a first start (no summary file) saves no answer").doesNotExist();
        byte[] computed;
        try (CoxServer server = start()) {
            computed = Http.getBytes(server.uri(), FIRST);
            assertThat(savedAnswers(server.uri())).isZero();
        }
        assertThat(answerFile()).exists();
        return computed;
    }

    @Test
    void aRestartSendsTheSavedAnswer_byteForByteWhatItComputesLoaded() throws Exception {
        byte[] computed = startTwice();
        try (CoxServer server = start()) {
            byte[] first = Http.getBytes(server.uri(), FIRST);
            assertThat(savedAnswers(server.uri())).isEqualTo(1);
            assertThat(first).isEqualTo(computed);
            // loaded and scanned, nothing changed: what it computes itself is the same
            LiveApiTest.json(server.uri(), "/api/status"); // loads the summary file
            Thread.sleep(500); // the scanner's first scans (every 50 ms) find nothing changed
            Files.delete(answerFile());
            byte[] loaded = Http.getBytes(server.uri(), FIRST);
            assertThat(savedAnswers(server.uri())).isEqualTo(1);
            assertThat(loaded).isEqualTo(first);
            // another request is computed
            JsonNode other = LiveApiTest.json(server.uri(), "/api/runs?summary=last");
            assertThat(other.get("count").asInt()).isEqualTo(7);
        }
        try (CoxServer server = start()) {
            assertThat(Http.getBytes(server.uri(), "/api/runs?summary=last&stats=best")).isNotEqualTo(computed);
            assertThat(savedAnswers(server.uri())).as("another query is not the saved one").isZero();
        }
    }

    @Test
    void aRunChangedWhileDown_comesWithThePollAfterTheSavedAnswer() throws Exception {
        startTwice();
        try (Store store = Store.open(dir, "run-0.01-adam")) {
            store.table("results").appendRow(Map.of("epoch", 20, "loss", 0.5, "acc", 0.5));
        }
        try (CoxServer server = start()) {
            // the saved answer: version 1, the runs as the summary file saw them (nothing is loaded before it)
            JsonNode first = LiveApiTest.JSON.readTree(Http.getBytes(server.uri(), FIRST));
            assertThat(savedAnswers(server.uri())).isEqualTo(1);
            assertThat(first.get("version").asLong()).isEqualTo(1);
            for (JsonNode r : RunsJson.rows(first)) {
                if (r.get("exp_id").asText().equals("run-0.01-adam")) {
                    assertThat(r.get("rows").asInt()).isEqualTo(20);
                }
            }
            // the page's poll brings the change
            long version = first.get("version").asLong();
            Integer rows = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard only
            while (rows == null && System.nanoTime() < deadline) {
                JsonNode next = LiveApiTest.json(server.uri(), FIRST + "&since=" + version);
                for (JsonNode r : RunsJson.rows(next)) {
                    if (r.get("exp_id").asText().equals("run-0.01-adam")) {
                        rows = r.get("rows").asInt();
                    }
                }
                version = next.get("version").asLong();
                Thread.sleep(20);
            }
            assertThat(rows).isEqualTo(21);
            JsonNode now = LiveApiTest.JSON.readTree(Http.getBytes(server.uri(), FIRST));
            assertThat(now.get("version").asLong()).isGreaterThan(1);
            int before = savedAnswers(server.uri());
            Http.getBytes(server.uri(), FIRST);
            assertThat(savedAnswers(server.uri())).as("once the listing moved on, never the saved answer").isEqualTo(before);
        }
    }

    @Test
    void aDamagedSavedAnswerIsIgnored() throws Exception {
        byte[] computed = startTwice();
        byte[] bytes = Files.readAllBytes(answerFile());
        bytes[bytes.length - 10] ^= 1;
        Files.write(answerFile(), bytes);
        try (CoxServer server = start()) {
            assertThat(Http.getBytes(server.uri(), FIRST)).isEqualTo(computed);
            assertThat(savedAnswers(server.uri())).isZero();
        }
        Files.write(answerFile(), new byte[] {1, 2, 3});
        try (CoxServer server = start()) {
            assertThat(Http.getBytes(server.uri(), FIRST)).isEqualTo(computed);
            assertThat(savedAnswers(server.uri())).isZero();
        }
    }

    @Test
    void aSummaryFileChangedSinceIsNotTheAnswersOne() throws Exception {
        startTwice();
        Path summaries = SummaryFile.in(cache, dir.toAbsolutePath().normalize()).path();
        byte[] bytes = Files.readAllBytes(summaries);
        Files.write(summaries, java.util.Arrays.copyOf(bytes, bytes.length + 1)); // still loads: one more byte after the runs
        try (CoxServer server = start()) {
            Http.getBytes(server.uri(), FIRST);
            assertThat(savedAnswers(server.uri())).isZero();
        }
    }

    private static ListedRun run(String id, long lastWriteMillis, boolean journal) {
        ListedRun r = new ListedRun(id, Path.of(id));
        long nanos = lastWriteMillis * 1_000_000;
        r.update(new ListedRun.State(new RunStamp(10, nanos, journal ? 5 : -1, journal ? nanos : -1), false, true, 1,
                ListedRun.NEVER_CHANGED, null));
        return r;
    }

    @Test
    void clockSpan_isWhereNoStatusTurns() {
        long window = cox.readers.RunStatus.ACTIVE_WINDOW.toMillis();
        long t = 1_800_000_000_000L;
        java.util.List<ListedRun> runs = java.util.List.of(run("idle", t - window - 5_000, false),
                run("active", t - 1_000, false), run("journal", t - 1_000, true), run("idle-long-ago", 0, false));
        long[] span = RunsEndpoints.clockSpan(runs, t, t + 500);
        assertThat(span).containsExactly(t - 5_000, t - 1_000 + window);
        // within the span every status is the same as at t; at its ends one turns
        for (ListedRun r : runs) {
            java.time.Instant at = java.time.Instant.ofEpochMilli(t);
            assertThat(r.state().status(java.time.Instant.ofEpochMilli(span[0]))).isEqualTo(r.state().status(at));
            assertThat(r.state().status(java.time.Instant.ofEpochMilli(span[1] - 1))).isEqualTo(r.state().status(at));
        }
        assertThat(runs.get(0).state().status(java.time.Instant.ofEpochMilli(span[0] - 1)).label()).isEqualTo("active");
        assertThat(runs.get(1).state().status(java.time.Instant.ofEpochMilli(span[1])).label()).isEqualTo("idle");
        assertThat(RunsEndpoints.clockSpan(runs, t, t - 1_000 + window)).as("a status turned while computing").isNull();
        assertThat(RunsEndpoints.clockSpan(java.util.List.of(runs.get(2)), t, t))
                .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
