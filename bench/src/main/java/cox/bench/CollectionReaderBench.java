package cox.bench;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.Mode;
import cox.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dflib.DataFrame;
import org.dflib.JoinType;
import org.dflib.Series;
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
 * {@code CollectionReader.df} over a sweep of {@code runs} experiments, each with a
 * {@code results} table of {@code rows} rows (one INT, three FLOAT, one STR column) and a one-row
 * {@code metadata} table (see {@link SweepCollection}; generated once, then reused). Measures
 * {@code df("results")}, {@code df("metadata")}, {@code df("results")} joined with each run's
 * metadata, and, for comparison, the reader cox4j had before (one store after another, each
 * frame joined onto the last with {@code vConcat}). Python cox on the same collection:
 * {@code bench/python/cox_reader_df.py} (see its header).
 *
 * <pre>{@code
 * bench/run CollectionReaderBench                       # 1,000 runs x 1,000 rows
 * bench/run CollectionReaderBench -p runs=100 -p rows=200
 * }</pre>
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 12)
@Measurement(iterations = 12)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g"})
@State(Scope.Benchmark)
public class CollectionReaderBench {
    @Param("1000")
    int runs;

    @Param("1000")
    int rows;

    /** Stores read at once; 0: one thread per processor (the default). */
    @Param({"0", "1"})
    int threads;

    Path dir;
    CollectionReader reader;

    @Setup(Level.Trial)
    public void setUp() {
        dir = SweepCollection.get(runs, rows);
        CollectionReader.Builder b = CollectionReader.builder(dir);
        if (threads > 0) {
            b.parallelism(threads);
        }
        reader = b.build();
        if (reader.df("results").height() != runs * rows) {
            throw new IllegalStateException("the sweep in " + dir + " is not " + runs + " x " + rows + " rows");
        }
    }

    @Benchmark
    public DataFrame dfResults() {
        return reader.df("results");
    }

    @Benchmark
    public DataFrame dfMetadata() {
        return reader.df("metadata");
    }

    @Benchmark
    public DataFrame dfResultsJoinedWithMetadata() {
        return reader.df("results", DfOptions.defaults().metadataTable("metadata"));
    }

    /** The reader as it was before: one store after another, then a full-join vConcat of 1,000 frames. */
    @Benchmark
    public DataFrame dfResultsBefore() {
        if (threads != 1) {
            return null; // one thread only; not worth running twice
        }
        List<DataFrame> frames = new ArrayList<>();
        for (String expId : reader.expIds()) {
            try (Store store = Store.open(dir, expId, Mode.READ)) {
                if (store.keys().contains("results")) {
                    DataFrame df = store.table("results").df();
                    frames.add(df.cols(CollectionReader.EXP_ID).merge(Series.ofVal(expId, df.height())));
                }
            }
        }
        return frames.get(0).vConcat(JoinType.full, frames.subList(1, frames.size()).toArray(new DataFrame[0]));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
    }
}
