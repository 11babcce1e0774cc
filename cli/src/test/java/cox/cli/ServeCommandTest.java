package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cox serve} as a user runs it: a separate process, stopped with Ctrl-C (SIGINT) or SIGTERM. */
class ServeCommandTest {
    private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:(\\d+)/)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void serve_printsTheAddress_answers_andStopsCleanlyOnASignal(String signal, int exitCode) throws Exception {
        // a shell that starts a build in the background (`nohup mvn ... &`) has it ignore SIGINT, and
        // every child inherits that: the JVM then never hears Ctrl-C, rightly
        assumeFalse(signal.equals("INT") && ignoresSigint(), "SIGINT is ignored by this JVM, so by the child too");
        try (Store store = Store.open(dir, "run-1")) {
            store.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), CoxCommand.class.getName(),
                "serve", dir.toString(), "--port", "0", "--cache-dir", dir.resolve(".cache").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).startsWith("cox serve: " + dir.toAbsolutePath().normalize() + " at http://127.0.0.1:")
                    .endsWith("(Ctrl-C stops)");
            Matcher m = URL.matcher(line);
            assertThat(m.find()).isTrue();
            URI uri = URI.create(m.group(1));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/api/runs"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"exp_id\":[\"run-1\"]", "\"lr\":[0.1]"); // columns: one value per run

            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // a hang guard; if it is passed, the child's threads say where it waits
            boolean stopped = p.waitFor(60, TimeUnit.SECONDS);
            assertThat(stopped).as("stops within 60 s; its threads:%n%s", stopped ? "" : threads(p)).isTrue();
            // the shutdown hook ran: the server closed and said so; the JVM reports the signal (128 + its number)
            assertThat(out.readLine()).isEqualTo("cox serve: stopped");
            assertThat(p.exitValue()).isEqualTo(exitCode);
            boolean refused;
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                refused = !s.isConnected();
            } catch (ConnectException e) {
                refused = true;
            }
            assertThat(refused).as("the port is released").isTrue();
            try (var files = Files.list(dir.resolve(".cache"))) {
                assertThat(files.map(f -> f.getFileName().toString()).toList()).as("the summaries were kept for the next start")
                        .singleElement().satisfies(n -> assertThat(n).endsWith(".summaries"));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether this process ignores SIGINT (Linux: bit 1 of SigIgn in /proc/self/status), as its children then do. */
    private static boolean ignoresSigint() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux: assume the default disposition
        }
        return false;
    }

    /** The thread dump of a running child JVM (through jcmd), or why there is none. */
    private static String threads(Process p) {
        if (!p.isAlive()) {
            return "(it has stopped)";
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process dump = new ProcessBuilder(jcmd, Long.toString(p.pid()), "Thread.print").redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            return text;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    @Test
    void serve_aFolderThatIsNotOne_isAUsageError_inOneLine() {
        ServeCommand serve = new ServeCommand();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        serve.err = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = new CommandLine(serve).execute(dir.resolve("missing").toString(), "--port", "0");
        assertThat(status).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("cox serve: not a folder of experiments: " + dir.resolve("missing") + System.lineSeparator());
    }

    @Test
    void serve_aPortInUse_failsInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ServeCommand serve = new ServeCommand();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            serve.err = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
            int status = new CommandLine(serve).execute(dir.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertThat(status).isEqualTo(1);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("cox serve: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": ").doesNotContain("\tat ");
        }
    }
}
