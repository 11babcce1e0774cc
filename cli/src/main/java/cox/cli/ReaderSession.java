package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.ReadError;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command's {@link CollectionReader}: with a progress bar on standard error and, with
 * {@code --skip-errors}, a line on standard error for each experiment it skipped.
 */
final class ReaderSession implements AutoCloseable {
    final CollectionReader reader;
    private final ProgressDisplay progress;
    private final PrintWriter err;
    private final String command;
    private final java.util.Set<String> reported = new java.util.HashSet<>();
    private final CommandSpec spec;

    ReaderSession(CommandSpec spec, Path dir, boolean skipErrors) {
        this(spec, dir, skipErrors, null);
    }

    /**
     * @param cache the command's {@code --cache-dir}/{@code --no-cache}, or null for a reader that
     *     keeps summaries in memory only (commands that read whole runs)
     */
    ReaderSession(CommandSpec spec, Path dir, boolean skipErrors, CacheOptions cache) {
        this.spec = spec;
        this.err = spec.commandLine().getErr();
        this.command = spec.qualifiedName();
        this.progress = new ProgressDisplay(System.err);
        CollectionReader.Builder b = CollectionReader.builder(dir).skipErrors(skipErrors).progress(progress);
        this.reader = (cache == null ? b : cache.apply(b, dir)).build();
    }

    /**
     * The run an exp_id typed on the command line names: the id itself or the one run whose id
     * starts with it ({@link CollectionReader#resolveExpId}).
     *
     * @throws CommandLine.ParameterException (exit 2) if no run or several match: the message
     *     names the folder, or lists the candidates
     */
    String expId(String typed) {
        try {
            return reader.resolveExpId(typed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Prints each experiment skipped so far, once: {@code cox df: skipped experiment b: REASON}. */
    void reportSkipped() {
        for (ReadError e : reader.errors()) {
            if (reported.add(e.expId())) {
                err.println(command + ": skipped experiment " + e.expId() + ": " + ErrorText.clean(e.reason()).replace('\n', ' '));
            }
        }
        err.flush();
    }

    /** Prints {@code cox df: warning: MESSAGE}. */
    void warn(String message) {
        err.println(command + ": warning: " + message);
        err.flush();
    }

    @Override
    public void close() {
        progress.close();
        reader.close();
    }
}
