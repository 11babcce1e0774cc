package cox.store;

import cox.torch.DType;
import cox.torch.StateDict;
import cox.torch.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the golden store under {@code src/test/resources/golden/store} holds: written once by
 * {@link GoldenStoreWriter} with cox4j 0.1.0-SNAPSHOT (see {@code golden/README.md}) and read by
 * {@link GoldenStoreTest} and {@link GoldenJournalTest} forever, so a change to the journal, the
 * checkpoint or {@code store.h5} that makes existing stores read back differently fails a test.
 *
 * <p>The store is left as a writer killed after {@link Store#sync()} leaves it: {@code store.h5}
 * and the checkpoint hold the first {@link #SYNCED_RESULTS} rows of {@code résultats}, the
 * metadata row and the first {@link #SYNCED_OBJECTS} rows of {@code objects}; the journal goes on
 * with the remaining rows and with table {@code später}, defined after the checkpoint.
 */
final class GoldenStore {
    /** The experiment id, the store folder's name. */
    static final String EXP_ID = "golden";
    /** Rows of {@code résultats} in store.h5 and the checkpoint; the rest are only in the journal. */
    static final int SYNCED_RESULTS = 200;
    /** Rows of {@code objects} in store.h5 and the checkpoint. */
    static final int SYNCED_OBJECTS = 3;

    private GoldenStore() {
    }

    /** Every table, in the order it was added, with its schema. */
    static Map<String, Schema> schemas() {
        Map<String, Schema> s = new LinkedHashMap<>();
        s.put("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "nesterov", ColumnType.BOOL,
                "epochs", ColumnType.INT));
        s.put("résultats", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "note ✎", ColumnType.STR,
                "ok", ColumnType.BOOL));
        s.put("objects", Schema.of("step", ColumnType.INT, "obj", ColumnType.OBJECT, "pick", ColumnType.PICKLE,
                "state", ColumnType.PYTORCH_STATE));
        s.put("never written", Schema.of("x", ColumnType.STR));
        s.put("später", Schema.of("k", ColumnType.INT, "v", ColumnType.STR));
        return s;
    }

    /** The tables defined before the checkpoint. */
    static List<String> checkpointTables() {
        return List.of("metadata", "résultats", "objects", "never written");
    }

    /** The rows of {@code table}, in order; object columns hold the value given to the table. */
    static List<Map<String, Object>> rows(String table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        switch (table) {
            case "metadata":
                rows.add(row("lr", 0.1, "optimizer", "sgd", "nesterov", true, "epochs", 90L));
                break;
            case "résultats":
                for (int i = 0; i < 300; i++) {
                    rows.add(row("epoch", epoch(i), "loss", loss(i), "note ✎", note(i), "ok", i % 3 != 0));
                }
                break;
            case "objects":
                for (int i = 0; i < 5; i++) {
                    rows.add(row("step", (long) i, "obj", object(i), "pick", pickled(i), "state", state(i)));
                }
                break;
            case "never written":
                break;
            case "später":
                for (int i = 0; i < 3; i++) {
                    rows.add(row("k", (long) -i, "v", "spät " + "ß".repeat(i)));
                }
                break;
            default:
                throw new IllegalArgumentException("no golden table " + table);
        }
        return rows;
    }

    private static long epoch(int i) {
        switch (i) {
            case 7:
                return Long.MIN_VALUE;
            case 8:
                return Long.MAX_VALUE;
            default:
                return i;
        }
    }

    private static double loss(int i) {
        switch (i) {
            case 1:
                return Double.NaN;
            case 2:
                return -0.0;
            case 3:
                return Double.POSITIVE_INFINITY;
            case 4:
                return Double.NEGATIVE_INFINITY;
            case 5:
                return Double.MIN_VALUE;
            case 6:
                return Double.MAX_VALUE;
            default:
                return 1.0 / (i + 1);
        }
    }

    private static String note(int i) {
        switch (i) {
            case 0:
                return "";
            case 10:
                return "naïve café, 中文, emoji 😀, tab\tand newline\n";
            case 150:
                return "long ".repeat(60); // widens the string block before the checkpoint
            case 250:
                return "w".repeat(1000); // widens it again, in the journal only
            default:
                return "row " + i;
        }
    }

    private static Object object(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", (long) i);
        m.put("name", "objet n°" + i);
        m.put("values", List.of(1.5 * i, -2L, "drei"));
        m.put("nested", Map.of("ok", i % 2 == 0));
        m.put("tensor", Tensor.ofFloats(new float[] {i, -i, 0.5f}, 3));
        return m;
    }

    private static Object pickled(int i) {
        return List.of((long) i, "gepickelt " + i, Map.of("bytes", new byte[] {(byte) i, -1}));
    }

    private static StateDict state(int i) {
        StateDict sd = new StateDict();
        sd.put("layer.weight", Tensor.ofFloats(new float[] {i, 1, 2, 3, 4, 5}, 2, 3));
        sd.put("layer.bias", Tensor.ofDoubles(new double[] {-i}, 1));
        sd.put("steps", Tensor.ofLongs(new long[] {i * 1000L}));
        sd.put("half", Tensor.of(DType.FLOAT16, new byte[] {0, 0x3c}, 1));
        return sd;
    }

    /**
     * The golden storage folders, oldest first: {@code 2026-11-25-bc544a2} (checkpoint format 1),
     * {@code 2026-11-25-9db0067} (checkpoint format 2, with row digests) and
     * {@code 2026-12-07-fdf83e4} (checkpoint format 3, with the closed flag, here 0), the same
     * store written by the same {@link GoldenStoreWriter} after the checkpoint changed.
     */
    static final List<String> VERSIONS = List.of("2026-11-25-bc544a2", "2026-11-25-9db0067", "2026-12-07-fdf83e4");

    /** The folder holding the golden experiment written by {@code version}, as the build copied it. */
    static Path folder(String version) {
        try {
            return Path.of(GoldenStore.class.getResource("/golden/" + version).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy of the golden storage folder of {@code version} in {@code dir}, so a test may open it for writing. */
    static Path copyTo(Path dir, String version) throws IOException {
        Path from = folder(version);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path to = dir.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }

    /**
     * A value with arrays made comparable: {@code byte[]} becomes a list of its bytes, a tuple
     * ({@code Object[]}) a list, maps and lists are rebuilt with their values converted.
     */
    static Object comparable(Object v) {
        if (v instanceof byte[] b) {
            List<Byte> out = new ArrayList<>();
            for (byte x : b) {
                out.add(x);
            }
            return out;
        }
        if (v instanceof Object[] t) {
            return comparable(Arrays.asList(t));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(GoldenStore::comparable).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(comparable(k), comparable(x)));
            return out;
        }
        return v;
    }

    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}
