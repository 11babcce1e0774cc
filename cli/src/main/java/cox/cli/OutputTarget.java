package cox.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard output, or the file of {@code -o FILE} (written in full, UTF-8). The file's folder
 * must exist: a folder that does not is a usage error naming it (exit 2), never made silently
 * (a typo in a path would otherwise leave the output where nobody looks).
 */
final class OutputTarget {
    private OutputTarget() {
    }

    interface Body {
        void write(Writer out) throws IOException;
    }

    /**
     * Checks that {@code file} can be a new or replaced output file: its folder exists and it is
     * not itself a folder. Commands call it before reading the runs, so a wrong {@code -o} fails
     * at once.
     *
     * @param file the file of {@code -o}, or null for standard output
     * @throws UsageException if not
     */
    static void check(Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("-o " + file + ": the folder " + parent + (Files.exists(parent) ? " is not a folder"
                    : " does not exist") + " (cox makes no folder for an output file)");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("-o " + file + ": is a folder; name a file in it");
        }
    }

    static void write(Path file, Writer stdout, Body body) {
        try {
            if (file == null) {
                body.write(stdout);
                stdout.flush();
                return;
            }
            check(file);
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8)) {
                body.write(w);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException((file == null ? "cannot write to standard output" : "cannot write " + file)
                    + ": " + ErrorText.reason(e), e);
        }
    }
}
