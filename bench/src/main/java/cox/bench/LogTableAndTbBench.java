package cox.bench;

import cox.store.ColumnType;
import cox.store.Schema;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** {@code Store.logTableAndTb} of a 5-column row (5 scalars to TensorBoard) followed by {@code flushRow}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class LogTableAndTbBench {
    Path dir;
    Store store;
    Table table;
    Map<String, Object> row = new HashMap<>();
    long step;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.tempDir();
        store = Store.open(dir, "bench");
        table = store.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                "acc", ColumnType.FLOAT, "lr", ColumnType.FLOAT, "grad", ColumnType.FLOAT));
        row.put("loss", 0.25);
        row.put("acc", 0.75);
        row.put("lr", 0.1);
        row.put("grad", 1e-3);
    }

    @Benchmark
    public void logTableAndTbThenFlush() {
        row.put("epoch", step++);
        store.logTableAndTb("results", row);
        table.flushRow();
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchStores.delete(dir);
    }
}
