package cox.bench;

import cox.torch.NumpyPickles;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** An OBJECT cell: a 10-key dict pickled and base64-encoded, as cox stores it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PickleBench {
    private Map<String, Object> map;

    /** A dict like a run's config. */
    @Setup
    public void setUp() {
        map = new LinkedHashMap<>();
        map.put("name", "resnet18");
        map.put("lr", 0.1);
        map.put("epochs", 90L);
        map.put("momentum", 0.9);
        map.put("nesterov", true);
        map.put("layers", List.of(64L, 128L, 256L, 512L));
        map.put("dropout", 0.0);
        map.put("schedule", List.of(30L, 60L, 80L));
        map.put("dataset", "imagenet");
        map.put("seed", 1234L);
    }

    /** base64(pickle(map)), through the pickler OBJECT cells use. */
    @Benchmark
    public String objectCell() {
        return Base64.getEncoder().encodeToString(NumpyPickles.dumps(map));
    }
}
