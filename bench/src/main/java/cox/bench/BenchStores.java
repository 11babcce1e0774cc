package cox.bench;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Table;
import java.util.HashMap;
import java.util.Map;
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

    /** Logs {@code n} rows of {@link #ROW} into {@code t}, the way a training loop would. */
    static void logRows(Table t, int n) {
        Map<String, Object> row = new HashMap<>();
        row.put("acc", 0.75);
        row.put("lr", 0.1);
        for (int i = 0; i < n; i++) {
            row.put("epoch", i);
            row.put("loss", 1.0 / (i + 1));
            row.put("phase", (i & 1) == 0 ? "train" : "validation");
            t.appendRow(row);
        }
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
