package cox.cli;

import cox.exceptions.CoxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cox} command, one subcommand per job:
 * <ul>
 *   <li>{@code ls} ({@link LsCommand}): the runs of a folder, one line each;</li>
 *   <li>{@code show} ({@link ShowCommand}): one run's tables, schema and rows;</li>
 *   <li>{@code df} ({@link DfCommand}): a table of every run as one frame, filtered, summarized;</li>
 *   <li>{@code diff} ({@link DiffCommand}): two or more runs side by side;</li>
 *   <li>{@code sql} ({@link SqlCommand}): an SQL query (DuckDB, read-only) over the runs;</li>
 *   <li>{@code export} ({@link ExportCommand}): the runs' tables as Parquet, CSV or JSON lines;</li>
 *   <li>{@code tensorboard-view} ({@link TensorBoardViewCommand}): TensorBoard on the runs, named by
 *       their parameters (Python cox's {@code cox.tensorboard_view});</li>
 *   <li>{@code serve} ({@link ServeCommand}): the runs in the browser, live;</li>
 *   <li>{@code demo} ({@link DemoCommand}): log a small sweep and compare it;</li>
 *   <li>{@code generate-completion}: a bash/zsh completion script (picocli's).</li>
 * </ul>
 *
 * <p>Exit status, the same for every command ({@link #EXIT_CODES}, shown in each one's
 * {@code --help}): 0 on success, 1 when the command failed (a run or file cannot be read or
 * written; the error is one line on standard error naming what and where, {@code --debug} adds
 * the stack trace), 2 for a usage error (an unknown command or option, a bad {@code --where}
 * expression or SQL query, a table, column or run that does not exist, an output file whose
 * folder does not exist).
 */
@Command(name = "cox", mixinStandardHelpOptions = true, versionProvider = CoxCommand.Version.class,
        description = "cox4j: the JVM edition of the cox experiment store. Compare the runs in a folder of cox stores.",
        subcommands = {LsCommand.class, ShowCommand.class, DfCommand.class, DiffCommand.class,
            SqlCommand.class, ExportCommand.class,
            TensorBoardViewCommand.class, ServeCommand.class, DemoCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Examples:", "  cox demo                                   log a sweep into ./cox-demo",
            "  cox ls cox-demo                            one line per run",
            "  cox df cox-demo result --summary           one row per run",
            "  cox df runs results --where 'lr < 0.1' --best loss:min --only-changed",
            "  source <(cox generate-completion)          tab completion in bash or zsh"})
public final class CoxCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DebugOption debugOption = new DebugOption();

    /** The exit statuses, as every command's {@code --help} lists them. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "Success.");
        codes.put("1", "Failure: a run or file cannot be read or written (--skip-errors skips unreadable runs).");
        codes.put("2", "Usage error: an unknown command or option, a bad --where or query, a table, column or run that "
                + "does not exist, -o into a folder that does not exist.");
        return Collections.unmodifiableMap(codes);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The command line, set up with cox's error handling: one-line errors, exit status 1 for a
     * failure and 2 for a usage error.
     *
     * @return a new command line
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CoxCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException pe) {
                return usageError(pe);
            }
            if (e instanceof UsageException u) {
                return usageError(new CommandLine.ParameterException(commandLine, u.getMessage(), u));
            }
            PrintWriter err = commandLine.getErr();
            boolean debug = DebugOption.isOn(commandLine.getCommandSpec());
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + ErrorText.oneLine(e, debug)
                    + skipErrorsHint(e, commandLine));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> usageError(e));
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false)
                .description("Print a bash/zsh completion script for cox: source <(cox generate-completion)")
                .footer("", "Examples:", "  source <(cox generate-completion)                          this shell only",
                        "  cox generate-completion > /etc/bash_completion.d/cox      every new shell (as root)");
        withExitCodes(cl);
        return cl;
    }

    /** Puts {@link #EXIT_CODES} in the help of {@code cl} and of each of its subcommands. */
    private static void withExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
        cl.getSubcommands().values().forEach(CoxCommand::withExitCodes);
    }

    /**
     * What a command that can skip unreadable runs adds to a run's read error when it was not
     * told to: {@code ; --skip-errors reads the other runs}.
     */
    private static String skipErrorsHint(Exception e, CommandLine commandLine) {
        CommandLine.Model.OptionSpec skip = commandLine.getCommandSpec().findOption("--skip-errors");
        boolean skipping = skip != null && Boolean.TRUE.equals(skip.getValue());
        return e instanceof CoxException && skip != null && !skipping ? " (--skip-errors skips the runs that cannot be read)" : "";
    }

    private static int usageError(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        String message = e instanceof CommandLine.UnmatchedArgumentException u ? unmatched(u) : e.getMessage();
        err.println(name + ": " + message.replace('\n', ' '));
        err.println("Try '" + name + " --help' for more information.");
        if (DebugOption.isOn(cl.getCommandSpec())) {
            e.printStackTrace(err);
        }
        err.flush();
        return 2;
    }

    /**
     * An unknown command or option in one line, with the nearest known one(s) if picocli finds
     * any: {@code unknown command 'dff'; did you mean diff?}.
     */
    private static String unmatched(CommandLine.UnmatchedArgumentException e) {
        List<String> args = e.getUnmatched();
        String first = args.isEmpty() ? "" : args.get(0);
        List<String> suggestions = e.getSuggestions();
        String did = suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?";
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (e.isUnknownOption()) {
            return "unknown option '" + first + "'" + did;
        }
        if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            return "unknown command '" + first + "'" + (did.isEmpty() ? "; the commands are "
                    + String.join(", ", spec.subcommands().keySet()) : did);
        }
        return e.getMessage() + did;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments, e.g. {@code ls ./runs}
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version the build was made from, read from {@code cox/cli/version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cox4j " + version(), "Java " + System.getProperty("java.version") + " ("
                    + System.getProperty("java.vm.name") + ")"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = CoxCommand.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                p.load(in);
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
