package cox.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One {@code cox ...} command run in the test's JVM through {@link CoxCommand#commandLine(String[])} (as {@code main} builds it), as a
 * user runs it in a shell (without a child JVM's start-up, for tests that run many): its exit
 * status and what it printed.
 *
 * @param exit the exit status
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CoxRun(int exit, String out, String err) {
    /**
     * @param args the command line after {@code cox}
     * @return how it ended
     */
    static CoxRun cox(String... args) {
        CommandLine cl = CoxCommand.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CoxRun(exit, out.toString(), err.toString());
    }

    /**
     * @param args the command line after {@code cox}
     * @return how it ended
     */
    static CoxRun cox(List<String> args) {
        return cox(args.toArray(new String[0]));
    }
}
