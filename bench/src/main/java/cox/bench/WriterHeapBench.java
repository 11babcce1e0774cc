package cox.bench;

import cox.store.Store;
import cox.store.Table;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Logs 10,000,000 rows into one store in a JVM limited to a 64 MB heap ({@code -Xmx64m}); it
 * finishing at all shows the writer's heap stays under 64 MB. The peak heap use (sum of the heap
 * pools' peaks) is printed at the end of the trial.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-Xms64m"})
@State(Scope.Thread)
public class WriterHeapBench {
    static final int ROWS = 10_000_000;
    Path dir;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchStores.tempDir();
    }

    @Benchmark
    public long log10MillionRows() {
        try (Store store = Store.open(dir, "ten-million")) {
            Table t = store.addTable("results", BenchStores.ROW);
            BenchStores.logRows(t, ROWS);
            return t.nrows();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("%npeak heap used: %.1f MB (max heap %d MB)%n", peak / 1e6,
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        BenchStores.delete(dir);
    }
}
