package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.testing.Interop;
import cox.testing.PythonCoxRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cox tensorboard-view} run as a user runs it, against a fake {@code tensorboard} on PATH
 * that records its arguments; the {@code --logdir_spec} compared with what Python cox's
 * {@code tensorboard_view} builds for the same folder (by the steps of its code, run with pandas:
 * {@code src/test/resources/python/tensorboard_view_command.py}) and with the entries derived from
 * that code by hand.
 */
class TensorBoardViewEndToEndTest {
    @TempDir
    static Path work;

    static Path bin;

    @BeforeAll
    static void setUp() throws IOException {
        // runs written by cox4j, one with a list parameter (an OBJECT column)
        Path tb = Files.createDirectories(work.resolve("tb"));
        run(tb, "t1", 0.001, List.of(64L, 32L), 1L);
        run(tb, "t2", 0.01, List.of(128L), 2L);
        run(tb, "t3", 0.1, List.of(64L, 128L), 3L);
        // the same with Python cox's three runs beside them: columns differ, so pandas fills NaN
        Path mixed = Files.createDirectories(work.resolve("mixed"));
        for (String id : List.of("t1", "t2", "t3")) {
            PythonCoxRuns.copyFolder(tb.resolve(id), mixed.resolve(id));
        }
        PythonCoxRuns.copyAll(mixed);
        bin = Files.createDirectories(work.resolve("bin"));
        Path fake = bin.resolve("tensorboard");
        Files.writeString(fake, "#!/bin/sh\n# a fake tensorboard: records its arguments, one per line\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$FAKE_TENSORBOARD_ARGS\"\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static void run(Path dir, String id, double lr, List<Long> layers, long seed) {
        try (Store s = Store.open(dir, id)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("optimizer", "sgd");
            meta.put("layers", layers);
            meta.put("seed", seed);
            s.addTableLikeExample("metadata", meta).appendRow(meta);
            s.addTable("results", Schema.of("loss", ColumnType.FLOAT));
            s.logTableAndTb("results", Map.of("loss", lr));
            s.table("results").flushRow();
        }
    }

    private static Map<String, String> fakeOnPath(Path argsFile) {
        return Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_TENSORBOARD_ARGS", argsFile.toString());
    }

    /** The entries of a logdir_spec (it ends with a comma, as cox builds it), sorted: cox lists runs in os.listdir order. */
    static Set<String> entries(String spec) {
        assertThat(spec).endsWith(",");
        return new TreeSet<>(Arrays.asList(spec.split(",")));
    }

    @Test
    void tensorboardView_runsTensorboardWithCoxsLogdirSpec_listsJoinedWithDots() throws IOException {
        Path argsFile = work.resolve("args-1.txt");
        CliProcess.Result r = cox(work, fakeOnPath(argsFile), "tensorboard-view", "--logdir", "tb", "--format-str",
                "lr-{lr:.0e}-{layers}", "--filter-param", "layers", "\\[64");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> args = Files.readAllLines(argsFile);
        assertThat(args).hasSize(4);
        assertThat(args.get(0)).isEqualTo("--logdir_spec");
        assertThat(args.subList(2, 4)).containsExactly("--port", "6006");
        // derived by hand from tensorboard_view.py: re.match('\[64', str([64, 32])) passes t1 and t3; lists joined with '.'
        assertThat(entries(args.get(1))).containsExactly("lr-1e-01-64.128---t3:tb/t3", "lr-1e-03-64.32---t1:tb/t1");
        assertThat(r.out()).isEqualTo("Running 'tensorboard --logdir_spec " + args.get(1) + " --port 6006'\n");
    }

    @Test
    @Interop
    void tensorboardView_sameLogdirSpecAsPythonCox() throws IOException {
        assertSameAsPython("tb", "lr-{lr:.0e}-{layers}", "--filter-param", "layers", "\\[64", "--port", "7007");
        assertSameAsPython("tb", "{exp_id}/{optimizer}/seed{seed:03d}/{lr}");
        // Python's runs beside cox4j's: pandas' NaN for a column a run lacks, its int columns read as float
        assertSameAsPython("mixed", "{optimizer}-lr{lr}-ep{epochs}-seed{seed}-{nesterov}", "--filter-param", "optimizer",
                "(sgd|adam)");
        assertSameAsPython("mixed", "{lr:.3f}_{exp_id}", "--filter-param", "lr", "0\\.0", "--filter-param", "lr", "0\\.00");
    }

    private void assertSameAsPython(String logdir, String format, String... more) throws IOException {
        List<String> common = new ArrayList<>(List.of("--logdir", logdir, "--format-str", format));
        common.addAll(List.of(more));
        List<String> pythonCmd = new ArrayList<>(List.of("/usr/bin/python3",
                Path.of("src/test/resources/python/tensorboard_view_command.py").toAbsolutePath().toString()));
        pythonCmd.addAll(common);
        CliProcess.Result python = CliProcess.run(work, Map.of(), pythonCmd);
        assertThat(python.exit()).as(python.toString()).isZero();
        List<String> coxArgs = new ArrayList<>(List.of("tensorboard-view"));
        coxArgs.addAll(common);
        coxArgs.add("--dry-run");
        CliProcess.Result ours = cox(work, coxArgs.toArray(new String[0]));
        assertThat(ours.exit()).as(ours.toString()).isZero();
        String prefix = "Running 'tensorboard --logdir_spec ";
        String pythonLine = python.out().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        String ourLine = ours.out().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        String pythonSpec = pythonLine.substring(prefix.length(), pythonLine.lastIndexOf(" --port "));
        String ourSpec = ourLine.substring(prefix.length(), ourLine.lastIndexOf(" --port "));
        assertThat(entries(ourSpec)).as(format).isEqualTo(entries(pythonSpec)).isNotEmpty();
        assertThat(ourLine.substring(ourLine.lastIndexOf(" --port "))).isEqualTo(pythonLine.substring(pythonLine.lastIndexOf(" --port ")));
    }

    @Test
    void tensorboardView_dryRun_runsNothing_andWithoutTensorboardSaysHowToInstallIt() throws IOException {
        Path argsFile = work.resolve("args-2.txt");
        CliProcess.Result dry = cox(work, fakeOnPath(argsFile), "tensorboard-view", "--logdir", "tb", "--format-str", "{seed}",
                "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(Files.exists(argsFile)).isFalse();
        assertThat(dry.out()).startsWith("Running 'tensorboard --logdir_spec ").contains("1---t1:tb/t1,", "3---t3:tb/t3,");

        CliProcess.Result none = cox(work, Map.of("PATH", "/usr/bin:/bin"), "tensorboard-view", "--logdir", "tb",
                "--format-str", "{seed}");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).startsWith("Running 'tensorboard --logdir_spec ");
        assertThat(none.err()).isEqualTo("cox tensorboard-view: tensorboard is not on PATH, so the command above did not run;"
                + " install TensorBoard (pip install tensorboard), then run it again or run the command above yourself\n");
    }

    @Test
    void tensorboardView_runWithoutMetadataIsSkippedWithCoxsWarning_andBadFormatsAreUsageErrors() throws IOException {
        Path dir = Files.createDirectories(work.resolve("partial"));
        PythonCoxRuns.copyFolder(work.resolve("tb/t1"), dir.resolve("t1"));
        try (Store s = Store.open(dir, "nometa")) {
            s.addTable("results", Schema.of("loss", ColumnType.FLOAT)).appendRow(Map.of("loss", 1.0));
        }
        CliProcess.Result r = cox(work, "tensorboard-view", "--logdir", "partial", "--format-str", "{lr}", "--dry-run");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("Warning: Skipping experiment nometa\n"
                + "Running 'tensorboard --logdir_spec 0.001---t1:partial/t1, --port 6006'\n");

        CliProcess.Result missing = cox(work, "tensorboard-view", "--logdir", "tb", "--format-str", "{momentum}");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("cox tensorboard-view: --format-str names {momentum}, which is not a column of"
                + " table 'metadata'; the columns are lr, optimizer, layers, seed, exp_id\n");
        CliProcess.Result malformed = cox(work, "tensorboard-view", "--logdir", "tb", "--format-str", "{lr");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(cox(work, "tensorboard-view", "--logdir", "tb").exit()).isEqualTo(2); // --format-str is required
        CliProcess.Result nothing = cox(work, "tensorboard-view", "--logdir", "tb", "--format-str", "{lr}", "--filter-param",
                "optimizer", "adam");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).isEqualTo("cox tensorboard-view: no run in tb has a tensorboard folder and passes the filters\n");
    }
}
