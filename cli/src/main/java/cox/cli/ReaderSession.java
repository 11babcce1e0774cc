package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.ReadError;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    ReaderSession(CommandSpec spec, Path dir, boolean skipErrors) {
        this.err = spec.commandLine().getErr();
        this.command = spec.qualifiedName();
        this.progress = new ProgressDisplay(System.err);
        this.reader = CollectionReader.builder(dir).skipErrors(skipErrors).progress(progress).build();
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
