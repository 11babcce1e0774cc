package cox.bench;

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
import java.util.Arrays;
import java.util.Locale;

/**
 * How long one restart of {@code cox serve} takes to answer a complete {@code GET /api/runs} (the
 * page's first request) with an existing cache folder, in this fresh JVM, and its first poll
 * after that; unlike {@link ServeStart} it writes nothing into the served folder (only the server
 * writes its cache folder). A benchmark command, not a test; run it several times:
 * <pre>{@code
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) cox.bench.ServeRestart DIR CACHEDIR [verify]
 * }</pre>
 * prints the time from the server's start to the answer's last byte with the JVM's CPU time
 * meanwhile, how many requests the saved answer answered ({@code saved_answers}), the time of the
 * page's next poll ({@code since=}), and the load average; with {@code verify}, whether the
 * answer is byte for byte the one the loaded server computes for the same request (its parameters
 * in another order, so not the saved one).
 */
final class ServeRestart {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String FIRST = "/api/runs?summary=last&stats=last";

    private ServeRestart() {
    }

    /**
     * @param args the served folder, the cache folder, and optionally {@code verify}
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        boolean verify = args.length > 2 && args[2].equals("verify");
        long t0 = System.nanoTime();
        long c0 = cpu();
        try (CoxServer server = CoxServer.builder(dir).port(0).summaryDir(cache).runIndexDir(cache).start()) {
            long started = System.nanoTime();
            byte[] body = get(server.uri(), FIRST);
            long t1 = System.nanoTime();
            long c1 = cpu();
            String head = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
            String version = head.replaceAll("(?s).*\"version\":(\\d+).*", "$1");
            long tp = System.nanoTime();
            byte[] poll = get(server.uri(), FIRST + "&since=" + version);
            long t2 = System.nanoTime();
            String status = new String(get(server.uri(), "/api/status"), StandardCharsets.UTF_8);
            System.out.printf(Locale.ROOT, "restart: complete /api/runs (%,d bytes) %.2f s (server start %.2f s; cpu %.2f s), "
                    + "saved_answers=%s; next poll (%,d bytes) %.2f s; load %s%n", body.length, (t1 - t0) / 1e9,
                    (started - t0) / 1e9, (c1 - c0) / 1e9, status.replaceAll("(?s).*\"saved_answers\":(\\d+).*", "$1"),
                    poll.length, (t2 - tp) / 1e9, Files.readString(Path.of("/proc/loadavg")).trim());
            if (verify) {
                byte[] computed = get(server.uri(), "/api/runs?stats=last&summary=last");
                System.out.println("  the loaded server computes the same bytes: " + Arrays.equals(body, computed));
            }
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static byte[] get(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + path);
        }
        return r.body();
    }
}
