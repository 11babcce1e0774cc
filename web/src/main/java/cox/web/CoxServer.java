package cox.web;

import cox.io.Locations;
import cox.readers.filter.FilterBudgetException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cox serve}: a local web page and JSON API over a folder of cox experiments — the runs
 * table, charts, parallel coordinates, a diff of two runs and a page per run, updated live while
 * runs are written. Python cox has no such thing (it points its users to TensorBoard).
 *
 * <pre>{@code
 * try (CoxServer server = CoxServer.builder(Path.of("runs")).port(8080).start()) {
 *     System.out.println(server.uri());   // http://127.0.0.1:8080/
 *     server.join();
 * }
 * }</pre>
 *
 * <p>Read-only: it answers GET (and HEAD) only and never writes into the folder. It binds to
 * 127.0.0.1 unless told otherwise; bound to a loopback address it answers only requests whose
 * {@code Host} is a loopback name (so a web page elsewhere cannot read it through DNS
 * rebinding). Every response carries a Content-Security-Policy that lets the page load and fetch
 * only from the server itself. The page and its scripts (uPlot, from its WebJar) come from the
 * class path, so it works offline.
 *
 * <p>The endpoints: {@code GET /api/runs}, {@code /api/runs/{exp_id}},
 * {@code /api/runs/{exp_id}/tables/{table}}, {@code /api/runs/{exp_id}/scalars},
 * {@code /api/series}, {@code /api/filter}, {@code /api/df}, {@code /api/status} (see the README).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class CoxServer implements AutoCloseable {
    /** The policy every response carries: nothing is loaded from or sent to anywhere but this server. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";
    private static final Logger LOG = LoggerFactory.getLogger(CoxServer.class);
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Path directory;
    private final RunIndex index;
    private final Javalin app;
    private final URI uri;
    private final Object lock = new Object();
    private boolean closed;

    private CoxServer(Builder b) {
        this.directory = b.directory;
        this.index = new RunIndex(directory, b.metadataTable, b.readerThreads, b.cacheBytes, b.minScanMillis,
                b.summaryDir == null ? null : SummaryFile.in(b.summaryDir, directory),
                b.runIndexDir == null ? null : () -> cox.readers.RunIndex.load(b.runIndexDir, directory));
        boolean loopback = isLoopback(b.host);
        RunsEndpoints runs = new RunsEndpoints(index.scanner(), index.summaries());
        RunEndpoints run = new RunEndpoints(index.scanner(), index.summaries());
        SeriesEndpoint series = new SeriesEndpoint(index.scanner(), index.summaries());
        DfEndpoint df = new DfEndpoint(index.scanner(), index.summaries());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.generateEtags = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/cox/web/static";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache");
            });
            config.staticFiles.enableWebjars();
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setRequestHeaderSize(64 * 1024);
                // an encoded '/' in a run id reaches our lookup (and gets a 404) instead of a 400 from Jetty
                http.setUriCompliance(UriCompliance.DEFAULT.with("cox", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
            });
            config.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Cross-Origin-Resource-Policy", "same-origin");
                if (loopback && !LOOPBACK_NAMES.contains(hostName(ctx.header("Host")))) {
                    throw new ApiError(403, "cox serve on " + b.host + " answers only requests to localhost/127.0.0.1; Host was '"
                            + ctx.header("Host") + "'");
                }
            });
            config.routes.before("/api/*", ctx -> {
                ctx.header("Cache-Control", "no-store");
                refuseOtherSites(ctx);
            });
            config.routes.get("/api/status", runs::status);
            config.routes.get("/api/runs", runs::runs);
            config.routes.get("/api/filter", runs::filter);
            config.routes.get("/api/series", series::series);
            config.routes.get("/api/df", df::df);
            config.routes.get("/api/groups", df::groups);
            config.routes.get("/api/runs/{exp_id}", run::run);
            config.routes.get("/api/runs/{exp_id}/tables/{table}", run::rows);
            config.routes.get("/api/runs/{exp_id}/scalars", run::scalars);
            config.routes.exception(ApiError.class, CoxServer::sendError);
            config.routes.exception(FilterBudgetException.class, (e, ctx) -> sendError(new ApiError(400, e.getMessage()), ctx));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("cox serve: {} {} failed with a 500", ctx.method(), ctx.path(), e);
                sendError(new ApiError(500, (e.getMessage() == null ? "an unexpected error" : e.getMessage())
                        + " (the log of cox serve has the details)"), ctx);
            });
        });
        try {
            app.start(b.host, b.port);
        } catch (RuntimeException e) {
            index.close();
            throw new IllegalStateException("cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
        }
        index.warmUp(runs.firstAnswered());
        String shown = b.host.contains(":") ? "[" + b.host + "]" : b.host;
        this.uri = URI.create("http://" + shown + ":" + app.port() + "/");
    }

    /**
     * @param directory the storage folder whose sub-folders are experiments
     * @return a builder; {@link Builder#start()} starts the server
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** @return the page's address, e.g. {@code http://127.0.0.1:8080/} */
    public URI uri() {
        return uri;
    }

    /** @return the port listened on (the one chosen when 0 was asked for) */
    public int port() {
        return app.port();
    }

    /** @return the storage folder served */
    public Path directory() {
        return directory;
    }

    /**
     * Blocks until the server is closed (by {@link #close()} from another thread, e.g. a shutdown hook).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        synchronized (lock) {
            while (!closed) {
                lock.wait();
            }
        }
    }

    /** Stops listening, waits for requests in flight to end, releases the reader threads; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        try {
            app.stop();
        } finally {
            index.close();
        }
    }

    private static void sendError(ApiError e, Context ctx) {
        ctx.status(e.status());
        ctx.contentType("application/json; charset=utf-8");
        StringBuilder json = new StringBuilder("{\"error\":").append(quote(e.getMessage()));
        if (e.problem() != null) {
            json.append(",\"problem\":").append(quote(e.problem()));
        }
        if (e.position() != null) {
            json.append(",\"position\":").append(e.position());
        }
        ctx.result(json.append('}').toString());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Refuses an API request that a page of another site sent (issue 17: any page can make a
     * browser fetch {@code http://localhost:8080/api/...}, e.g. as an {@code <img>}, and the Host
     * check passes): {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none} (typed
     * in the address bar), or an {@code Origin} other than this server's own
     * {@code http://HOST:PORT} (as the request's Host names it). A request with neither header (curl,
     * scripts, pandas) is answered; browsers send at least one on every cross-site request.
     */
    static void refuseOtherSites(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw new ApiError(403, "cox serve answers its API only to its own page: this request came from another site "
                    + "(Sec-Fetch-Site: " + site + ")");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            throw new ApiError(403, "cox serve answers its API only to its own page: this request came from " + origin
                    + ", not from http://" + ctx.header("Host"));
        }
    }

    /** Whether {@code origin} is {@code http://} and the Host header's host and port (80 when absent). */
    private static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        URI o;
        try {
            o = new URI(origin.trim());
        } catch (java.net.URISyntaxException e) {
            return false; // "null" (a sandboxed or file: page) and anything malformed
        }
        if (!"http".equalsIgnoreCase(o.getScheme()) || o.getHost() == null || o.getRawPath() != null && !o.getRawPath().isEmpty()) {
            return false;
        }
        String host = hostName(hostHeader);
        String h = hostHeader.trim();
        int portStart = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        int port = 80;
        if (portStart > 0) {
            try {
                port = Integer.parseInt(h.substring(portStart + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        int originPort = o.getPort() < 0 ? 80 : o.getPort();
        return o.getHost().toLowerCase(Locale.ROOT).equals(host) && originPort == port;
    }

    /** The host name of a Host header, without the port; "[::1]" stays bracketed. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Configures and starts a {@link CoxServer}. Not thread-safe; use one builder per server.
     */
    public static final class Builder {
        private final Path directory;
        private String host = "127.0.0.1";
        private int port = 8080;
        private String metadataTable = "metadata";
        private int readerThreads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private long cacheBytes = Runtime.getRuntime().maxMemory() / 4;
        private long minScanMillis = 500;
        private Path summaryDir;
        private Path runIndexDir;

        private Builder(Path directory) {
            Objects.requireNonNull(directory, "directory");
            this.directory = directory.toAbsolutePath().normalize();
        }

        /**
         * @param host the address to bind, default {@code 127.0.0.1}; {@code 0.0.0.0} serves every
         *     interface (the page then has no other protection: it is meant for your machine)
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the port, default 8080; 0 picks a free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param metadataTable the table whose first row holds a run's parameters, default {@code metadata}
         *     (as cox's {@code tensorboard_view --metadata-table})
         * @return this builder
         */
        public Builder metadataTable(String metadataTable) {
            this.metadataTable = Objects.requireNonNull(metadataTable, "metadataTable");
            return this;
        }

        /**
         * @param threads how many stores are read at once when summaries are computed, default 2–4
         * @return this builder
         */
        public Builder readerThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("readerThreads < 1: " + threads);
            }
            this.readerThreads = threads;
            return this;
        }

        /**
         * @param bytes how many bytes of curves to keep in memory for the charts, default a quarter of the heap
         * @return this builder
         */
        public Builder cacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheBytes < 0: " + bytes);
            }
            this.cacheBytes = bytes;
            return this;
        }

        /**
         * @param millis the shortest time between two scans of the folder for changes, default 500
         * @return this builder
         */
        public Builder minScanMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("minScanMillis < 0: " + millis);
            }
            this.minScanMillis = millis;
            return this;
        }

        /**
         * Keeps the summaries on disk too, in a file of {@code dir} (outside the served folder),
         * so that a restarted server reads only the stores that changed meanwhile, and beside it the
         * first {@code /api/runs} answer a restart worked out from it alone, which the next restart sends at once
         * while it is provably its answer. The files can be deleted at any time. Off by default;
         * {@code cox serve} keeps them in {@code ~/.cache/cox4j/serve}.
         *
         * @param dir the folder of summary files, or null for none
         * @return this builder
         */
        public Builder summaryDir(Path dir) {
            this.summaryDir = dir == null ? null : dir.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Keeps the run index that {@code cox ls} and {@code cox df} share ({@link cox.readers.RunIndex})
         * in {@code dir}: a run whose summary the index holds at its files' stamp is not read
         * again, and the runs the server summarizes are saved there for the others. Off by
         * default (an index in memory); {@code cox serve} keeps it in
         * {@link cox.readers.RunIndex#defaultDirectory()}.
         *
         * @param dir the folder of run indexes, or null for an index in memory
         * @return this builder
         */
        public Builder runIndexDir(Path dir) {
            this.runIndexDir = dir == null ? null : dir.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws IllegalArgumentException if the directory is not a folder
         * @throws IllegalStateException if the port cannot be bound (Javalin's message names it)
         */
        public CoxServer start() {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("not a folder of experiments: " + Locations.text(directory));
            }
            return new CoxServer(this);
        }
    }
}
