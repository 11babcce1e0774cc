package cox.store;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer process for the crash and live-read tests: appends rows {@code seq, value, text} to
 * table "rows" of a store, printing each seq after its {@code flushRow()} returned.
 *
 * <p>Arguments: storage folder, experiment id, first seq, seconds to run (0: until killed),
 * microseconds to pause between rows, and optionally "objects" to log PICKLE and OBJECT cells.
 */
public final class ChildWriter {
    private ChildWriter() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        String expId = args[1];
        long seq = Long.parseLong(args[2]);
        double seconds = Double.parseDouble(args[3]);
        long pauseMicros = Long.parseLong(args[4]);
        boolean objects = args.length > 5 && args[5].equals("objects");
        long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        try (Store store = Store.open(folder, expId)) {
            Schema schema = objects
                    ? Schema.of("seq", ColumnType.INT, "pick", Store.PICKLE, "obj", Store.OBJECT)
                    : Schema.of("seq", ColumnType.INT, "value", ColumnType.FLOAT, "text", ColumnType.STR);
            Table t = store.keys().contains("rows") ? store.table("rows") : store.addTable("rows", schema);
            System.out.println("ready " + t.nrows());
            System.out.flush();
            Map<String, Object> row = new LinkedHashMap<>();
            while (System.nanoTime() < deadline) {
                row.put("seq", seq);
                if (objects) {
                    row.put("pick", java.util.List.of(seq, "pickled " + seq));
                    row.put("obj", Map.of("seq", seq));
                } else {
                    row.put("value", seq * 0.5);
                    // now and then a longer text, so the string block widens while we are killed at random
                    row.put("text", seq % 997 == 0 ? "w".repeat((int) (seq % 300) + 10) : "row-" + seq);
                }
                t.appendRow(row);
                System.out.println(seq);
                System.out.flush();
                seq++;
                if (pauseMicros > 0) {
                    LockSupport.parkNanos(pauseMicros * 1000);
                }
            }
        }
        System.out.println("done");
    }

    /** Starts this main in a child JVM with the test's classpath. */
    static Process start(Path folder, String expId, long firstSeq, double seconds, long pauseMicros) throws Exception {
        return start(folder, expId, firstSeq, seconds, pauseMicros, "scalars");
    }

    /** As above; {@code kind} "objects" logs PICKLE and OBJECT cells instead of scalars. */
    static Process start(Path folder, String expId, long firstSeq, double seconds, long pauseMicros, String kind)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ChildWriter.class.getName(), folder.toString(), expId, Long.toString(firstSeq),
                Double.toString(seconds), Long.toString(pauseMicros), kind)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
