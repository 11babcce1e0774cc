package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run in another process, for the live tests: opens run {@code expId} of a storage
 * folder, writes its metadata, then appends one results row every {@code pauseMillis}, printing
 * {@code ready} after the first row and each epoch after its {@code flushRow()} returned, for
 * {@code seconds} seconds (0: until killed).
 *
 * <p>Arguments: folder, exp_id, pauseMillis, seconds.
 */
public final class LiveRunWriter {
    private LiveRunWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        String expId = args[1];
        long pause = Long.parseLong(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        try (Store store = new Store(folder, expId)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", 0.003);
            meta.put("optimizer", "live");
            meta.put("seed", 7L);
            meta.put("note", "written live");
            meta.put("dataset", "cifar10");
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            Table results = store.addTable("results",
                    Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT));
            for (int e = 0; System.nanoTime() < deadline; e++) {
                double loss = TestRuns.loss(0.003, e);
                results.appendRow(Map.of("epoch", e, "loss", loss, "acc", 1 - loss / 3));
                System.out.println(e == 0 ? "ready" : Integer.toString(e));
                System.out.flush();
                Thread.sleep(pause);
            }
        }
        System.out.println("done");
    }

    /** Starts this main in a child JVM with the test's class path. */
    static Process start(Path folder, String expId, long pauseMillis, double seconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                LiveRunWriter.class.getName(), folder.toString(), expId, Long.toString(pauseMillis), Double.toString(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
