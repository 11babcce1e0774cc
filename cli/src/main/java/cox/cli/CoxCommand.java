package cox.cli;

import cox.exceptions.CoxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 *   <li>{@code diff} ({@link DiffCommand}): two runs side by side;</li>
 *   <li>{@code sql} ({@link SqlCommand}): an SQL query (DuckDB, read-only) over the runs;</li>
 *   <li>{@code export} ({@link ExportCommand}): the runs' tables as Parquet, CSV or JSON lines;</li>
 *   <li>{@code tensorboard-view} ({@link TensorBoardViewCommand}): TensorBoard on the runs, named by
 *       their parameters (Python cox's {@code cox.tensorboard_view});</li>
 *   <li>{@code serve} ({@link ServeCommand}): the runs in the browser, live;</li>
 *   <li>{@code demo} ({@link DemoCommand}): log a small sweep and compare it;</li>
 *   <li>{@code generate-completion}: a bash/zsh completion script (picocli's).</li>
 * </ul>
 *
 * <p>Exit status: 0 on success, 1 when the command failed (the error is one line on standard
 * error naming what and where; {@code --debug} adds the stack trace), 2 for a usage error (an
 * unknown option, a bad {@code --where} expression, a column that does not exist).
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
            PrintWriter err = commandLine.getErr();
            boolean debug = DebugOption.isOn(commandLine.getCommandSpec());
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + oneLine(e, debug));
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
        return cl;
    }

    private static int usageError(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage().replace('\n', ' '));
        err.println("Try '" + name + " --help' for more information.");
        if (DebugOption.isOn(cl.getCommandSpec())) {
            e.printStackTrace(err);
        }
        err.flush();
        return 2;
    }

    /**
     * The message of an error on one line; for an unexpected one, its type too, and unless
     * {@code debug} (the stack trace is printed), a hint at {@code --debug}.
     */
    static String oneLine(Throwable e, boolean debug) {
        String message = e.getMessage();
        boolean expected = e instanceof CoxException || e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException;
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (!expected) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        String line = message.replace("\r", "").replace('\n', ' ');
        return expected || debug ? line : line + " (run with --debug for the stack trace)";
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
