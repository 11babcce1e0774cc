package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.readers.CollectionReader;
import cox.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demo_logsOneStorePerRun_andPrintsTheComparison() {
        DemoCommand demo = new DemoCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        demo.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = new CommandLine(demo).execute(dir.toString());
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(out).contains("result, all runs (18 rows):", "best run's metadata:");
        try (CollectionReader reader = CollectionReader.open(dir)) {
            assertThat(reader.expIds()).hasSize(18);
            DataFrame result = reader.df("result");
            for (Object x : result.getColumn("final_x")) {
                assertThat(Math.abs((Double) x - 2.03)).isLessThan(0.1);
            }
            DataFrame log = reader.df("running_log");
            long steps = 0;
            for (Object n : result.getColumn("steps")) {
                steps += (Long) n;
            }
            assertThat((long) log.height()).isEqualTo(steps);
        }
    }

    @Test
    void demo_intoAFileUri_writesToItsLocalPath() {
        DemoCommand demo = new DemoCommand();
        demo.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Path into = dir.resolve("demo");

        int status = new CommandLine(demo).execute(into.toUri().toString());

        assertThat(status).isZero();
        assertThat(Store.isExperiment(into.resolve(into.toFile().list()[0]))).isTrue();
        assertThat(Path.of("file:")).as("no folder named file: in the working folder").doesNotExist();
    }

    @Test
    void localOnly_takesTheLocalPathOfAFileUri_andRefusesOtherUris() {
        RunsLocation.LocalOnly local = new RunsLocation.LocalOnly();
        assertThat(local.convert("file:///tmp/x")).isEqualTo(Path.of("/tmp/x"));
        assertThat(local.convert("FILE:///tmp/x")).isEqualTo(Path.of("/tmp/x"));
        assertThat(local.convert("out/x.csv")).isEqualTo(Path.of("out/x.csv"));
        assertThatThrownBy(() -> local.convert("file:x")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a local path: file:x");
        assertThatThrownBy(() -> local.convert("s3a://KEY:SECRET@bucket/out")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageStartingWith("s3a://bucket/out is not on this machine").hasMessageNotContaining("SECRET");
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertThat(new CommandLine(new CoxCommand()).execute("nope")).isEqualTo(2);
    }
}
