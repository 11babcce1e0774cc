package cox.store.hdf5;

import cox.exceptions.CoxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs seeded mutations of stores through the engine, for {@link PandasStoreFileFuzzIT} (in a child JVM with
 * a small heap, so an allocation sized by a damaged count fails loudly). Each trial damages a copy
 * of a base store — flips 1–4 bits, zeroes up to 64 bytes, or truncates it, in its metadata or in
 * its row data — then reads every table, then opens it for appending, appends a row to each table
 * and reads it back. Each outcome is classified:
 *
 * <ul>
 *   <li>{@code same}: everything reads as in the undamaged store;</li>
 *   <li>{@code error}: a {@link cox.exceptions.StoreFormatException} (or another cox exception)
 *       naming the file;</li>
 *   <li>{@code data}: the damage lay only in row data, and only cell values differ (no format can
 *       tell a flipped bit in a float from another float);</li>
 *   <li>failures: {@code wrong} (other differences after damage to metadata, which the format's
 *       structure could have caught), {@code unchecked} (any other exception), {@code hang}
 *       (a trial over 20 s), and an append whose rows do not read back.</li>
 * </ul>
 *
 * <p>Arguments: seed, trials, a scratch folder. Prints one line per failure, then the counts.
 */
public final class StoreFuzzer {
    private StoreFuzzer() {
    }

