package cox.bench;

import cox.tensorboard.SummaryWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of {@link SummaryWriter#addScalar(String, double, long)} into a writer in a temporary
 * folder, with the system clock, background flushing and the periodic write of the buffer
 * included (amortised).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SummaryWriterBench {
    private Path dir;
    private SummaryWriter writer;
    private long step;

    /** Opens a writer in a new temporary folder. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("cox-bench-tb");
        writer = new SummaryWriter(dir);
    }

    /** One scalar, as cox's {@code log_table_and_tb} logs a column. */
    @Benchmark
    public void addScalar() {
        step++;
        writer.addScalar("results/loss", 1.0 / step, step);
    }

    /** Closes the writer and deletes the folder. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        writer.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
