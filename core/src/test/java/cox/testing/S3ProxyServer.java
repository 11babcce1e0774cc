package cox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3 server for tests: S3Proxy ({@code org.gaul:s3proxy}, its jar-with-dependencies) started as
 * a child JVM with the jclouds {@code filesystem} backend, listening on {@code 127.0.0.1} at a free
 * port and checking AWS signatures (v2 or v4) against {@link #ACCESS_KEY} / {@link #SECRET_KEY}.
 * {@link #put} uploads a local folder's files as objects with plain signed HTTP requests, so a test
 * needs no S3 client of its own.
 *
 * <p>The jar is found through the system property {@value #JAR_PROPERTY}, which the module's
 * Maven build sets to the artifact's path (maven-dependency-plugin's {@code properties} goal);
 * {@link #isAvailable()} says whether it is set. A child that exits while starting (another
 * process took its port) is started again on a new port; a shutdown hook kills it if the test JVM
 * ends without {@link #close()}. Not thread-safe; {@link #close()} stops the server and is idempotent.
 */
public final class S3ProxyServer implements AutoCloseable {
    /** The system property naming S3Proxy's jar-with-dependencies. */
    public static final String JAR_PROPERTY = "cox.s3proxy.jar";
    /** The access key id the server accepts. */
    public static final String ACCESS_KEY = "cox-test-access";
    /** The secret key the server accepts. */
    public static final String SECRET_KEY = "cox-test-secret";
    /** How long the server may take to start before {@link #start} gives up (a deadline, not a measurement). */
    private static final long START_SECONDS = 120;
    /** How many times {@link #start} starts the server when it exits at once (its port taken meanwhile). */
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final Path log;
    private final Path buckets;
    private final URI endpoint;
    private boolean closed;
    /** The shutdown hook that kills the child if the test JVM ends without {@link #close()}. */
    private Thread killer;

    private S3ProxyServer(Process process, Path log, Path buckets, URI endpoint) {
        this.process = process;
        this.log = log;
        this.buckets = buckets;
        this.endpoint = endpoint;
    }

    /** @return whether {@value #JAR_PROPERTY} names an existing file */
    public static boolean isAvailable() {
        String jar = System.getProperty(JAR_PROPERTY);
        return jar != null && !jar.isEmpty() && Files.isRegularFile(Path.of(jar));
    }

    /**
     * Starts S3Proxy with its buckets, properties and log under {@code workDir} and waits until it
     * answers on its port.
     *
     * @param workDir a folder of the test's own (made if missing)
     * @return the running server
     * @throws IllegalStateException if the jar is not known ({@value #JAR_PROPERTY}) or the server
     *     does not start (the message holds its log)
     */
    public static S3ProxyServer start(Path workDir) {
        if (!isAvailable()) {
            throw new IllegalStateException("S3Proxy's jar is not known: the system property " + JAR_PROPERTY
                    + " (set by the module's pom) names " + System.getProperty(JAR_PROPERTY));
        }
        IllegalStateException exited = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return startOnce(workDir);
            } catch (ExitedAtStart e) {
                // most likely another process took the free port before the child bound it: a new port
                if (exited != null) {
                    e.addSuppressed(exited);
                }
                exited = e;
            }
        }
        throw exited;
    }

    /** The child JVM ended before it listened. */
    private static final class ExitedAtStart extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExitedAtStart(String message) {
            super(message);
        }
    }

    private static S3ProxyServer startOnce(Path workDir) {
        try {
            Path buckets = Files.createDirectories(workDir.resolve("s3proxy-buckets"));
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = workDir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    // the AWS SDK's checksum headers (x-amz-checksum-mode, ...), which S3Proxy 2.6 answers
                    // with 501 Not Implemented; S3 itself and MinIO accept them
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + buckets,
                    ""), StandardCharsets.UTF_8);
            Path log = workDir.resolve("s3proxy.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-jar", System.getProperty(JAR_PROPERTY), "--properties", properties.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            S3ProxyServer server = new S3ProxyServer(process, log, buckets, endpoint);
            // a test JVM that dies (or is stopped) without close() must not leave the server running
            server.killer = new Thread(process::destroyForcibly, "s3proxy-killer");
            Runtime.getRuntime().addShutdownHook(server.killer);
            try {
                server.awaitListening(port);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            if (!process.isAlive()) {
                throw new ExitedAtStart("S3Proxy exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not listen on port " + port + " within " + START_SECONDS
                            + " s:\n" + log());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while S3Proxy starts", e);
            }
        }
    }

    /** @return the server's address, {@code http://127.0.0.1:PORT} (as {@code AWS_ENDPOINT_URL} takes it) */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The environment an AWS client needs to reach this server: {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_REGION} ({@code us-east-1}) and
     * {@code AWS_ENDPOINT_URL}.
     *
     * @return the variables
     */
    public Map<String, String> environment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", endpoint.toString());
    }

    /**
     * Makes bucket {@code bucket} (if missing) and uploads every file below {@code folder} into it
     * as an object named {@code prefix/RELATIVE/PATH}, one S3 {@code PUT} each (signed with AWS
     * signature version 2), so the server keeps each object's ETag as S3 does; empty folders are
     * left out, as S3 has none. Each object's Last-Modified is the local file's modification time
     * (to the second), so listings of the two agree.
     *
     * @param folder a local folder
     * @param bucket a bucket name (lower case letters, digits, hyphens)
     * @param prefix the objects' common prefix without a trailing slash, or "" for none
     * @throws IllegalStateException naming the object if the server refuses one
     */
    public void put(Path folder, String bucket, String prefix) {
        try (Stream<Path> files = Files.walk(folder)) {
            if (!Files.isDirectory(buckets.resolve(bucket))) {
                request("/" + bucket, new byte[0]);
            }
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                StringBuilder key = new StringBuilder("/" + bucket);
                if (!prefix.isEmpty()) {
                    key.append('/').append(prefix);
                }
                for (Path part : folder.relativize(f)) {
                    key.append('/').append(part);
                }
                request(key.toString(), Files.readAllBytes(f));
                // the backend's file is the object: its time is the object's Last-Modified, as S3 keeps
                // the upload's; set to the local file's, a test compares the times a reader shows
                Path stored = buckets.resolve(key.substring(1));
                if (Files.isRegularFile(stored)) {
                    Files.setLastModifiedTime(stored, Files.getLastModifiedTime(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code PUT} of {@code body} to {@code resource} ({@code /bucket} or {@code /bucket/key}). */
    private void request(String resource, byte[] body) throws IOException {
        StringBuilder encoded = new StringBuilder();
        for (String segment : resource.substring(1).split("/", -1)) {
            encoded.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String contentType = "application/octet-stream";
        String toSign = "PUT\n\n" + contentType + "\n\nx-amz-date:" + date + "\n" + encoded;
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + encoded.toString()).toURL().openConnection();
        try {
            c.setRequestMethod("PUT");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty("Content-Type", contentType);
            c.setRequestProperty("x-amz-date", date);
            c.setRequestProperty("Authorization", "AWS " + ACCESS_KEY + ":" + signature);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            if (status / 100 != 2) {
                InputStream error = c.getErrorStream();
                String text = error == null ? "" : new String(error.readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("S3Proxy answered PUT " + resource + " with " + status + ": " + text);
            }
        } finally {
            c.disconnect();
        }
    }

    /** @return what the server printed so far */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (killer != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
