package cox.cli;

import cox.io.Locations;
import cox.store.Publication;
import cox.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cox push RUN_DIR URI}: copies a closed run to {@code URI/EXP_ID} ({@link Store#publish}),
 * a local folder, {@code s3://bucket/prefix}, {@code hdfs://namenode:port/dir} (with Hadoop's jars in
 * {@code COX_CLASSPATH}) or any URI whose {@code java.nio} file system is on the class path, so that readers there see the whole run or none of it; prints each file copied and
 * what was done. An interrupted push is completed by running it again.
 *
 * <p>A refused push (another run with the EXP_ID at the target without {@code --replace}, a run
 * open for writing or not closed cleanly) exits with status 1, as a failed read or write does: the
 * command line has no status of its own for a refusal, and the one-line message says which it was.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Copy a closed run to URI/EXP_ID: a local folder, s3://bucket/prefix, hdfs://namenode:port/dir"
                + " (with COX_CLASSPATH=\"$(hadoop classpath)\"), or another URI whose file system is on the class path.",
            "",
            "store.h5 is moved into place after the run's other files (its journal and checkpoint follow it), so a reader"
                + " of URI sees the whole run or no run. Run it again after an interruption: files already there with the"
                + " same size and SHA-256 are kept. A run already there, unchanged, is left alone. A run that is open for"
                + " writing, or was not closed cleanly, is refused (exit status 1)."},
        footer = {"", "Examples:", "  cox push runs/5e8e89ce-15ab-453f-b7d4-b24b63ec425c s3://bucket/runs",
            "  cox push runs/lr-0.1 /mnt/shared/runs --replace     replace the run lr-0.1 there"})
final class PushCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run's folder (a cox store), on this machine.")
    Path run;

    @Parameters(index = "1", paramLabel = "URI",
            description = "The folder of runs to push it into: a local folder or a URI (s3://bucket/prefix,"
                + " hdfs://namenode:port/dir); the run lands at URI/EXP_ID.")
    String target;

    @Option(names = "--replace", description = "Replace a different run with the same exp_id at URI (else it is an error).")
    boolean replace;

    @Override
    public Integer call() {
        Path folder = run.toAbsolutePath().normalize();
        if (folder.getFileName() == null || !Files.isDirectory(folder) || !Store.isExperiment(folder)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a cox store: " + run
                    + " (a run's folder holds store.h5 or .cox.journal)");
        }
        Path collection;
        try {
            // as the commands that read: the S3 provider's ERROR lines for keys a push looks for are not errors
            collection = new RunsLocation().convert(target);
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, RunsLocation.redacted(target));
        }
        Publication p = Store.publish(folder, collection, replace); // its errors name the run and the target
        PrintWriter out = spec.commandLine().getOut();
        String where = where(p);
        if (p.outcome() == Publication.Outcome.UNCHANGED) {
            out.println("run " + p.expId() + " is at " + where + " already, unchanged: nothing copied");
            out.flush();
            return 0;
        }
        for (String f : p.deleted()) {
            out.println("deleted " + f);
        }
        for (String f : p.copied()) {
            out.println("copied  " + f);
        }
        String verb = switch (p.outcome()) {
            case PUBLISHED -> "pushed";
            case RESUMED -> "completed the push of";
            case REPLACED -> "replaced with";
            case UNCHANGED -> throw new AssertionError();
        };
        out.println(verb + " run " + p.expId() + " " + (p.outcome() == Publication.Outcome.REPLACED ? "at " : "to ") + where
                + ": " + count(p.copied().size(), "file") + " copied (" + size(p.bytesCopied()) + ")"
                + (p.skipped().isEmpty() ? "" : ", " + count(p.skipped().size(), "file") + " already there")
                + (p.deleted().isEmpty() ? "" : ", " + count(p.deleted().size(), "file") + " deleted"));
        out.flush();
        return 0;
    }

    /** The target folder as the user named its collection: their URI (without user-info) or path, then {@code /EXP_ID}. */
    private String where(Publication p) {
        return Locations.isUri(target) ? RunsLocation.redacted(target).replaceAll("/+$", "") + "/" + p.expId()
                : p.target().toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Bytes in the unit that keeps the number under 1024: {@code 812 B}, {@code 3.4 KiB}, {@code 1.2 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
