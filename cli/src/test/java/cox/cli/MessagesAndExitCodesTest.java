package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 19, item 6: messages without Java class names or a path said twice, a hint at
 * {@code --skip-errors}, a run's folder given for a folder of runs, the nearest command for an
 * unknown one, no silent {@code mkdir} for {@code -o}; and one table of exit statuses (0, 1
 * failure, 2 usage) in every command's help.
 */
class MessagesAndExitCodesTest {
    @TempDir
    static Path work;

    static Path runs;
    static Path broken;



    @BeforeAll
    static void collection() throws IOException {
        runs = Files.createDirectories(work.resolve("runs"));
        CoxCommandEndToEndTest.writeRun(runs, "a", 0.1, "sgd", List.of(1L), new double[] {1.0});
        CoxCommandEndToEndTest.writeRun(runs, "b", 0.2, "sgd", List.of(1L), new double[] {2.0});
        Path withBroken = Files.createDirectories(work.resolve("with-broken"));
        CoxCommandEndToEndTest.writeRun(withBroken, "a", 0.1, "sgd", List.of(1L), new double[] {1.0});
        broken = Files.createDirectories(withBroken.resolve("broken"));
        Files.writeString(broken.resolve("store.h5"), "not HDF5");
    }

    @Test
    void unknownCommand_suggestsTheNearest_inOneLine() {
        CoxRun r = cox("dff", "runs");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("cox: unknown command 'dff'; did you mean df or diff?\n"
                + "Try 'cox --help' for more information.\n");
        assertThat(cox("xyzzy").err()).startsWith("cox: unknown command 'xyzzy'; the commands are ls, show, df, diff, sql, ");
        CoxRun option = cox("df", runs.toString(), "results", "--wher", "lr < 1");
        assertThat(option.exit()).isEqualTo(2);
        assertThat(option.err()).startsWith("cox df: unknown option '--wher'; did you mean --where?\n");
    }

    @Test
    void lsAndServe_onOneRunsFolder_sayItAndNameTheParent() {
        for (String command : new String[] {"ls", "serve"}) {
            CoxRun r = cox(command, runs.resolve("a").toString());
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("cox " + command + ": " + runs.resolve("a") + " is one run's folder "
                    + "(it holds store.h5 or .cox.journal), not a folder of runs: give its parent folder, " + runs + "\n");
        }
    }

