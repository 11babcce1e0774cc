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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of logging one row (one INT, three FLOAT, one STR column) with the default
 * durability: {@code updateRow} + {@code flushRow} (the row is in the journal when it returns;
 * the background flusher keeps store.h5 up to date meanwhile), and the same through
 * {@code appendRow} (issue 20's target: its median ≤ 2 µs). Sample mode, so JMH reports the
 * percentiles: the median is the {@code ·p0.50} line.
 *
 * <pre>{@code
 * bench/run FlushRowBench
 * }</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FlushRowBench {
    Path dir;
    Store store;
    Table table;
    Map<String, Object> row = new HashMap<>();
    long epoch;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.tempDir();
        store = Store.open(dir, "bench");
        table = store.addTable("results", BenchStores.ROW);
        row.put("loss", 0.25);
        row.put("acc", 0.75);
        row.put("lr", 0.1);
        row.put("phase", "train");
    }

    @Benchmark
    public void updateAndFlushRow() {
        row.put("epoch", epoch++);
        table.updateRow(row);
        table.flushRow();
    }

    @Benchmark
    public void appendRow() {
        row.put("epoch", epoch++);
        table.appendRow(row);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchStores.delete(dir);
    }
}
