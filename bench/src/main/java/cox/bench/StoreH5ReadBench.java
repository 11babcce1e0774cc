package cox.bench;

import cox.store.Store;
import cox.store.hdf5.PandasStoreFile;
import cox.store.hdf5.PandasTable;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reading the "results" table of a store.h5 whole — the file opened, its structure read, every row
 * decoded into column arrays — by cox4j's own reader and by jHDF (whose compound reader returns the
 * members as arrays): on a store Python cox wrote (20 rows; core's test fixture exp-0) and on a
 * 1,000,000-row table cox4j wrote.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Benchmark)
public class StoreH5ReadBench {
    @Param({"cox4j", "jhdf"})
    String reader;

    @Param({"python-fixture", "million"})
    String file;

    Path dir;
    Path path;

    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchStores.tempDir();
        if (file.equals("million")) {
            try (Store s = Store.open(dir, "big")) {
                BenchStores.logRows(s.addTable("results", BenchStores.ROW), 1_000_000);
            }
            path = dir.resolve("big/store.h5");
        } else {
            path = fixture();
        }
    }

    /** core's copy of a store Python cox wrote, found from the working directory up. */
    static Path fixture() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path f = p.resolve("core/src/test/resources/stores/cox-python/exp-0.h5");
            if (Files.exists(f)) {
                return f;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("run from the cox4j project: core/src/test/resources/stores/cox-python"
                + "/exp-0.h5 not found above " + Path.of("").toAbsolutePath());
    }

    @Benchmark
    public Object read() {
        if (reader.equals("cox4j")) {
            try (PandasStoreFile f = PandasStoreFile.open(path, false)) {
                PandasTable t = f.table("results");
                return t.read(0, (int) t.nrows());
            }
        }
        try (HdfFile h = new HdfFile(path)) {
            return h.getDatasetByPath("/results/table").getData();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchStores.delete(dir);
    }
}
