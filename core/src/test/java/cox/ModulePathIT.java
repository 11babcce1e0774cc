package cox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cox4j on the module path, as a library module: a consumer module ({@code src/it/module-consumer})
 * that requires only {@code cox4j.core} is compiled against the packaged jar and its runtime
 * dependencies, then run with {@code java --module-path ... -m}; it writes and reads a store, a
 * TensorBoard log and torch files through the exported packages. A module that uses an internal
 * package ({@code src/it/module-intruder}) must not compile. Run by Failsafe after {@code package}
 * (the jar and {@code target/runtime-classpath.txt} are its inputs).
 */
class ModulePathIT {
    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("cox.jar", "target/cox4j-core.jar"));
        assertThat(jar).as("the packaged cox4j.core jar (run with mvn verify)").isRegularFile();
        return jar;
    }

    private static String modulePath(Path... first) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Path p : first) {
            entries.add(p.toString());
        }
        entries.add(jar().toString());
        Path deps = Path.of(System.getProperty("cox.runtimeClasspath", "target/runtime-classpath.txt"));
        entries.add(Files.readString(deps).strip());
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static List<String> sources(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * Compiles a module's sources into {@code out}; returns javac's exit code, its output in
     * {@code log}. Lint {@code path} is off: a dependency's jar may name, in its manifest,
     * Class-Path jars that Maven's repository layout does not have.
     */
    private static int javac(Path sources, Path out, StringBuilder log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool("javac"), "--release", "17", "-Xlint:all,-path", "-Werror",
                "--module-path", modulePath(), "-d", out.toString()));
        cmd.addAll(sources(sources));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        log.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("javac finished").isTrue();
        return p.exitValue();
    }

    @Test
    void aConsumerModule_usesTheExportedApi_onTheModulePath() throws Exception {
        Path classes = dir.resolve("consumer-classes");
        StringBuilder log = new StringBuilder();
        assertThat(javac(Path.of("src/it/module-consumer"), classes, log)).as("javac: %s", log).isZero();

        Process p = new ProcessBuilder(tool("java"),
                "--module-path", modulePath(classes),
                "-m", "cox4j.consumer/consumer.Main", dir.resolve("runs").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("consumer finished").isTrue();
        assertThat(p.exitValue()).as("consumer exit code; output:\n%s", out).isZero();
        assertThat(out.lines().filter(l -> !l.startsWith("[")).toList()).containsExactly(
                "lock: StoreLockedException",
                "store: 3 rows",
                "reader: 3 rows",
                "tensorboard: 3 scalars",
                "torch: ok",
                "exceptions: TorchFormatException");
    }

    @Test
    void aModuleUsingAnInternalPackage_doesNotCompile() throws Exception {
        StringBuilder log = new StringBuilder();
        assertThat(javac(Path.of("src/it/module-intruder"), dir.resolve("intruder-classes"), log)).isNotZero();
        assertThat(log).contains("package cox.pickle is not visible");
    }
}
