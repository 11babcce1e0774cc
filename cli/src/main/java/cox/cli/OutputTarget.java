package cox.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Standard output, or the file of {@code -o FILE} (written in full, UTF-8). */
final class OutputTarget {
    private OutputTarget() {
    }

    interface Body {
        void write(Writer out) throws IOException;
    }

    static void write(Path file, Writer stdout, Body body) {
        try {
            if (file == null) {
                body.write(stdout);
                stdout.flush();
                return;
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8)) {
                body.write(w);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + (file == null ? "to standard output" : file) + ": " + e, e);
        }
    }
}
