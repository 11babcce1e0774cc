package cox.bench;

import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
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
        try (Store store = Store.open(dir, "run-" + run++)) {
            Table t = store.addTable("results", BenchStores.ROW);
            BenchStores.logRows(t, ROWS);
            return t.nrows();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchStores.delete(dir);
    }
}
