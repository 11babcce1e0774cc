package cox.bench;

import cox.store.Mode;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dflib.DataFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** {@code Table.df()} of a 1,000,000-row table (one INT, three FLOAT, one STR column), in READ and APPEND mode. */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class DataFrameReadBench {
    static final int ROWS = 1_000_000;

    @Param({"READ", "APPEND"})
    String mode;

    Path dir;
    Store store;
    Table table;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchStores.tempDir();
        try (Store s = Store.open(dir, "big")) {
            Table t = s.addTable("results", BenchStores.ROW);
            BenchStores.logRows(t, ROWS);
        }
        store = Store.open(dir, "big", Mode.valueOf(mode));
        table = store.table("results");
    }

    @Benchmark
    public DataFrame df() {
        return table.df();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
        BenchStores.delete(dir);
    }
}
