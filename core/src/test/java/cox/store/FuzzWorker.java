package cox.store;

import cox.exceptions.CoxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * The child JVM of {@link StoreFuzzIT}: for each line {@code STORAGE_FOLDER EXP_ID} on stdin it
 * opens the store in READ mode, then APPEND, then READ again, and prints what each found: every
 * table's rows (as {@link #dump} writes them), or the exception. A separate JVM with a small heap,
 * so that a hang, a crash of native code or an allocation by a damaged length shows as such.
 */
public final class FuzzWorker {
    private FuzzWorker() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY");
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\t");
            Path folder = Path.of(parts[0]);
            String expId = parts[1];
            Path exp = folder.resolve(expId);
            long before = checksum(exp);
            out.println("READ\t" + open(folder, expId, Mode.READ));
            out.println("READ_WROTE\t" + (checksum(exp) != before));
            out.println("APPEND\t" + open(folder, expId, Mode.APPEND));
            out.println("AFTER\t" + open(folder, expId, Mode.READ));
            out.println("DONE");
        }
    }

    /** Opens the store, dumps every table, closes it: "ROWS base64", or "COX|UNCHECKED class base64(message)". */
    static String open(Path folder, String expId, Mode mode) {
        String dump = null;
        try {
            Store s = Store.open(folder, expId, mode);
            try {
                dump = dump(s);
            } finally {
                s.close();
            }
            return "ROWS\t" + encode(dump);
        } catch (CoxException e) {
            return "COX\t" + e.getClass().getName() + "\t" + encode(messages(e)) + "\t" + encode(dump == null ? "" : dump);
        } catch (Throwable t) {
            return "UNCHECKED\t" + t.getClass().getName() + "\t" + encode(messages(t) + "\n" + trace(t))
                    + "\t" + encode(dump == null ? "" : dump);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable s : t.getSuppressed()) {
            sb.append(" [suppressed ").append(s.getClass().getName()).append(": ").append(s.getMessage()).append("]");
        }
        return sb.toString();
    }

    private static String trace(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("  at ").append(e).append('\n');
            if (sb.length() > 3000) {
                break;
            }
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every table of the store: its name and schema, then one line per row, cells exactly (floats
     * by their bits); the row count must agree with {@code nrows()}.
     */
    static String dump(Store s) {
        StringBuilder sb = new StringBuilder();
        for (String name : s.keys()) {
            Table t = s.table(name);
            DataFrame df = t.df();
            long nrows = t.nrows();
            sb.append("table ").append(name).append(' ').append(t.schema()).append(" nrows=").append(nrows).append('\n');
            List<String> columns = List.copyOf(t.schema().keySet());
            for (int r = 0; r < df.height(); r++) {
                sb.append(' ');
                for (String c : columns) {
                    Series<?> col = df.getColumn(c);
                    Object v = col.get(r);
                    sb.append(v instanceof Double d ? "d" + Long.toHexString(Double.doubleToRawLongBits(d))
                            : v instanceof String str ? "s" + str.replace("\\", "\\\\").replace("\n", "\\n") : String.valueOf(v));
                    sb.append('|');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** A checksum of every file under {@code dir}: names, sizes and contents. */
    static long checksum(Path dir) throws IOException {
        CRC32 crc = new CRC32();
        Map<String, Path> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.put(dir.relativize(p).toString(), p));
        }
        for (Map.Entry<String, Path> e : files.entrySet()) {
            crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            crc.update(Files.readAllBytes(e.getValue()));
        }
        return crc.getValue();
    }
}
