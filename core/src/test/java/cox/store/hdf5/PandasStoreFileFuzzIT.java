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
 *
 * <p>Issue 17 added three campaigns over those stores and two larger ones (a table of 1,000 chunks,
 * and a compressed table jHDF reads): the superblock's end-of-file address set to ten claims each
 * (beyond the file by a byte, a page, 3.5 GB; 2^36, 2^40, 2^44, 2^63 - 1; any value; inside the
 * file); bits flipped or bytes zeroed in chunk index nodes and row data beyond the first 16 KiB; each
 * store cut at every 1 % of its length. After every trial every file the trial left must be at most
 * 4 times the store's size plus 1 MiB (apparent size). Outcomes are printed per campaign.
 * {@code -Dcox.fuzz.engine.trials=N} (random mutations, 10,000) and {@code -Dcox.fuzz.engine.deep=N}
 * (beyond 16 KiB, 600) run more.
 */
class PandasStoreFileFuzzIT {
    static final long SEED = 20261125L;
    static final int TRIALS = Integer.getInteger("cox.fuzz.engine.trials", 10_000);
    static final int DEEP_TRIALS = Integer.getInteger("cox.fuzz.engine.deep", 600);

    @TempDir
    Path dir;

    @Test
    void tenThousandDamagedStores_failCleanlyOrReadRight() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), StoreFuzzer.class.getName(), Long.toString(SEED),
                Integer.toString(TRIALS), dir.toString(), Integer.toString(DEEP_TRIALS))
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        String counts = null;
        StringBuilder table = new StringBuilder(String.format("PandasStoreFileFuzzIT (seed %d): outcomes per campaign%n"
                + "%-26s %s%n", SEED, "campaign", "outcomes"));
        List<String> campaigns = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("FAILURE")) {
                failures.add(line);
            } else if (line.startsWith("counts ")) {
                counts = line;
            } else if (line.startsWith("campaign\t")) {
                String[] f = line.split("\t");
                campaigns.add(f[1]);
                table.append(String.format("%-26s %s%n", f[1], f[2]));
            }
        }
        System.out.println(table);
        assertThat(p.exitValue()).as(text.length() > 4000 ? text.substring(text.length() - 4000) : text).isZero();
        assertThat(failures).isEmpty();
        assertThat(counts).isNotNull().contains("same=").contains("error=").contains("data=");
        assertThat(campaigns).containsExactly("random", "end-of-file address", "beyond 16 KiB",
                "truncation at every 1 %");
    }
}
