package cox.bench;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep as a lab logs one: {@code runs} experiments, each with a {@code results} table of
 * {@code rows} rows of {@link BenchStores#ROW} (one INT, three FLOAT, one STR column) and a
 * one-row {@code metadata} table of five hyperparameters. Made once into
 * {@code ${java.io.tmpdir}/cox4j-bench-sweep-RUNSxROWS-v2/} (override the parent folder with the
 * system property {@code cox.bench.dir}) and reused by later runs: a file {@code .complete} marks
 * a finished collection, so an interrupted generation starts again. The suffix changes with the
 * writer's files ({@code v2}: run summaries of format 2, which a reader takes as written), so a
 * benchmark never times a collection whose summaries the code it runs ignores.
 */
final class SweepCollection {
    static final Schema METADATA = Schema.of("lr", ColumnType.FLOAT, "batch_size", ColumnType.INT,
            "optimizer", ColumnType.STR, "seed", ColumnType.INT, "augment", ColumnType.BOOL);
    private static final String[] OPTIMIZERS = {"sgd", "adam", "adamw"};

    private SweepCollection() {
    }

    /**
     * The collection's folder, generated on first use.
     *
     * @param runs how many experiments
     * @param rows rows of each {@code results} table
     * @return the storage folder
     */
    static Path get(int runs, int rows) {
        Path parent = Path.of(System.getProperty("cox.bench.dir", System.getProperty("java.io.tmpdir")));
        Path dir = parent.resolve("cox4j-bench-sweep-" + runs + "x" + rows + "-v2");
        if (Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        try {
            if (Files.exists(dir)) {
                BenchStores.delete(dir);
            }
            Files.createDirectories(dir);
            long start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                write(dir, String.format(Locale.ROOT, "run-%05d", i), i, rows);
            }
            Files.writeString(dir.resolve(".complete"), "");
            System.err.printf(Locale.ROOT, "generated %d runs x %d rows in %s (%.1f s)%n", runs, rows, dir,
                    (System.nanoTime() - start) / 1e9);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the sweep in " + dir, e);
        }
    }

    private static void write(Path dir, String expId, int i, int rows) {
        try (Store store = Store.open(dir, expId)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", 0.001 * (1 + i % 10));
            meta.put("batch_size", 32L << (i % 4));
            meta.put("optimizer", OPTIMIZERS[i % OPTIMIZERS.length]);
            meta.put("seed", (long) i);
            meta.put("augment", i % 2 == 0);
            store.addTable("metadata", METADATA).appendRow(meta);
            Table results = store.addTable("results", BenchStores.ROW);
            BenchStores.logRows(results, rows);
        }
    }
}
