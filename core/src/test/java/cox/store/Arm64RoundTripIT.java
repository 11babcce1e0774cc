package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.testing.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * cox4j on arm64, for real: the same classes run on Debian's arm64 JVM under qemu-user write a store,
 * close it, reopen it, append (widening a column) and read it back; then this (amd64) JVM and pandas read
 * the store it left (pandas with the interop profile), and all three see the same rows. Run by the Maven
 * profile {@code arm64}
 * ({@code .ci/run} installs {@code qemu-user-static} and {@code openjdk-17-jre-headless:arm64}).
 */
@EnabledIfSystemProperty(named = "cox.arm64", matches = "true",
        disabledReason = "the arm64 round trip runs with mvn -Parm64 (needs qemu-user-static and an arm64 JRE)")
class Arm64RoundTripIT {
    static final Path QEMU = Path.of("/usr/bin/qemu-aarch64-static");
    static final Path ARM64_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-arm64/bin/java");

    @TempDir
    Path dir;

    private String runOnArm64(String phase) throws Exception {
        Process p = new ProcessBuilder(QEMU.toString(), ARM64_JAVA.toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), Arm64Child.class.getName(), dir.toString(), phase)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the arm64 JVM finishes").isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void writeCloseReopenAppendRead_onArm64_thenAmd64AndPandasReadTheSameRows() throws Exception {
        assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (Debian: qemu-user-static)");
        assumeTrue(Files.isExecutable(ARM64_JAVA), "no " + ARM64_JAVA + " (Debian, after dpkg --add-architecture"
                + " arm64: openjdk-17-jre-headless:arm64)");
        String written = runOnArm64("write");
        assertThat(written).startsWith("arch aarch64\n");
        String appended = runOnArm64("append");
        assertThat(appended).startsWith("arch aarch64\n");
        String arm64Rows = appended.substring(appended.indexOf('\n') + 1);
        assertThat(arm64Rows.split("\n")).hasSize(100);
        assertThat(arm64Rows).contains("57|").contains("a much longer phase name, ünïcødé ✓");

        String amd64Rows;
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            amd64Rows = Arm64Child.dump(s.table("results"));
        }
        assertThat(amd64Rows).isEqualTo(arm64Rows);
        if (!Boolean.getBoolean("cox.interop")) {
            return; // pandas' reading needs the interop profile's Python
        }
        String pandas = Python.run(String.join("\n",
                "import sys, struct, pickle, codecs, pandas as pd",
                "df = pd.read_hdf(sys.argv[1] + '/exp/store.h5', 'results')",
                "def obj(o):",
                "    v = pickle.loads(codecs.decode(o.encode(), 'base64'))",
                "    return '[' + ', '.join(str(x) for x in v) + ']'",
                "for r in df.itertuples(index=False):",
                "    bits = struct.unpack('<q', struct.pack('<d', r.loss))[0] & 0xffffffffffffffff",
                "    print('%d|%x|%s|%s|%s' % (r.epoch, bits, r.phase, 'true' if r.best else 'false', obj(r.obj)))"),
                dir.toString());
        assertThat(pandas).isEqualTo(arm64Rows);
        assertThat(List.of(pandas.split("\n")).get(3)).startsWith("3|7ff8000000000000|");
    }
}
