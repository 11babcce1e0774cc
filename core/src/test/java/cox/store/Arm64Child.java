package cox.store;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;

/**
 * The arm64 side of {@link Arm64RoundTripIT}, run under qemu on an arm64 JVM: "write" creates a store
 * and logs rows; "append" reopens it, logs more (one long enough to widen the string column), reads
 * the table back and prints it, one line per row, after a line naming the JVM's architecture.
 */
public final class Arm64Child {
    private Arm64Child() {
    }

    static Map<String, Object> row(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", i);
        m.put("loss", i == 3 ? Double.NaN : 1.0 / (i + 1));
        m.put("phase", i == 57 ? "a much longer phase name, ünïcødé ✓" : i % 2 == 0 ? "train" : "val");
        m.put("best", i % 3 == 0);
        m.put("obj", List.of(i, "x" + i));
        return m;
    }

    static final Schema SCHEMA = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "phase", ColumnType.STR,
            "best", ColumnType.BOOL, "obj", Store.OBJECT);

    /** The table one line per row: epoch, loss (as bits), phase, best, obj (unpickled). */
    static String dump(Table t) {
        DataFrame df = t.df();
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < df.height(); r++) {
            sb.append(df.getColumn("epoch").get(r)).append('|')
                    .append(Long.toHexString(Double.doubleToRawLongBits((Double) df.getColumn("loss").get(r)))).append('|')
                    .append(df.getColumn("phase").get(r)).append('|')
                    .append(df.getColumn("best").get(r)).append('|')
                    .append(t.getObject((String) df.getColumn("obj").get(r))).append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        System.out.println("arch " + System.getProperty("os.arch"));
        if (args[1].equals("write")) {
            try (Store s = Store.open(folder, "exp")) {
                Table t = s.addTable("results", SCHEMA);
                for (int i = 0; i < 50; i++) {
                    t.appendRow(row(i));
                }
            }
        } else {
            try (Store s = Store.open(folder, "exp")) {
                Table t = s.table("results");
                for (int i = 50; i < 100; i++) {
                    t.appendRow(row(i));
                }
                System.out.print(dump(t));
            }
        }
    }
}
