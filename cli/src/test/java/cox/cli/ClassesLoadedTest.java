package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fresh JVM spends a short command's time loading classes: the commands that print runs load no
 * class of the web server (Javalin, Jetty, Kotlin), of DuckDB or of Jackson's data binding, which
 * only {@code serve}, {@code sql}, {@code export} and the JSON outputs need, nor of the S3 provider
 * (AWS SDK, Netty) or Hadoop, which only {@code s3://} and {@code hdfs://} URIs need. Each command runs in a
 * child JVM that logs every class it loads ({@code -Xlog:class+load}).
 */
class ClassesLoadedTest {
    private static final List<String> NOT_NEEDED = List.of("io.javalin.", "org.eclipse.jetty.", "kotlin.",
            "org.duckdb.", "com.fasterxml.jackson.databind.", "org.apache.spark.", "software.amazon.", "io.netty.",
            "org.apache.hadoop.");
    private static final Pattern LOADED = Pattern.compile("\\] (\\S+) source:");

    @TempDir
    static Path dir;

    @BeforeAll
    static void twoRuns() {
        for (String id : List.of("a", "b")) {
            try (Store s = Store.open(dir.resolve("runs"), id)) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1));
                Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
                for (int e = 0; e < 3; e++) {
                    t.appendRow(Map.of("epoch", e, "loss", 1.0 / (e + 1)));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "ls runs", "show runs/a", "df runs results", "df runs results --last"})
    void command_loadsNoClassItDoesNotNeed(String command) throws IOException {
        Path log = Files.createTempFile(dir, "classes", ".txt");
        List<String> cmd = new ArrayList<>(List.of(CliProcess.java(), "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), CoxCommand.class.getName()));
        cmd.addAll(List.of(command.split(" ")));

        CliProcess.Result r = CliProcess.run(dir, Map.of(), cmd);

        assertThat(r.exit()).as("%s", r).isZero();
        List<String> unneeded = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LOADED.matcher(line);
            if (m.find() && NOT_NEEDED.stream().anyMatch(m.group(1)::startsWith)) {
                unneeded.add(m.group(1));
            }
        }
        assertThat(unneeded).as("classes cox %s loaded", command).isEmpty();
    }
}
