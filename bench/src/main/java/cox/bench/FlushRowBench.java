package cox.bench;

import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * <p>{@code journalWriteAlone} is the floor under both: one {@code write} of as many bytes as
 * a row's journal record, as the journal writes it ({@link RandomAccessFile#write(byte[], int, int)}),
 * on a file beside the store, with nothing else. {@code channelWriteAlone} is the same write
 * through a {@link FileChannel}, as the journal wrote it before: the channel's own bookkeeping. A row is in the journal when {@code flushRow} returns (so {@code kill -9} loses
 * no flushed row), which costs this system call per row whatever cox4j does around it.
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
    RandomAccessFile alone;
    FileChannel channel;
    ByteBuffer record;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.tempDir();
        store = Store.open(dir, "bench");
        table = store.addTable("results", BenchStores.ROW);
        row.put("loss", 0.25);
        row.put("acc", 0.75);
        row.put("lr", 0.1);
        row.put("phase", "train");
        try {
            Path journal = dir.resolve("bench").resolve(".cox.journal");
            long before = Files.size(journal);
            row.put("epoch", -1L);
            table.appendRow(row);
            record = ByteBuffer.allocate((int) (Files.size(journal) - before));
            alone = new RandomAccessFile(dir.resolve("write-alone.bin").toFile(), "rw");
            channel = FileChannel.open(dir.resolve("channel-alone.bin"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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

    @Benchmark
    public void journalWriteAlone() throws IOException {
        record.putLong(0, epoch++);
        alone.write(record.array(), 0, record.capacity());
    }

    @Benchmark
    public int channelWriteAlone() throws IOException {
        record.clear();
        record.putLong(0, epoch++);
        return channel.write(record);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        alone.close();
        channel.close();
        store.close();
        BenchStores.delete(dir);
    }
}
