package cox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --debug}: on an error, print its stack trace too. A picocli mixin of the root command
 * whose option every subcommand inherits; the value lives in the root command's instance (reached
 * from whichever command picocli parses through {@code @Spec(MIXEE)} and the command's root, as in
 * picocli's {@code LoggingMixin} example), not in a static field, so each command line has its own.
 */
final class DebugOption {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    private boolean on;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "On an error, print its stack trace too.")
    void setOn(boolean on) {
        of(mixee).on = on;
    }

    /** Whether {@code --debug} was given to the command line that {@code command} belongs to. */
    static boolean isOn(CommandSpec command) {
        return of(command).on;
    }

    private static DebugOption of(CommandSpec command) {
        return ((CoxCommand) command.root().userObject()).debugOption;
    }
}
