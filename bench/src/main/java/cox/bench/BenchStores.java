package cox.bench;

import cox.store.ColumnType;
import cox.store.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The table the store benchmarks log to: one INT, three FLOAT and one STR column. */
final class BenchStores {
    static final Schema ROW = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT,
            "lr", ColumnType.FLOAT, "phase", ColumnType.STR);

    private BenchStores() {
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("cox4j-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
