package cox.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * cox4j-written event files read by Debian's python3-protobuf through modules that
 * {@code /usr/bin/protoc} made from cox4j's own .proto files; the Python side checks framing
 * and CRCs itself. Runs with {@code -Pinterop}; reported skipped otherwise.
 */
@EnabledIfSystemProperty(named = "cox.interop", matches = "true")
class PythonInteropTest {
    @TempDir Path dir;

    private String run(Path... files) throws IOException, InterruptedException {
        Path py = Files.createDirectories(dir.resolve("py"));
        exec(List.of("/usr/bin/protoc", "-I", Path.of("src/main/proto").toAbsolutePath().toString(),
                "--python_out=" + py, "coxtb/event.proto", "coxtb/summary.proto", "coxtb/tensor.proto",
                "coxtb/hparams.proto", "coxtb/plugin_text.proto"));
        Path script = Path.of("src/test/resources/tensorboard/python/check_event_file.py").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), py.toString()));
        for (Path file : files) {
            command.add(file.toString());
        }
        return exec(command);
    }

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s printed:%n%s", command, output).isZero();
        return output;
    }

    @Test
    void pythonProtobuf_readsEveryKindOfSummary() throws Exception {
        double[] values = new double[103];
        for (int i = 0; i < 100; i++) {
            values[i] = i * 0.37 - 5.0;
        }
        values[100] = 0.0;
        values[101] = 1e-13;
        values[102] = 12345.678;
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir.resolve("tb"), SummaryWriterTest.CLOCK, "testhost")) {
            file = tb.file();
            tb.addScalar("results/loss", 0.5, 3);
            tb.addScalar("results/neg", -1.25, -7, 100.5);
            tb.addHistogram("weights", values, 4);
            tb.addText("notes", "héllo", 5);
            tb.addImage("picture", new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), 6);
            Map<String, Object> hparams = new LinkedHashMap<>();
            hparams.put("lr", 0.1);
            hparams.put("optimizer", "sgd");
            hparams.put("nesterov", true);
            tb.addHparams(hparams, Map.of("hparam/accuracy", 0.75), "session");
        }
        Path session;
        try (Stream<Path> list = Files.list(dir.resolve("tb/session"))) {
            session = list.findFirst().orElseThrow();
        }
        String json = run(file, session);
        assertThat(json)
                .contains("{\"file_version\": \"brain.Event:2\", \"step\": 0, \"values\": [], \"wall_time\": 1795508168.25, \"what\": \"file_version\"}")
                .contains("{\"step\": 3, \"values\": [{\"kind\": \"simple_value\", \"plugin\": \"\", \"simple_value\": 0.5, \"tag\": \"results/loss\"}], \"wall_time\": 1795508168.25, \"what\": \"summary\"}")
                .contains("{\"step\": -7, \"values\": [{\"kind\": \"simple_value\", \"plugin\": \"\", \"simple_value\": -1.25, \"tag\": \"results/neg\"}], \"wall_time\": 100.5, \"what\": \"summary\"}")
                .contains("\"matches_tensorboardx\": true")
                .contains("\"num\": 103.0")
                .contains("\"bucket_total\": 103.0")
                .contains("{\"kind\": \"tensor\", \"plugin\": \"text\", \"tag\": \"notes/text_summary\", \"tensor\": {\"dtype\": 7, \"shape\": [1], \"strings\": [\"h\\u00e9llo\"]}}")
                .contains("\"image\": {\"colorspace\": 3, \"height\": 2, \"png_header\": \"89504e470d0a1a0a\", \"width\": 3}, \"kind\": \"image\", \"plugin\": \"images\", \"tag\": \"picture\"")
                .contains("\"hparams_data\": \"experiment\", \"kind\": null, \"metrics\": [\"hparam/accuracy\"], \"plugin\": \"hparams\", \"tag\": \"_hparams_/experiment\"")
                .contains("\"hparams\": {\"lr\": \"number_value=0.1\", \"nesterov\": \"bool_value=True\", \"optimizer\": \"string_value=sgd\"}")
                .contains("\"hparams_data\": \"session_end_info\"")
                .contains("\"simple_value\": 0.75, \"tag\": \"hparam/accuracy\"");
    }
}
