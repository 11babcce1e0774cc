package cox.bench;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sweep for {@code cox serve} at scale: {@code runs} experiments of {@code rows} epochs each,
 * with the hyperparameters and curves of a real sweep (loss falls with the learning rate, seeds
 * add noise) so that charts, groups and filters have something to show. Each run has a one-row
 * {@code metadata} table ({@code lr, batch_size, optimizer, seed, augment, arch, dataset}; the
 * last is the same everywhere) and a {@code results} table ({@code epoch, loss, acc, val_loss,
 * val_acc}).
 *
 * <p>Made once into {@code ${cox.bench.dir:-java.io.tmpdir}/cox4j-serve-RUNSxROWS-v1/} and reused: a
 * file {@code .complete} marks a finished collection. From the command line:
 * <pre>{@code
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) cox.bench.ServeCollection 10000 1000
 * }</pre>
 * prints the folder. Runs are written on {@code -Dcox.bench.threads} threads (default: one per
 * core); an interrupted generation resumes where it stopped.
 */
final class ServeCollection {
    static final Schema METADATA = Schema.of("lr", ColumnType.FLOAT, "batch_size", ColumnType.INT,
            "optimizer", ColumnType.STR, "seed", ColumnType.INT, "augment", ColumnType.BOOL, "arch", ColumnType.STR,
            "dataset", ColumnType.STR);
    static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT,
            "val_loss", ColumnType.FLOAT, "val_acc", ColumnType.FLOAT);
    private static final double[] LRS = {0.001, 0.003, 0.01, 0.03, 0.1};
    private static final String[] OPTIMIZERS = {"sgd", "adam", "adamw"};
    private static final String[] ARCHS = {"resnet18", "resnet50"};

    private ServeCollection() {
    }

    /**
     * Generates the collection if needed and prints its folder.
     *
     * @param args runs and rows (default 10000 1000)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        System.out.println(get(runs, rows));
    }

    /**
     * The collection's folder, generated on first use.
     *
     * @param runs how many experiments
     * @param rows epochs of each run
     * @return the storage folder
     */
    static Path get(int runs, int rows) {
        Path parent = Path.of(System.getProperty("cox.bench.dir", System.getProperty("java.io.tmpdir")));
        Path dir = parent.resolve("cox4j-serve-" + runs + "x" + rows + "-v1");
        if (Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            long start = System.nanoTime();
            int threads = Integer.getInteger("cox.bench.threads", Runtime.getRuntime().availableProcessors());
            AtomicInteger done = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
            try {
                List<Future<?>> futures = new ArrayList<>();
                // a run per task: stores are independent, so the writes spread over the cores
                for (int i = 0; i < runs; i++) {
                    int run = i;
                    futures.add(pool.submit(() -> {
                        writeOnce(dir, run, rows);
                        int n = done.incrementAndGet();
                        if (n % 5_000 == 0) {
                            System.err.printf(Locale.ROOT, "%d runs (%.0f s)%n", n, (System.nanoTime() - start) / 1e9);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating " + dir, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot generate the collection in " + dir, e.getCause());
            } finally {
                pool.shutdownNow();
            }
            Files.writeString(dir.resolve(".complete"), "");
            System.err.printf(Locale.ROOT, "generated %d runs x %d rows in %s (%.1f s, %d threads)%n", runs, rows, dir,
                    (System.nanoTime() - start) / 1e9, threads);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the collection in " + dir, e);
        }
    }

    /** Writes run {@code i} unless a {@code .done} file says an earlier generation finished it. */
    private static void writeOnce(Path dir, int i, int rows) throws IOException {
        String expId = String.format(Locale.ROOT, "run-%05d", i);
        if (!Files.exists(dir.resolve(expId).resolve(".done"))) {
            if (Files.exists(dir.resolve(expId))) {
                BenchStores.delete(dir.resolve(expId));
            }
            write(dir, expId, i, rows);
            Files.writeString(dir.resolve(expId).resolve(".done"), "");
        }
    }

    private static void write(Path dir, String expId, int i, int rows) {
        SplittableRandom random = new SplittableRandom(i);
        double lr = LRS[i % LRS.length];
        String optimizer = OPTIMIZERS[(i / LRS.length) % OPTIMIZERS.length];
        long batch = 32L << ((i / 15) % 4);
        String arch = ARCHS[(i / 60) % ARCHS.length];
        try (Store store = Store.open(dir, expId)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", lr);
            meta.put("batch_size", batch);
            meta.put("optimizer", optimizer);
            meta.put("seed", (long) (i / 120));
            meta.put("augment", (i / 7) % 2 == 0);
            meta.put("arch", arch);
            meta.put("dataset", "cifar10");
            store.addTable("metadata", METADATA).appendRow(meta);
            Table results = store.addTable("results", RESULTS);
            double speed = 30 * lr * (optimizer.equals("sgd") ? 1 : 3) * (arch.equals("resnet50") ? 0.8 : 1);
            double floor = 0.15 + 0.05 * Math.log10(batch / 32.0) + random.nextDouble() * 0.05;
            Map<String, Object> row = new LinkedHashMap<>();
            for (int e = 0; e < rows; e++) {
                double clean = floor + 2.2 * Math.exp(-speed * e / Math.max(1, rows / 100.0));
                double loss = clean * (1 + 0.08 * (random.nextDouble() - 0.5));
                double val = clean * 1.1 + 0.02 * e / rows + 0.05 * (random.nextDouble() - 0.5);
                row.put("epoch", (long) e);
                row.put("loss", loss);
                row.put("acc", 1 - loss / 2.5);
                row.put("val_loss", val);
                row.put("val_acc", 1 - val / 2.6);
                results.appendRow(row);
            }
        }
    }
}
