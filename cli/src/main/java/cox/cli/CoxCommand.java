package cox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cox} command: {@code cox demo [DIR]}. */
@Command(name = "cox", mixinStandardHelpOptions = true, version = "cox4j 0.1.0",
        description = "cox4j: the JVM edition of the cox experiment store.",
        subcommands = {DemoCommand.class, ServeCommand.class})
public final class CoxCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments, e.g. {@code demo ./cox-demo}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CoxCommand()).execute(args));
    }
}
