package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options several commands take are declared once ({@link RunsDirOptions},
 * {@link MetadataTableOption}, {@link DebugOption}): each says the same in every command, and
 * {@code --debug} belongs to one command line, not to the JVM.
 */
class SharedOptionsTest {
    @TempDir
    Path work;

    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = CoxCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    /** The description of {@code name} (an option's name or a positional's label) in each command that has it. */
    static Map<String, String> descriptions(String name) {
        Map<String, String> found = new TreeMap<>();
        for (CommandLine sub : CoxCommand.commandLine().getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            for (ArgSpec arg : spec.args()) {
                boolean named = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName().equals(name)
                        : arg.paramLabel().equals(name);
                if (named) {
                    found.put(spec.name(), String.join(" ", arg.description()));
                }
            }
        }
        return found;
    }

    @Test
    void runsFolderParameter_isOneDeclaration_inEveryCommandThatReadsAFolder() {
        Map<String, String> dir = descriptions("DIR");
        assertThat(dir.keySet()).containsExactlyInAnyOrder("df", "diff", "export", "ls", "serve", "sql");
        assertThat(new TreeSet<>(dir.values())).containsExactly("A folder of cox stores (one sub-folder per run): a path, or a URI such as s3://bucket/runs.");
    }

    @Test
    void metadataTableOption_isOneDeclaration_inEveryCommandThatReadsParameters() {
        Map<String, String> meta = descriptions("--metadata-table");
        assertThat(meta.keySet()).containsExactlyInAnyOrder("df", "diff", "export", "ls", "serve", "sql", "tensorboard-view");
        Set<String> texts = new TreeSet<>(meta.values());
        assertThat(texts).containsExactly("The table holding each run's parameters (default: metadata).");
    }

    @Test
    void debug_printsTheStackTrace_beforeOrAfterTheSubcommand_andOnlyForItsOwnCommandLine() {
        String missing = work.resolve("nowhere").toString();
        Run after = run("ls", missing, "--debug");
        assertThat(after.exit()).isNotZero();
        assertThat(after.err()).startsWith("cox ls: ").contains("\tat ");
        Run before = run("--debug", "ls", missing);
        assertThat(before.exit()).isEqualTo(after.exit());
        assertThat(before.err()).startsWith("cox ls: ").contains("\tat ");
        // a later command line in the same JVM, without --debug: one line, no stack trace
        Run plain = run("ls", missing);
        assertThat(plain.exit()).isEqualTo(after.exit());
        assertThat(plain.err()).startsWith("cox ls: ").doesNotContain("\tat ");
    }

    /** What a command line prints and returns for {@code args}. */
    private static String outcome(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return exit + "\n" + out + "\n" + err;
    }

    @Test
    void aCommandLineWithOnlyTheNamedSubcommand_printsWhatTheWholeOneDoes() {
        String dir = work.toString();
        String[][] cases = {{}, {"--help"}, {"--version"}, {"-V"}, {"--debug", "--version"}, {"ls", "--help"},
            {"df", "--help"}, {"serve", "--help"}, {"dff"}, {"ls"}, {"ls", "--bogus", dir}, {"ls", dir},
            {"df", dir, "results", "--where", "a <"}, {"--debug", "ls", dir}, {"help"}, {"show"}, {"sql", "--help"},
            {"generate-completion"}, {"demo", "--help"}, {"--version", "ls"}};
        for (String[] args : cases) {
            assertThat(outcome(CoxCommand.commandLine(args), args)).as(String.join(" ", args))
                    .isEqualTo(outcome(CoxCommand.commandLine(), args));
        }
        assertThat(CoxCommand.commandLine(new String[] {"ls", dir}).getSubcommands().keySet()).containsExactly("ls");
        assertThat(CoxCommand.commandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
    }
}
