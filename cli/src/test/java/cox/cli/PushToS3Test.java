package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.io.Locations;
import cox.readers.CollectionReader;
import cox.testing.S3ProxyServer;
import cox.testing.SweepRuns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cox push} to S3: an S3 server (S3Proxy, a child JVM, {@link S3ProxyServer}) receives runs
 * cox4j wrote, through the S3 provider the command ships (told the server by the AWS SDK's system
 * properties), and the reader reads them back from {@code s3://} as it reads them locally.
 */
class PushToS3Test {
    private static final String BUCKET = "pushed";
    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region",
            "aws.endpointUrl", "aws.requestChecksumCalculation");

    @TempDir
    static Path dir;

    static S3ProxyServer s3;
    static Path runs;
    static final Map<String, String> SAVED = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(S3ProxyServer.isAvailable(), "S3Proxy's jar (" + S3ProxyServer.JAR_PROPERTY + ") is not known");
        runs = SweepRuns.COMMAND_LINE.write(dir.resolve("runs"), "run-%02d", 3);
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        s3.put(Files.createDirectories(dir.resolve("empty")), BUCKET, ""); // makes the bucket
        // S3Proxy 2.6 does not take the checksum trailer the AWS SDK (2.30 on) sends with a PUT by
        // default; as for other S3-compatible servers, the SDK is told to add checksums only where required
        Map<String, String> values = Map.of("aws.accessKeyId", S3ProxyServer.ACCESS_KEY, "aws.secretAccessKey",
                S3ProxyServer.SECRET_KEY, "aws.region", "us-east-1", "aws.endpointUrl", s3.endpoint().toString(),
                "aws.requestChecksumCalculation", "when_required");
        for (String p : PROPERTIES) {
            SAVED.put(p, System.getProperty(p));
            System.setProperty(p, values.get(p));
        }
    }

    @AfterAll
    static void stop() {
        for (String p : PROPERTIES) {
            if (SAVED.get(p) == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, SAVED.get(p));
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void push_toS3_readsBackAsTheRun() {
        String uri = "s3://" + BUCKET + "/team/runs";

        CoxRun r;
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            r = cox("push", runs.resolve("run-02").toString(), uri);
        } finally {
            System.setErr(stderr);
        }

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(logged.toString(StandardCharsets.UTF_8)).as("the S3 provider's log: a key a push looks for and does not"
                + " find is no error").doesNotContain("ERROR");
        assertThat(r.out()).contains("copied  store.h5\n", "copied  .cox.journal\n")
                .contains("pushed run run-02 to " + uri + "/run-02: ");
        try (CollectionReader source = CollectionReader.builder(runs).expFilter("run-02"::equals).build();
                CollectionReader target = CollectionReader.open(Locations.of(uri))) {
            assertThat(target.expIds()).containsExactly("run-02");
            for (String table : List.of("metadata", "results")) {
                DataFrame expected = source.df(table);
                DataFrame actual = target.df(table);
                assertThat(actual.getColumnsIndex().toArray()).containsExactly(expected.getColumnsIndex().toArray());
                assertThat(actual.height()).isEqualTo(expected.height()).isPositive();
                for (String c : expected.getColumnsIndex()) {
                    assertThat(actual.getColumn(c).toList()).as(table + "." + c).isEqualTo(expected.getColumn(c).toList());
                }
            }
        }
        try (Stream<Path> objects = objectsOf("team/runs/run-02")) {
            assertThat(objects.map(Path::toString)).as("no temporary object left")
                    .noneMatch(s -> s.endsWith(".cox-push-tmp"));
        }
        assertThat(cox("ls", uri).out()).contains("run-02").contains("closed");

        CoxRun again = cox("push", runs.resolve("run-02").toString(), uri);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("run run-02 is at " + uri + "/run-02 already, unchanged: nothing copied\n");
    }

    /** The files S3Proxy's filesystem backend keeps for the objects under {@code prefix} of the bucket. */
    private static Stream<Path> objectsOf(String prefix) {
        try {
            return Files.walk(dir.resolve("s3")).filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains("/" + BUCKET + "/" + prefix + "/"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
