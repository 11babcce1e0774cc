package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.ReadError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
    private int reported;

    ReaderSession(CommandSpec spec, Path dir, boolean skipErrors) {
        this.err = spec.commandLine().getErr();
        this.command = spec.qualifiedName();
        this.progress = new ProgressDisplay(System.err);
        this.reader = CollectionReader.builder(dir).skipErrors(skipErrors).progress(progress).build();
    }

    /** Prints the experiments skipped since the last call: {@code cox df: skipped experiment b: REASON}. */
    void reportSkipped() {
        List<ReadError> errors = reader.errors();
        for (int i = reported; i < errors.size(); i++) {
            err.println(command + ": skipped experiment " + errors.get(i).expId() + ": "
                    + errors.get(i).reason().replace('\n', ' '));
        }
        reported = errors.size();
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