    /** A store to damage, its reading, and which of its byte ranges hold row data. */
    private record Base(String name, byte[] bytes, String reading, long[][] data) {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int trials = Integer.parseInt(args[1]);
        Path scratch = Path.of(args[2]);
        List<Base> bases = bases(scratch);
        Map<String, Integer> counts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Random random = new Random(seed);
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz trial");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < trials; i++) {
            Base base = bases.get(i % bases.size());
            long trialSeed = random.nextLong();
            Path file = scratch.resolve("trial-" + (i % 4)).resolve("store.h5");
            Files.createDirectories(file.getParent());
            Future<String[]> f = pool.submit(() -> trial(base, trialSeed, file));
            String[] outcome;
            try {
                outcome = f.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                pool.shutdownNow();
                pool = Executors.newSingleThreadExecutor();
                outcome = new String[] {"hang", ""};
            }
            counts.merge(outcome[0], 1, Integer::sum);
            if (!outcome[1].isEmpty()) {
                failures.add("FAILURE " + base.name + " seed " + trialSeed + ": " + outcome[0] + ": " + outcome[1]);
            }
        }
        pool.shutdownNow();
        for (String failure : failures) {
            System.out.println(failure.replace('\n', ' '));
        }
        System.out.println("counts " + counts);
    }

    /** Outcome name, and a description if it is a failure ("" otherwise). */
    private static String[] trial(Base base, long seed, Path file) throws IOException {
        Random r = new Random(seed);
        byte[] b = base.bytes.clone();
        String kind;
        long from;
        long to;
        boolean inData = r.nextBoolean() && base.data.length > 0;
        int op = r.nextInt(3);
        if (op == 2) {
            int at = inData ? pick(r, base.data, b.length) : r.nextInt(b.length);
            b = Arrays.copyOf(b, at);
            kind = "truncate at " + at;
            from = at;
            to = base.bytes.length;
        } else {
            int at = inData ? pick(r, base.data, b.length) : pickMetadata(r, base.data, b.length);
            if (op == 0) {
                int flips = 1 + r.nextInt(4);
                int last = at;
                for (int k = 0; k < flips; k++) {
                    int p = Math.min(b.length - 1, at + r.nextInt(8));
                    b[p] ^= (byte) (1 << r.nextInt(8));
                    last = Math.max(last, p);
                }
                kind = "flip " + flips + " bits at " + at;
                from = at;
                to = last + 1;
            } else {
                int n = Math.min(b.length - at, 1 + r.nextInt(64));
                Arrays.fill(b, at, at + n, (byte) 0);
                kind = "zero " + n + " bytes at " + at;
                from = at;
                to = at + n;
            }
        }
        // damage that reaches row data may change cell values: nothing in the format can tell
        boolean touchesData = overlaps(base.data, from, to);
        Files.write(file, b);
        String reading;
        try {
            reading = read(file);
        } catch (CoxException e) {
            String m = e.getMessage();
            if (m == null || !m.contains(file.toString())) {
                return new String[] {"unnamed", kind + ": " + e};
            }
            return writableAfterError(file, kind);
        } catch (RuntimeException | Error e) {
            return new String[] {"unchecked", kind + ": " + e + " " + Arrays.toString(e.getStackTrace()).substring(0,
                    Math.min(600, Arrays.toString(e.getStackTrace()).length()))};
        }
        String outcome;
        if (reading.equals(base.reading)) {
            outcome = "same";
        } else if (touchesData && shape(reading).equals(shape(base.reading))) {
            outcome = "data";
        } else {
            return new String[] {"wrong", kind + (touchesData ? " (reaching data)" : " (in metadata)") + ": "
                    + firstDifference(base.reading, reading)};
        }
        String append = appendAndCheck(file, reading, kind);
        return append == null ? new String[] {outcome, ""} : new String[] {"append-" + outcome, append};
    }

    /** After a read-only error, opening for appending must fail too (or append correctly: it may check less). */
    private static String[] writableAfterError(Path file, String kind) {
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            for (String name : f.tableNames()) {
                f.table(name).read(0, (int) f.table(name).nrows());
            }
        } catch (CoxException e) {
            return new String[] {"error", ""};
        } catch (RuntimeException | Error e) {
            return new String[] {"unchecked", kind + " (appending): " + e};
        }
        return new String[] {"error", ""};
    }

    /** Appends a row to each appendable table, closes, and checks the file reads as before plus those rows. */
    private static String appendAndCheck(Path file, String before, String kind) {
        Map<String, Long> appended = new LinkedHashMap<>();
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                if (t.frame().notAppendable() != null || t.disk().dataset.unsupported != null) {
                    continue;
                }
                Object[] row = new Object[t.columns().size()];
                for (int c = 0; c < row.length; c++) {
                    switch (t.columns().get(c).kind()) {
                        case INT:
                            row[c] = 7L;
                            break;
                        case FLOAT:
                            row[c] = 0.5;
                            break;
                        case BOOL:
                            row[c] = true;
                            break;
                        default:
                            row[c] = "fuzz";
                    }
                }
                appended.put(name, t.nrows());
                t.append(List.<Object[]>of(row));
            }
        } catch (CoxException e) {
            return null; // refusing to append to a damaged file is fine
        } catch (RuntimeException | Error e) {
            return kind + " (appending): " + e;
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            for (Map.Entry<String, Long> e : appended.entrySet()) {
                PandasTable t = f.table(e.getKey());
                if (t == null || t.nrows() != e.getValue() + 1) {
                    return kind + ": after appending, table " + e.getKey() + " has " + (t == null ? "vanished"
                            : t.nrows() + " rows, expected " + (e.getValue() + 1));
                }
            }
            String now = read(file);
            // the rows before the appended ones are as they read before
            for (String table : appended.keySet()) {
                if (!prefixOf(before, now, table)) {
                    return kind + ": after appending, the earlier rows of " + table + " changed";
                }
            }
        } catch (RuntimeException | Error e) {
            return kind + ": after appending: " + e;
        }
        return null;
    }

    private static boolean prefixOf(String before, String now, String table) {
        String a = section(before, table);
        String b = section(now, table);
        String[] la = a.split("\n");
        String[] lb = b.split("\n");
        if (la.length != lb.length) {
            return false;
        }
        for (int i = 2; i < la.length; i++) {
            String x = la[i].substring(0, la[i].length() - 1);
            if (!lb[i].startsWith(x)) {
                return false;
            }
        }
        return true;
    }

    private static String section(String reading, String table) {
        int at = reading.indexOf("== " + table + "\n");
        int end = reading.indexOf("== ", at + 3);
        return reading.substring(at, end < 0 ? reading.length() : end);
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "(none)";
            String q = i < y.length ? y[i] : "(none)";
            if (!p.equals(q)) {
                return "line " + i + ": " + cut(p) + " -> " + cut(q);
            }
        }
        return "?";
    }

    private static String cut(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    /** Tables, columns and row counts only. */
    private static String shape(String reading) {
        StringBuilder sb = new StringBuilder();
        for (String line : reading.split("\n")) {
            if (line.startsWith("== ") || line.startsWith("[FrameColumn") || line.startsWith("rows ")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    static String read(Path file) {
        StringBuilder sb = new StringBuilder();
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                sb.append("== ").append(name).append('\n').append(t.columns()).append('\n');
                sb.append("rows ").append(t.nrows()).append('\n');
                sb.append(ForeignFilesTest.describe(t.read(0, (int) t.nrows())));
            }
        }
        return sb.toString();
    }

    private static int pick(Random r, long[][] ranges, int length) {
        long[] range = ranges[r.nextInt(ranges.length)];
        long n = Math.min(range[1], length) - range[0];
        return (int) (range[0] + (n <= 0 ? 0 : r.nextLong(n)));
    }

    private static int pickMetadata(Random r, long[][] data, int length) {
        for (int tries = 0; tries < 1000; tries++) {
            int at = r.nextInt(length);
            if (!within(data, at, at + 1)) {
                return at;
            }
        }
        return r.nextInt(length);
    }

    private static boolean overlaps(long[][] ranges, long from, long to) {
        for (long[] range : ranges) {
            if (from < range[1] && to > range[0]) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(long[][] ranges, long from, long to) {
        for (long[] range : ranges) {
            if (from >= range[0] && to <= range[1]) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ base stores

    private static List<Base> bases(Path scratch) throws IOException {
        List<Base> out = new ArrayList<>();
        Path dir = Files.createDirectories(scratch.resolve("bases"));
        // several tables, one widened, chunks of a few rows so the index has levels
        Path ours = dir.resolve("ours.h5");
        try (PandasStoreFile f = PandasStoreFile.create(ours)) {
            f.chunkRowsOverride = 3;
            f.createTable("results", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(0, 40));
            f.createTable("meta", PandasStoreFileTest.text("s"), 1, 1).append(List.<Object[]>of(new Object[] {"a"}));
            f.flush();
            f.table("meta").append(List.<Object[]>of(new Object[] {"ünïcødé and wider"}));
            f.createTable("ints", List.of(new FrameColumn("i", ColumnKind.INT, "int")), 1, 1)
                    .append(List.<Object[]>of(new Object[] {1L}, new Object[] {2L}));
        }
        out.add(base("ours", ours));
        // appended in place across many chunks (a two-level index) and left as a killed writer leaves it
        Path live = dir.resolve("live.h5");
        try (PandasStoreFile f = PandasStoreFile.create(live)) {
            f.chunkRowsOverride = 1;
            f.createTable("t", List.of(new FrameColumn("i", ColumnKind.INT, "int")), 1, 1)
                    .append(List.<Object[]>of(new Object[] {0L}));
            f.flush();
            List<Object[]> rows = new ArrayList<>();
            for (long i = 1; i < 150; i++) {
                rows.add(new Object[] {i});
            }
            f.table("t").append(rows);
            f.sync();
            Files.copy(live, dir.resolve("live-copy.h5"));
        }
        out.add(base("live", dir.resolve("live-copy.h5")));
        for (String name : List.of("exp-0.h5", "exp-2.h5")) {
            Path p = dir.resolve(name);
            try (InputStream in = StoreFuzzer.class.getResourceAsStream("/stores/cox-python/" + name)) {
                Files.copy(in, p);
            }
            out.add(base("python-" + name, p));
        }
        Path pandas = dir.resolve("pandas.h5");
        try (InputStream in = StoreFuzzer.class.getResourceAsStream("/stores/pandas-written.h5")) {
            Files.copy(in, pandas);
        }
        out.add(base("pandas", pandas));
        return out;
    }

    private static Base base(String name, Path file) throws IOException {
        List<long[]> data = new ArrayList<>();
        try (FileBytes f = FileBytes.openForReading(file)) {
            FileStructure s = FileStructure.read(f);
            for (FileStructure.Table t : s.tables.values()) {
                TableDataset ds = t.dataset;
                for (int c = 0; c < ds.chunksFor(ds.extent); c++) {
                    long rows = Math.min(ds.chunkRows, ds.extent - c * ds.chunkRows);
                    data.add(new long[] {ds.chunkAddress[c], ds.chunkAddress[c] + rows * ds.rowSize});
                }
            }
        }
        // adjacent chunks make one range
        data.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] d : data) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] == d[0]) {
                merged.get(merged.size() - 1)[1] = d[1];
            } else {
                merged.add(d.clone());
            }
        }
        return new Base(name, Files.readAllBytes(file), read(file), merged.toArray(new long[0][]));
    }
}