    @Test
    void output_intoAFolderThatDoesNotExist_isAUsageErrorNamingIt_andMakesNoFolder() {
        Path missing = work.resolve("no-such-folder");
        Path file = missing.resolve("out.csv");
        Map<String, String[]> commands = Map.of(
                "df", new String[] {"df", runs.toString(), "results", "--format", "csv", "-o", file.toString()},
                "sql", new String[] {"sql", runs.toString(), "SELECT 1", "-o", file.toString()},
                "export", new String[] {"export", runs.toString(), "-o", missing.resolve("export").toString()});
        commands.forEach((name, args) -> {
            CoxRun r = cox(args);
            assertThat(r.exit()).as(name).isEqualTo(2);
            assertThat(r.err()).as(name).startsWith("cox " + name + ": -o ").contains("the folder " + missing + " does not exist");
            assertThat(missing).as(name).doesNotExist();
        });
        CoxRun folder = cox("sql", runs.toString(), "SELECT 1", "-o", work.toString());
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).startsWith("cox sql: -o " + work + ": is a folder; name a file in it\n");
        CoxRun export = cox("export", runs.toString(), "-o", work.resolve("made").toString(), "--table", "results");
        assertThat(export.exit()).as(export.err()).isZero(); // OUT itself is made: its parent exists
    }

    @Test
    void unreadableRun_suggestsSkipErrors_saysEachPathOnce_andNoClassName() {
        String store = broken.resolve("store.h5").toString();
        for (String[] args : List.of(new String[] {"df", "with-broken", "results"},
                new String[] {"sql", "with-broken", "SELECT count(*) FROM results"},
                new String[] {"export", "with-broken", "-o", work.resolve("ex").toString()})) {
            args[1] = work.resolve(args[1]).toString();
            CoxRun r = cox(args);
            assertThat(r.exit()).as(args[0]).isEqualTo(1);
            assertThat(r.err()).as(args[0]).startsWith("cox " + args[0] + ": ").contains("experiment broken")
                    .endsWith(" (--skip-errors skips the runs that cannot be read)\n").hasLineCount(1);
            assertThat(r.err().split(java.util.regex.Pattern.quote(broken.toString()), -1)).as(args[0] + ": " + r.err())
                    .hasSize(2);
            assertThat(r.err()).as(args[0]).contains(store).doesNotContain("Exception", "java.");
        }
        CoxRun skipped = cox("df", work.resolve("with-broken").toString(), "results", "--skip-errors");
        assertThat(skipped.exit()).isZero();
        assertThat(skipped.err()).startsWith("cox df: skipped experiment broken: ").doesNotContain("--skip-errors");
    }

    @Test
    void missingTable_isAUsageError_inEveryCommandButDf() {
        CoxRun export = cox("export", runs.toString(), "-o", work.resolve("e").toString(), "--table", "resutls");
        assertThat(export.exit()).isEqualTo(2);
        assertThat(export.err()).isEqualTo("cox export: no run in " + runs + " has a table 'resutls'; the tables are metadata, "
                + "results\nTry 'cox export --help' for more information.\n");
        assertThat(cox("show", runs.resolve("a").toString(), "resutls").exit()).isEqualTo(2);
        CoxRun sql = cox("sql", runs.toString(), "SELECT * FROM resutls");
        assertThat(sql.exit()).isEqualTo(2);
        assertThat(sql.err()).startsWith("cox sql: Catalog Error: Table with name resutls does not exist!");
        CoxRun tb = cox("tensorboard-view", "--logdir", runs.toString(), "--format-str", "{lr}", "--metadata-table", "params");
        assertThat(tb.exit()).isEqualTo(2);
        assertThat(tb.err()).startsWith("cox tensorboard-view: no run in " + runs + " has a table 'params'; the tables are "
                + "metadata, results (choose one with --metadata-table)\n");
    }

    @Test
    void help_ofEveryCommand_listsTheExitStatuses() {
        CommandLine root = CoxCommand.commandLine();
        List<CommandLine> all = new java.util.ArrayList<>(List.of(root));
        all.addAll(root.getSubcommands().values());
        for (CommandLine cl : all) {
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).as(cl.getCommandName()).contains("Exit status:\n  0   Success.\n  1   Failure: a run or file cannot be "
                    + "read or written").contains("  2   Usage error: an unknown command or option, a bad --where or query, a");
        }
    }

    @Test
    void errorText_saysFileErrorsInWords_andEachPathOnce() {
        assertThat(ErrorText.clean("cannot read journal /r/a/.cox.journal: java.nio.file.NoSuchFileException: "
                + "/r/a/.cox.journal")).isEqualTo("cannot read journal: no such file or folder: /r/a/.cox.journal");
        assertThat(ErrorText.clean("experiment a of /r: cannot read store /r/a: not an HDF5 file: /r/a/store.h5"))
                .isEqualTo("experiment a: cannot read store: not an HDF5 file: /r/a/store.h5");
        assertThat(ErrorText.clean("cannot move /r/x to /q/y")).isEqualTo("cannot move /r/x to /q/y");
        assertThat(ErrorText.oneLine(new CoxIOException("cannot read /r/a: java.io.IOException: disk full", null), false))
                .isEqualTo("cannot read /r/a: disk full");
        assertThat(ErrorText.oneLine(new NoSuchFileException("/r/a.csv"), false)).isEqualTo("no such file or folder: /r/a.csv");
        assertThat(ErrorText.oneLine(new NullPointerException(), false))
                .isEqualTo("internal error (run with --debug for the stack trace)");
        assertThat(ErrorText.oneLine(new ArithmeticException("/ by zero"), true)).isEqualTo("internal error: / by zero");
    }
}
