package cox.cli;

import cox.readers.ProgressListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws a progress bar on standard error for a reader's steps that take over a second, and only
 * when standard error is a terminal (so a pipe or a log file never sees one). Called by one
 * reader thread at a time (see {@link ProgressListener}).
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {
    private static final long DELAY_NANOS = 1_000_000_000L;

    private final boolean enabled;
    private final PrintStream err;
    private String step;
    private long start;
    private ProgressBar bar;

    ProgressDisplay(PrintStream err) {
        this(err, stderrIsTerminal());
    }

    ProgressDisplay(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Whether file descriptor 2 is a terminal: on Linux its /proc link names a tty; elsewhere, whether there is a console. */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // fall through
        }
        return System.console() != null;
    }

    @Override
    public synchronized void progress(String step, int done, int total) {
        if (!enabled) {
            return;
        }
        if (!step.equals(this.step)) {
            close();
            this.step = step;
            this.start = System.nanoTime();
        }
        if (bar == null && System.nanoTime() - start > DELAY_NANOS && done < total) {
            bar = new ProgressBarBuilder().setTaskName(step).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(200).build();
        }
        if (bar != null) {
            bar.stepTo(done);
            if (done >= total) {
                close();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
