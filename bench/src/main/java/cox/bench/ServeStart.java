package cox.bench;

import cox.store.Store;
import cox.web.CoxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long {@code cox serve} takes to answer a complete {@code GET /api/runs} (what the page asks
 * first: the default table, the last value of each metric) over a {@link ServeCollection}: on its
 * first-ever start (an empty cache folder: every run worked out, from the summary its writer left
 * or from its store) and on each restart with what it saved there, then how long a run written
 * while it serves takes to appear in the page's poll ({@code since=VERSION}). A benchmark command,
 * not a test:
 * <pre>{@code
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) cox.bench.ServeStart 100000 100 [restarts] [cacheDir]
 * }</pre>
 * prints one line per start. The time is measured in this JVM from the server's start to the
 * answer's last byte (the JVM's own start is not counted), with the CPU time the JVM used meanwhile
 * (all its threads: on a loaded machine a steadier measure than the wall time); the collection is
 * made first if needed.
 */
final class ServeStart {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String FIRST = "/api/runs?summary=last&stats=last";
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

    private ServeStart() {
    }

    /**
     * @param args runs, rows (default 100000 100), restarts (default 2), the cache folder (default a new temporary one)
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int restarts = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path cache = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("cox4j-serve-start");
        Path dir = ServeCollection.get(runs, rows);
        for (int i = 0; i <= restarts; i++) {
            long t0 = System.nanoTime();
            long c0 = cpu();
            try (CoxServer server = CoxServer.builder(dir).port(0).summaryDir(cache).runIndexDir(cache).start()) {
                String body = get(server.uri(), FIRST);
                long t1 = System.nanoTime();
                System.out.printf(Locale.ROOT, "%s start: complete /api/runs (%s runs, %,d bytes) %.2f s (cpu %.2f s)%n",
                        i == 0 ? "first" : "re", group(COUNT, body), body.length(), (t1 - t0) / 1e9, (cpu() - c0) / 1e9);
                if (i == restarts) {
                    appears(server, dir, body);
                }
                long t2 = System.nanoTime();
                long c2 = cpu();
                get(server.uri(), FIRST);
                System.out.printf(Locale.ROOT, "  the same again (warm): %.2f s (cpu %.2f s)%n", (System.nanoTime() - t2) / 1e9,
                        (cpu() - c2) / 1e9);
                if (i == restarts) {
                    StringBuilder times = new StringBuilder();
                    StringBuilder cpus = new StringBuilder();
                    for (String where : new String[] {"lr < 0.01 and optimizer == adam", "loss.best < 0.2 or arch == resnet50",
                        "exp_id ~ 9$", "lr < 0.01 and optimizer == adam"}) {
                        long t3 = System.nanoTime();
                        long c3 = cpu();
                        get(server.uri(), "/api/filter?summary=last&where=" + java.net.URLEncoder.encode(where, StandardCharsets.UTF_8));
                        times.append(String.format(Locale.ROOT, " %.0f", (System.nanoTime() - t3) / 1e6));
                        cpus.append(String.format(Locale.ROOT, " %.0f", (cpu() - c3) / 1e6));
                    }
                    System.out.println("  /api/filter over every run (ms):" + times + " (cpu ms:" + cpus + ")");
                }
            }
        }
    }

    /**
     * Opens a run that was quiet (as a training job resuming it does), appends a row, and polls as
     * the page does until the run comes with its new row count; the writer stays open meanwhile.
     * Once right after the start, and once more (another run) after the scanner's first full scan.
     */
    private static void appears(CoxServer server, Path dir, String first) throws Exception {
        appears(server, dir, Long.parseLong(group(VERSION, first)), "run-00007", "");
        // once the restart's first full scan is done (the scanner knows each run's lock), as a server running for a while
        Pattern lastScan = Pattern.compile("\"last_scan_ms\":(\\d+)");
        long waited = System.nanoTime();
        while (Long.parseLong(group(lastScan, get(server.uri(), "/api/status")).replace("?", "0")) == 0
                && System.nanoTime() - waited < 120_000_000_000L) {
            Thread.sleep(200);
        }
        Thread.sleep(1000);
        String now = get(server.uri(), "/api/status");
        appears(server, dir, Long.parseLong(group(VERSION, now)), "run-00011", " (after the first full scan)");
    }

    private static void appears(CoxServer server, Path dir, long since, String id, String when) throws Exception {
        long version = since;
        try (Store store = Store.open(dir, id)) {
            long rows = store.table("results").nrows();
            store.table("results").appendRow(Map.of("epoch", rows, "loss", 0.5, "acc", 0.5, "val_loss", 0.5, "val_acc", 0.5));
            long written = System.nanoTime();
            long writtenCpu = cpu();
            while (System.nanoTime() - written < 120_000_000_000L) {
                String body = get(server.uri(), FIRST + "&since=" + version);
                if (body.contains("\"" + id + "\"") && body.contains("\"rows\":[" + (rows + 1) + "]")) {
                    System.out.printf(Locale.ROOT, "  a quiet run a writer opens and appends a row to appears in the poll%s, "
                            + "with the row, %.2f s after the append (cpu %.2f s)%n", when, (System.nanoTime() - written) / 1e9,
                            (cpu() - writtenCpu) / 1e9);
                    return;
                }
                version = Long.parseLong(group(VERSION, body));
                Thread.sleep(100);
            }
        }
        System.out.println("  the run written did not appear within 120 s");
    }

    /** The CPU time this JVM used so far (every thread: the server's, its GC and compiler, this client's), in nanoseconds. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "?";
    }

    private static String get(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + path);
        }
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
