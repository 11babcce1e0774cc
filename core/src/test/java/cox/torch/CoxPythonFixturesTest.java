package cox.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every {@code .table_objects/*} file the real Python cox wrote under
 * {@code ../../shared/fixtures/cox-python} (skipped when that folder is absent). Experiment
 * {@code exp-N} stored a state dict with {@code fc.weight = arange(6).view(2, 3) * (N + 1)},
 * {@code fc.bias = [1., -1.]} (float64), {@code steps = 7 + N}, and the pickle
 * {@code [1.5, 'y', {'k': [True, None]}, 2**40]}.
 */
class CoxPythonFixturesTest {
    static final Path FIXTURES = Path.of("../../shared/fixtures/cox-python");

    @Test
    void tableObjects_allLoadWithExactValues() throws IOException {
        assumeTrue(Files.isDirectory(FIXTURES), "no cox-python fixtures at " + FIXTURES.toAbsolutePath());
        int states = 0;
        int pickles = 0;
        List<Path> exps;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            exps = s.filter(p -> p.getFileName().toString().startsWith("exp-")).sorted().toList();
        }
        assertThat(exps).isNotEmpty();
        for (Path exp : exps) {
            int n = Integer.parseInt(exp.getFileName().toString().substring(4));
            List<Path> files;
            try (Stream<Path> s = Files.list(exp.resolve(".table_objects"))) {
                files = s.sorted().toList();
            }
            for (Path f : files) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(f), 2);
                if (head[0] == 'P' && head[1] == 'K') {
                    StateDict sd = TorchSerialization.load(f);
                    float[] w = new float[6];
                    for (int i = 0; i < 6; i++) {
                        w[i] = i * (n + 1);
                    }
                    assertThat(new ArrayList<>(sd.keySet())).containsExactly("fc.weight", "fc.bias", "steps");
                    assertThat(sd.get("fc.weight")).isEqualTo(Tensor.ofFloats(w, 2, 3));
                    assertThat(sd.get("fc.bias")).isEqualTo(Tensor.ofDoubles(new double[] {1, -1}, 2));
                    assertThat(sd.get("steps").dtype()).isEqualTo(DType.INT64);
                    assertThat(sd.get("steps")).isEqualTo(Tensor.ofLongs(new long[] {7 + n}));
                    states++;
                } else {
                    Object v = NumpyPickles.loads(Files.readAllBytes(f));
                    assertThat(v).isEqualTo(List.of(1.5, "y", Map.of("k", Arrays.asList(true, null)), 1L << 40));
                    pickles++;
                }
            }
        }
        assertThat(states).isEqualTo(exps.size());
        assertThat(pickles).isEqualTo(exps.size());
    }
}
