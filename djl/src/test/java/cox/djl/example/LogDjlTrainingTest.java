package cox.djl.example;

import static org.assertj.core.api.Assertions.assertThat;

import cox.djl.LinuxX64;
import cox.store.Mode;
import cox.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example runs and leaves a complete run behind. */
@LinuxX64
class LogDjlTrainingTest {
    @Test
    void readmesDjlCode_isThisExamplesCode() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("### DJL: `CoxTrainingListener`");
        assertThat(section).isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> code = readme.substring(start, readme.indexOf("```", start)).lines().map(String::strip)
                .filter(line -> !line.startsWith("// ...")).toList();
        Set<String> example = Files.readAllLines(Path.of("src/test/java/cox/djl/example/LogDjlTraining.java")).stream()
                .map(String::strip).collect(Collectors.toSet());
        assertThat(code).hasSizeGreaterThan(10);
        for (String line : code) {
            assertThat(example).as("README line '%s' in LogDjlTraining.java", line).contains(line);
        }
    }

    @Test
    void main_logsARun(@TempDir Path runs) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            LogDjlTraining.main(new String[] {runs.toString()});
        } finally {
            System.setOut(out);
        }
        List<Path> exps;
        try (Stream<Path> s = Files.list(runs)) {
            exps = s.toList();
        }
        assertThat(exps).hasSize(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("logged run " + exps.get(0)).contains("train_loss");
        try (Store store = Store.open(runs, exps.get(0).getFileName().toString(), Mode.READ)) {
            assertThat(store.keys()).containsExactlyInAnyOrder("metadata", "results", "batches", "checkpoints");
            assertThat(store.table("results").nrows()).isEqualTo(3);
            assertThat(store.table("batches").nrows()).isEqualTo(6); // 8 batches an epoch, every 4th
            // saveParametersEvery(1): after each epoch, and training end adds none for epoch 3 again
            assertThat(store.table("checkpoints").df().getColumn("epoch").toList()).containsExactly(1L, 2L, 3L);
            assertThat(store.table("checkpoints").df().getColumn("complete").toList()).containsExactly(true, true, true);
            // the optimizer, found by reflection in DJL's PyTorch trainer, with its settings
            assertThat(store.table("metadata").df().getColumn("optimizer").get(0)).isEqualTo("Adam");
            assertThat(store.table("metadata").schema().keySet()).contains("optimizer.learningRateTracker",
                    "optimizer.learningRateTracker.value", "optimizer.beta1", "optimizer.beta2", "optimizer.epsilon");
            assertThat(store.table("metadata").df().getColumn("optimizer.learningRateTracker.value").get(0)).isEqualTo(0.01);
        }
    }
}
