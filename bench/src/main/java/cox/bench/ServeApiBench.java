package cox.bench;

import cox.web.CoxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code GET /api/runs} of {@code cox serve} over a {@link ServeCollection} ({@code runs} runs x
 * 1,000 epochs), through HTTP on the loopback:
 * <ul>
 *   <li>{@code runsWarm}: the summaries are cached (what a page reload costs): one scan result,
 *     10,000 runs written as JSON, read by the client;</li>
 *   <li>{@code runsCold}: a new server each time, so every store is opened and read (what the
 *     first page load costs);</li>
 *   <li>{@code filterWarm}: {@code /api/filter} with a filter over parameters and summaries.</li>
 * </ul>
 * {@code bench/run ServeApiBench -p runs=10000} (cold with 10,000 runs takes minutes per call on
 * today's native HDF5 engine: {@code bench/run 'ServeApiBench.runsCold' -p runs=1000}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class ServeApiBench {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"10000"})
        int runs;
        Path dir;
        CoxServer server;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = ServeCollection.get(runs, 1000);
            server = CoxServer.builder(dir).port(0).start();
            get(server.uri(), "/api/runs?table=results");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            server.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Cold {
        @Param({"1000"})
        int runs;
        Path dir;
        CoxServer server;

        @Setup(Level.Trial)
        public void collection() {
            dir = ServeCollection.get(runs, 1000);
        }

        @Setup(Level.Invocation)
        public void setUp() {
            server = CoxServer.builder(dir).port(0).start();
        }

        @TearDown(Level.Invocation)
        public void tearDown() {
            server.close();
        }
    }

    static long get(URI base, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + path);
        }
        return r.body().length;
    }

    @Benchmark
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 3)
    public long runsWarm(Warm s) throws Exception {
        return get(s.server.uri(), "/api/runs?table=results");
    }

    @Benchmark
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 3)
    public long filterWarm(Warm s) throws Exception {
        return get(s.server.uri(), "/api/filter?table=results&where=lr%20%3C%200.01%20and%20loss.best%20%3C%200.2");
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public long runsCold(Cold s) throws Exception {
        return get(s.server.uri(), "/api/runs?table=results");
    }
}
