package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.readers.CollectionReader;
import cox.testing.PythonCoxRuns;
import cox.testing.S3ProxyServer;
import cox.testing.SameCells;
import cox.testing.SweepRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cox} commands and the reader on runs kept in S3: an S3 server (S3Proxy, a child JVM,
 * {@link S3ProxyServer}) holds a copy of a sweep cox4j wrote (metadata with an OBJECT column, results
 * with an OBJECT column, a run without results) and of the three runs Python cox wrote; each command
 * over {@code s3://runs/...} prints what it prints over the local folder, byte for byte, with the
 * folder's name written as {@code DIR}. The commands run in this JVM, told the server by the AWS SDK's
 * system properties; {@code cox serve} and one {@code cox ls} run as a user runs them, in a child JVM
 * told by the environment alone ({@code AWS_ENDPOINT_URL} ...).
 */
class S3RunsEndToEndTest {
    private static final String BUCKET = "runs";
    private static final String SWEEP = "s3://" + BUCKET + "/team/sweep";
    private static final String PYTHON = "s3://" + BUCKET + "/python";
    private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:(\\d+)/)");
    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region",
            "aws.endpointUrl");

    @TempDir
    static Path dir;

    static S3ProxyServer s3;
    static Path sweep;
    static Path python;
    static Map<String, String> saved = new HashMap<>();

    @BeforeAll
    static void upload() throws IOException {
        assumeTrue(S3ProxyServer.isAvailable(), "S3Proxy's jar (" + S3ProxyServer.JAR_PROPERTY + ") is not known");
        sweep = SweepRuns.SPARK.write(dir.resolve("local/sweep"), "run-%02d", 7);
        python = PythonCoxRuns.copyAll(dir.resolve("local/python"));
        // a day ago, to the second (as S3 keeps times): every run idle, and the same time in both places
        FileTime then = FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
        for (Path root : List.of(sweep, python)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.toList()) {
                    Files.setLastModifiedTime(f, then);
                }
            }
        }
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        s3.put(sweep, BUCKET, "team/sweep");
        s3.put(python, BUCKET, "python");
        Map<String, String> values = Map.of("aws.accessKeyId", S3ProxyServer.ACCESS_KEY, "aws.secretAccessKey",
                S3ProxyServer.SECRET_KEY, "aws.region", "us-east-1", "aws.endpointUrl", s3.endpoint().toString());
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
            System.setProperty(p, values.get(p));
        }
    }

    @AfterAll
    static void stop() {
        for (String p : PROPERTIES) {
            if (saved.get(p) == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, saved.get(p));
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** {@code cox ARGS} with {@code @} in ARGS replaced by the local folder, then by the S3 URI: the same exit and output. */
    private static void assertSameOverS3(Path local, String uri, String... args) {
        assertSameOverS3(0, local, uri, args);
    }

    private static void assertSameOverS3(int exit, Path local, String uri, String... args) {
        CoxRun there = cox(local, args);
        CoxRun here = cox(uri, args);
        assertThat(there.exit()).as("local: %s", there).isEqualTo(exit);
        assertThat(here.err()).as("over S3: cox %s", String.join(" ", args)).isEqualTo(there.err());
        assertThat(here.exit()).isEqualTo(there.exit());
        assertThat(here.out()).as("over S3: cox %s", String.join(" ", args)).isEqualTo(there.out());
    }

    /** The command with {@code @} in its arguments replaced by {@code where}, its output with {@code where} by DIR. */
    private static CoxRun cox(Object where, String... args) {
        String text = where instanceof Path p ? p.toAbsolutePath().toString() : where.toString();
        List<String> command = new ArrayList<>();
        for (String a : args) {
            command.add(a.replace("@", text));
        }
        CoxRun r = CoxRun.cox(command);
        // how long export took is the one thing that differs
        String err = r.err().replace(text, "DIR").replaceAll(" in \\d+(\\.\\d+)? s \\(\\d+ rows/s\\)", " in T s (R rows/s)");
        return new CoxRun(r.exit(), r.out().replace(text, "DIR"), err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls @", "ls @ --json", "df @ results", "df @ results --last", "df @ metadata",
        "df @ results --summary --format csv", "df @ results --where 'optimizer == adam' --best loss:min",
        "show @/run-03", "show @/run-06 --all", "show @/run-05 metadata", "diff @ run-01 run-02 run-05",
        "sql @ SELECT_exp_id,count(*)_AS_n_FROM_results_GROUP_BY_1_ORDER_BY_1",
        "sql @ SELECT_*_FROM_runs_ORDER_BY_exp_id --format csv"})
    void sweepCommand_overS3_printsWhatItPrintsLocally(String command) {
        assertSameOverS3(sweep, SWEEP, commandLine(command));
    }

    @Test
    void show_aStartOfSeveralExpIds_overS3_namesTheSameRuns() {
        assertSameOverS3(2, sweep, SWEEP, "show", "@/run-0");
        assertSameOverS3(2, python, PYTHON, "show", "@/exp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls @", "df @ results", "df @ objects", "df @ results --last", "show @/exp-1",
        "diff @ exp-0 exp-2", "sql @ SELECT_*_FROM_special_ORDER_BY_exp_id"})
    void pythonCommand_overS3_printsWhatItPrintsLocally(String command) {
        assertSameOverS3(python, PYTHON, commandLine(command));
    }

    /** Splits at spaces, quotes keep spaces, {@code _} in an SQL query is a space. */
    private static String[] commandLine(String command) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(command);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        if (out.get(0).equals("sql")) {
            out.set(2, out.get(2).replace('_', ' ').replace("exp id", "exp_id"));
        }
        return out.toArray(new String[0]);
    }

    @Test
    void export_overS3_writesTheSameFiles() throws IOException {
        for (String format : List.of("csv", "jsonl")) {
            Path fromLocal = dir.resolve("export-local-" + format);
            Path fromS3 = dir.resolve("export-s3-" + format);
            assertSameOverS3(sweep, SWEEP, "export", "@", "-o", fromLocal.toString(), "--format", format, "--no-cache");
            // (the same command again, to the other folder, for the files)
            CoxRun r = cox(SWEEP, "export", "@", "-o", fromS3.toString(), "--format", format, "--no-cache");
            assertThat(r.exit()).as("%s", r).isZero();
            List<String> names;
            try (Stream<Path> files = Files.list(fromLocal)) {
                names = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
            assertThat(names).contains("runs." + format, "results." + format, "metadata." + format);
            for (String name : names) {
                assertThat(Files.readAllBytes(fromS3.resolve(name))).as("%s", name)
                        .isEqualTo(Files.readAllBytes(fromLocal.resolve(name)));
            }
        }
    }

    @Test
    void collectionReader_overS3_readsTheLocalFramesCellForCell() {
        for (String[] c : new String[][] {{SWEEP, "results"}, {SWEEP, "metadata"}, {PYTHON, "results"},
                {PYTHON, "objects"}, {PYTHON, "special"}}) {
            Path local = c[0].equals(SWEEP) ? sweep : python;
            try (CollectionReader remote = CollectionReader.open(URI.create(c[0]));
                    CollectionReader here = CollectionReader.builder(local).build()) {
                assertThat(remote.expIds()).isEqualTo(here.expIds());
                assertSameFrame(remote.df(c[1]), here.df(c[1]), c[0] + " " + c[1]);
            }
            try (CollectionReader remote = CollectionReader.builder(cox.io.Locations.of(c[0])).build();
                    CollectionReader here = CollectionReader.builder(local).build()) {
                assertSameFrame(remote.df(c[1]), here.df(c[1]), c[0] + " " + c[1] + " (builder of a Path)");
            }
        }
    }



    @Test
    void writeToS3_isRefusedAsReadOnly() {
        CoxRun demo = CoxRun.cox("demo", SWEEP + "/demo");
        assertThat(demo.exit()).as("%s", demo).isEqualTo(2);
        assertThat(demo.err()).contains(SWEEP + "/demo", "read-only");
        CoxRun export = CoxRun.cox("export", SWEEP, "-o", PYTHON + "/export");
        assertThat(export.exit()).as("%s", export).isEqualTo(2);
        assertThat(export.err()).contains(PYTHON + "/export", "read-only");
    }

    @Test
    void aSchemeWithoutProvider_namesTheUriAndWhatIsMissing() {
        // (hdfs:// has cox4j-hadoop's provider, and Hadoop is on the tests' class path: HdfsRunsEndToEndTest)
        CoxRun r = CoxRun.cox("ls", "wasb://runs@account.blob.core.windows.net/runs");
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).contains("wasb://runs@account.blob.core.windows.net/runs", "cox4j-hadoop", "COX_CLASSPATH");
    }

    @Test
    void aMissingBucketOrRefusedCredentials_namesTheUriAndWhy() {
        CoxRun r = CoxRun.cox("ls", "s3://no-such-bucket/runs", "--no-cache");
        assertThat(r.exit()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).startsWith("cox ls: ").contains("s3://no-such-bucket/runs", "bucket does not exist")
                .doesNotContain("internal error");

        Map<String, String> env = new HashMap<>(s3.environment());
        env.put("AWS_SECRET_ACCESS_KEY", "wrong");
        CliProcess.Result refused = CliProcess.cox(dir, env, "ls", SWEEP, "--no-cache");
        assertThat(refused.exit()).as("%s", refused).isEqualTo(1);
        assertThat(refused.err()).contains(SWEEP, "403", "AWS_SECRET_ACCESS_KEY").doesNotContain("internal error");
    }

    /** As a user runs it: the AWS settings in the environment only, the command in its own JVM. */
    @Test
    void ls_inAChildJvm_takesTheServerFromTheEnvironment() {
        CliProcess.Result local = CliProcess.cox(dir, "ls", sweep.toString(), "--no-cache");
        CliProcess.Result remote = CliProcess.cox(dir, s3.environment(), "ls", SWEEP, "--no-cache");
        assertThat(remote.exit()).as("%s", remote).isZero();
        assertThat(remote.err()).isEmpty();
        assertThat(remote.out()).isEqualTo(local.out());
    }

    @Test
    void serve_overS3_answersTheRunsItAnswersLocally() throws Exception {
        String local = apiRuns(sweep.toString(), Map.of());
        String remote = apiRuns(SWEEP, s3.environment());
        assertThat(remote).contains("run-00", "run-06").isEqualTo(local);
    }

    /** Starts {@code cox serve WHERE} in a child JVM, and returns its {@code /api/runs}. */
    private static String apiRuns(String where, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CoxCommand.class.getName(), "serve", where, "--port", "0", "--no-cache").redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("cox serve %s", where).startsWith("cox serve: " + where + " at ");
            Matcher m = URL.matcher(line);
            assertThat(m.find()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))
                    .resolve("/api/runs")).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return r.body().replace("\"dir\":\"" + where + "\"", "\"dir\":\"DIR\"");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void assertSameFrame(DataFrame remote, DataFrame local, String what) {
        assertThat(local.height()).as("%s: rows", what).isPositive();
        SameCells.assertSameFrame(remote, local, what + " (S3 against local)");
    }
}
