package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
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
    void unknownCommand_isAUsageError() {
        assertThat(new CommandLine(new CoxCommand()).execute("nope")).isEqualTo(2);
    }
}
