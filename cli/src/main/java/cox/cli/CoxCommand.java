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
import java.util.function.Supplier;
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
 *   <li>{@code push} ({@link PushCommand}): copy a closed run to another folder, S3 or HDFS, whole or not at all;</li>
 *   <li>{@code tensorboard-view} ({@link TensorBoardViewCommand}): TensorBoard on the runs, named by
 *       their parameters (Python cox's {@code cox.tensorboard_view});</li>
 *   <li>{@code serve} ({@link ServeCommand}): the runs in the browser, live;</li>
 *   <li>{@code demo} ({@link DemoCommand}): log a small sweep and compare it;</li>
 *   <li>{@code generate-completion}: a bash/zsh completion script (picocli's).</li>
 * </ul>
 *
 * <p>Exit status, the same for every command ({@link #EXIT_CODES}, shown in each one's
 * {@code --help}): 0 on success, 1 when the command failed (a run or file cannot be read or
 * written, or {@code cox push} refuses a run: there is no status of its own for a refusal; the
 * error is one line on standard error naming what and where, {@code --debug} adds the stack
 * trace), 2 for a usage error (an unknown command or option, a bad {@code --where}
 * expression or SQL query, a table, column or run that does not exist, an output file whose
 * folder does not exist).
 */
@Command(name = "cox", mixinStandardHelpOptions = true, versionProvider = CoxCommand.Version.class,
        description = "cox4j: the JVM edition of the cox experiment store. Compare the runs in a folder of cox stores.",
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

    /**
     * The subcommands in the order {@code cox --help} lists them, each made when registered: a
     * command line is built with the one a command names ({@link #commandLine(String[])}), since
     * picocli reads every registered command's annotations when it starts, which a fresh JVM pays
     * for on every run.
     */
    private static final List<Map.Entry<String, Supplier<Object>>> SUBCOMMANDS = List.of(
            Map.entry("ls", LsCommand::new), Map.entry("show", ShowCommand::new), Map.entry("df", DfCommand::new),
            Map.entry("diff", DiffCommand::new), Map.entry("sql", SqlCommand::new), Map.entry("export", ExportCommand::new),
            Map.entry("push", PushCommand::new),
            Map.entry("tensorboard-view", TensorBoardViewCommand::new), Map.entry("serve", ServeCommand::new),
            Map.entry("demo", DemoCommand::new), Map.entry("generate-completion", AutoComplete.GenerateCompletion::new));

    /** The exit statuses, as every command's {@code --help} lists them. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "Success.");
        codes.put("1", "Failure: a run or file cannot be read or written (--skip-errors skips unreadable runs), or cox push"
                + " refuses a run (open for writing, not closed cleanly, another run at the target).");
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
        return commandLine(null);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name, if they name one
     * (the rest of them parse and run exactly as with every subcommand registered); with none for
     * {@code --version} alone; else with every subcommand ({@code cox}, {@code cox --help}, an
     * unknown command, {@code generate-completion}).
     *
     * @param args the arguments, or null for every subcommand
     * @return a new command line
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new CoxCommand());
        String named = args == null ? null : subcommandNamed(args);
        for (Map.Entry<String, Supplier<Object>> c : SUBCOMMANDS) {
            if (named == null ? args == null || !versionOnly(args) : c.getKey().equals(named)) {
                cl.addSubcommand(c.getKey(), c.getValue().get());
            }
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException pe) {
                return usageError(pe);
            }
            if (e instanceof UsageException u) {
                return usageError(new CommandLine.ParameterException(commandLine, u.getMessage(), u));
            }
            PrintWriter err = commandLine.getErr();
            boolean debug = DebugOption.isOn(commandLine.getCommandSpec());
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + remoteUri(e, commandLine, parseResult)
                    + ErrorText.oneLine(e, debug) + skipErrorsHint(e, commandLine));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> usageError(e));
        CommandLine completion = cl.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false)
                    .description("Print a bash/zsh completion script for cox: source <(cox generate-completion)")
                    .footer("", "Examples:", "  source <(cox generate-completion)                          this shell only",
                            "  cox generate-completion > /etc/bash_completion.d/cox      every new shell (as root)");
        }
        withExitCodes(cl);
        return cl;
    }

    /**
     * The subcommand {@code args} name: their first argument that is not an option, if it is a
     * subcommand other than {@code generate-completion} (which lists them all); else null.
     */
    private static String subcommandNamed(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                continue;
            }
            for (Map.Entry<String, Supplier<Object>> c : SUBCOMMANDS) {
                if (c.getKey().equals(a) && !a.equals("generate-completion")) {
                    return a;
                }
            }
            return null;
        }
        return null;
    }

    /** Whether {@code args} are {@code --version} (or {@code -V}) and root options alone, which need no subcommand. */
    private static boolean versionOnly(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("--version") || a.equals("-V")) {
                version = true;
            } else if (!a.equals("--debug")) {
                return false;
            }
        }
        return version;
    }

    /** Puts {@link #EXIT_CODES} in the help of {@code cl} and of each of its subcommands. */
    private static void withExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
        cl.getSubcommands().values().forEach(CoxCommand::withExitCodes);
    }

    /**
     * For an error the object store's client threw on its own (no file named, e.g. a missing
     * region): {@code cannot read URI: } ({@code cannot push to URI: } for {@code cox push}), URI
     * the command's first argument that is one (push's last), without user-info; else "".
     */
    private static String remoteUri(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (!e.getClass().getName().startsWith("software.amazon.awssdk.") || parseResult == null) {
            return "";
        }
        boolean push = commandLine.getCommandName().equals("push");
        String uri = null;
        for (String a : parseResult.originalArgs()) {
            if (cox.io.Locations.isUri(a) && (uri == null || push)) {
                uri = a;
            }
        }
        return uri == null ? "" : (push ? "cannot push to " : "cannot read ") + RunsLocation.redacted(uri) + ": ";
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
        if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            // what picocli would print, without building the command tree: cox --version is the one
            // command users run only to see that cox starts, so it should start as fast as java does
            for (String line : new Version().getVersion()) {
                System.out.println(line);
            }
            System.exit(0);
        }
        System.exit(commandLine(args).execute(args));
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
