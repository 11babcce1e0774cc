package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.testing.LiveRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cox ls}: the status word of each run (a killed one is interrupted), and {@code short} among the seeds of one configuration. */
class LsCommandTest {
    @TempDir
    Path dir;

    private void run(String id, double lr, long seed, int epochs) {
        try (Store s = Store.open(dir, id)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("seed", seed);
            s.addTableLikeExample("metadata", meta).appendRow(meta);
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT));
            for (int e = 0; e < epochs; e++) {
                t.appendRow(Map.of("epoch", e));
            }
        }
    }

    private String ls(String... more) {
        CommandLine cl = CoxCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        String[] args = new String[2 + more.length];
        args[0] = "ls";
        args[1] = dir.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        assertThat(cl.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void ls_killedRunIsInterrupted_aSeedWithFewerRowsIsShort() throws Exception {
        run("a-seed0", 0.1, 0, 5);
        run("a-seed1", 0.1, 1, 3);
        run("a-seed2", 0.1, 2, 5);
        run("b-seed0", 0.01, 0, 2); // alone in its group: not short
        Process p = LiveRun.start(dir, "killed", Duration.ofMillis(5), Map.of("lr", 0.5));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            assertThat(out.readLine()).isNotNull();
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = Arrays.asList(ls().split("\n"));
        assertThat(lines).hasSize(2 + 5);
        assertThat(lines.get(2)).startsWith("a-seed0 ").endsWith(" closed");
        assertThat(lines.get(3)).startsWith("a-seed1 ").endsWith(" closed, short");
        assertThat(lines.get(4)).startsWith("a-seed2 ").endsWith(" closed");
        assertThat(lines.get(5)).startsWith("b-seed0 ").endsWith(" closed");
        assertThat(lines.get(6)).startsWith("killed ").endsWith(" interrupted");

        JsonNode json = new ObjectMapper().readTree(ls("--json"));
        assertThat(json.get(1).get("status").asText()).isEqualTo("closed");
        assertThat(json.get(1).get("short").toString()).isEqualTo("[\"results\"]");
        assertThat(json.get(1).get("running").asBoolean()).isFalse();
        assertThat(json.get(4).get("status").asText()).isEqualTo("interrupted");
        assertThat(json.get(4).get("error").isNull()).isTrue();
    }
}
