package cox.bench;

import cox.store.Mode;
import cox.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

/**
 * Reading a collection of 1,000 stores of 1,000 rows each (one INT, three FLOAT, one STR column):
 * each store opened in READ mode and its "results" table read whole ({@code df()}), one store after
 * the other ({@code threads = 1}) or by a pool of threads. Returns the rows read.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Benchmark)
public class CollectionReadBench {
    static final int STORES = 1000;
    static final int ROWS = 1000;

    @Param({"1", "4"})
    int threads;

    Path dir;
    List<String> ids = new ArrayList<>();
    ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchStores.tempDir();
        for (int i = 0; i < STORES; i++) {
            String id = "exp-" + i;
            try (Store s = new Store(dir, id)) {
                BenchStores.logRows(s.addTable("results", BenchStores.ROW), ROWS);
            }
            ids.add(id);
        }
        pool = Executors.newFixedThreadPool(threads);
    }

    private long read(String id) {
        try (Store s = new Store(dir, id, false, Mode.READ)) {
            return s.table("results").df().height();
        }
    }

    @Benchmark
    public long readAll() throws Exception {
        if (threads == 1) {
            long n = 0;
            for (String id : ids) {
                n += read(id);
            }
            return n;
        }
        List<Future<Long>> parts = new ArrayList<>();
        for (String id : ids) {
            parts.add(pool.submit(() -> read(id)));
        }
        long n = 0;
        for (Future<Long> f : parts) {
            n += f.get();
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        BenchStores.delete(dir);
    }
}
