package cox.bench;

import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained logging into one table, store.h5 included: each invocation opens a store, logs
 * {@value #ROWS} rows and closes it (close() makes store.h5 exact). Reported as rows per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Thread)
public class SustainedWriteBench {
    static final int ROWS = 200_000;
    Path dir;
    int run;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchStores.tempDir();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long logRowsThenClose() {
        Map<String, Object> row = new HashMap<>();
        row.put("acc", 0.75);
        row.put("lr", 0.1);
        try (Store store = new Store(dir, "run-" + run++)) {
            Table t = store.addTable("results", BenchStores.ROW);
            for (int i = 0; i < ROWS; i++) {
                row.put("epoch", i);
                row.put("loss", 1.0 / (i + 1));
                row.put("phase", (i & 1) == 0 ? "train" : "validation");
                t.appendRow(row);
            }
            return t.nrows();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchStores.delete(dir);
    }
}
