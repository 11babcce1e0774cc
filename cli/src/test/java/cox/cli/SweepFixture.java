package cox.cli;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The folder of runs the {@code cox sql} and {@code cox export} tests read: six runs cox4j writes
 * (metadata with an OBJECT column, results with INT, FLOAT (NaN, -0.0, infinity), STR (unicode),
 * BOOL; run 4 logs acc as INT, run 3 has an extra column) and the three runs Python cox wrote
 * (src/test/resources/cox-python).
 */
final class SweepFixture {
    static final String[] OPTIMIZERS = {"sgd", "adam", "adamw"};

    private SweepFixture() {
    }

    static Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < 6; i++) {
            run(folder, String.format("run-%02d", i), i);
        }
        for (int e = 0; e < 3; e++) {
            copy(Path.of("src/test/resources/cox-python/exp-" + e), folder.resolve("exp-" + e));
        }
        return folder;
    }

    static void run(Path dir, String id, int i) {
        try (Store s = new Store(dir, id)) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "config", ColumnType.OBJECT))
                    .appendRow(Map.of("lr", 0.1 / (i + 1), "optimizer", OPTIMIZERS[i % 3],
                            "config", Map.of("depth", (long) i, "layers", List.of(64L, 32L))));
            Schema.Builder b = Schema.builder().add("epoch", ColumnType.INT).add("loss", ColumnType.FLOAT)
                    .add("acc", i == 4 ? ColumnType.INT : ColumnType.FLOAT).add("phase", ColumnType.STR)
                    .add("best", ColumnType.BOOL);
            if (i == 3) {
                b.add("grad_norm", ColumnType.FLOAT);
            }
            Table t = s.addTable("results", b.build());
            for (int r = 0; r < 3 + i; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", (long) r);
                double loss = 1.0 / (r + 1) + i;
                if (i == 2 && r == 1) {
                    loss = Double.NaN;
                } else if (i == 2 && r == 2) {
                    loss = -0.0;
                } else if (i == 5 && r == 0) {
                    loss = Double.POSITIVE_INFINITY;
                }
                row.put("loss", loss);
                row.put("acc", i == 4 ? (Object) (long) r : (Object) (r / 3.0));
                row.put("phase", r % 2 == 0 ? "train" : "validation ✓, \"quoted\"");
                row.put("best", r == 1);
                if (i == 3) {
                    row.put("grad_norm", 0.5 * r);
                }
                t.appendRow(row);
            }
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
