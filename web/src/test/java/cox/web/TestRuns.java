package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.testing.LiveRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real collections for the web tests, written with cox4j's own Store. */
final class TestRuns {
    static final String HOSTILE = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_ID = "x\"><svg onload=alert(2)>";
    static final double[] LRS = {0.1, 0.01, 0.001};
    static final String[] OPTIMIZERS = {"sgd", "adam"};

    private TestRuns() {
    }

    /**
     * Six runs {@code run-LR-OPT} (lr x optimizer, seed 0 and 1 alternating), each with a
     * metadata row and {@code rows} rows of results (epoch, loss, acc) logged to TensorBoard too;
     * a run {@code hostile} whose parameter {@code note} is {@link #HOSTILE}; a run named
     * {@link #HOSTILE_ID}; a run {@code objects} with OBJECT and PICKLE cells.
     */
    static void write(Path dir, int rows) {
        int i = 0;
        for (double lr : LRS) {
            for (String opt : OPTIMIZERS) {
                run(dir, "run-" + lr + "-" + opt, lr, opt, i % 2, "plain", rows);
                i++;
            }
        }
        run(dir, "hostile", 0.05, "sgd", 0, HOSTILE, rows);
        run(dir, HOSTILE_ID, 0.02, "adam", 1, "plain", rows);
        try (Store store = Store.open(dir, "objects")) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", 0.5);
            meta.put("optimizer", "sgd");
            meta.put("dataset", "cifar10");
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            Table t = store.addTable("checkpoints", Schema.of("epoch", ColumnType.INT, "obj", ColumnType.OBJECT,
                    "pick", ColumnType.PICKLE));
            t.appendRow(Map.of("epoch", 0, "obj", Map.of("a", 1L, "b", 2L), "pick", List.of(1L, 2L, 3L)));
        }
    }

    static void run(Path dir, String expId, double lr, String optimizer, long seed, String note, int rows) {
        try (Store store = Store.open(dir, expId)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("optimizer", optimizer);
            meta.put("seed", seed);
            meta.put("note", note);
            meta.put("dataset", "cifar10");
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            store.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT));
            Table results = store.table("results");
            for (int e = 0; e < rows; e++) {
                double loss = loss(lr, e);
                store.logTableAndTb("results", Map.of("loss", loss, "acc", 1 - loss / 3));
                results.updateRow(Map.of("epoch", e));
                results.flushRow();
            }
        }
    }

    static double loss(double lr, int epoch) {
        return LiveRun.loss(lr, epoch);
    }

    /**
     * Starts run {@code expId} of {@code dir} in another process ({@link LiveRun}): parameters as
     * the other runs' (lr 0.003, optimizer {@code live}, seed 7, note {@code written live}, dataset
     * cifar10), one results row every {@code pauseMillis} until killed.
     */
    static Process startLive(Path dir, String expId, long pauseMillis) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("lr", 0.003);
        meta.put("optimizer", "live");
        meta.put("seed", 7L);
        meta.put("note", "written live");
        meta.put("dataset", "cifar10");
        return LiveRun.start(dir, expId, Duration.ofMillis(pauseMillis), meta);
    }
}
