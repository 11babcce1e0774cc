package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files: 10,000 seeded mutations of five stores (cox4j's own with several tables, a widened
 * one and a three-level index; one left as a killed writer leaves it; two Python-cox stores; one pandas
 * wrote), damaged in metadata and in row data, read and appended to by {@link StoreFuzzer} in a child
 * JVM with a 64 MiB heap. Every outcome is the right data, a cox exception naming the file, or (damage
 * reaching row data) different cell values only; never an unchecked exception, a hang, an allocation
 * the heap cannot hold, or different tables, columns or row counts.
 */
class PandasStoreFileFuzzIT {
    static final long SEED = 20261125L;
    static final int TRIALS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandDamagedStores_failCleanlyOrReadRight() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), StoreFuzzer.class.getName(), Long.toString(SEED),
                Integer.toString(TRIALS), dir.toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        String counts = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("FAILURE")) {
                failures.add(line);
            } else if (line.startsWith("counts ")) {
                counts = line;
            }
        }
        System.out.println("PandasStoreFileFuzzIT " + counts);
        assertThat(p.exitValue()).as(text.length() > 4000 ? text.substring(text.length() - 4000) : text).isZero();
        assertThat(failures).isEmpty();
        assertThat(counts).isNotNull().contains("same=").contains("error=").contains("data=");
    }
}
