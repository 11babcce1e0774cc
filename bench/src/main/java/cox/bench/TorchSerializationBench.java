package cox.bench;

import cox.torch.StateDict;
import cox.torch.Tensor;
import cox.torch.TorchSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Load and save of a 100 MB float32 state dict (10 tensors of 2.5M floats) from and to a temp
 * file in the page cache. MB/s = 100 / (ms per op / 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TorchSerializationBench {
    private static final int TENSORS = 10;
    private static final int FLOATS = 2_500_000;

    private StateDict stateDict;
    private Path dir;
    private Path readFile;
    private Path writeFile;

    /** Builds the state dict and writes the file that {@link #load()} reads. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        stateDict = new StateDict();
        for (int t = 0; t < TENSORS; t++) {
            float[] f = new float[FLOATS];
            for (int i = 0; i < FLOATS; i++) {
                f[i] = i * 0.5f + t;
            }
            stateDict.put("layer" + t + ".weight", Tensor.ofFloats(f, 2500, 1000));
        }
        dir = Files.createTempDirectory("cox-bench");
        readFile = dir.resolve("read.pt");
        writeFile = dir.resolve("write.pt");
        TorchSerialization.save(stateDict, readFile);
    }

    /** Removes the temp files. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(readFile);
        Files.deleteIfExists(writeFile);
        Files.deleteIfExists(dir);
    }

    /** torch.load of 100 MB. */
    @Benchmark
    public StateDict load() throws IOException {
        return TorchSerialization.load(readFile);
    }

    /** torch.save of 100 MB. */
    @Benchmark
    public long save() throws IOException {
        TorchSerialization.save(stateDict, writeFile);
        return Files.size(writeFile);
    }
}
