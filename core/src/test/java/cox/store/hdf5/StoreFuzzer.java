package cox.store.hdf5;

import cox.exceptions.CoxException;
import cox.testing.H5Superblock;
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

    /**
     * A store to damage, its reading, which of its byte ranges hold row data (compressed or not),
     * and where its chunk index nodes are.
     */
    private record Base(String name, byte[] bytes, String reading, long[][] data, List<long[]> nodes) {
    }

    /** One damaged file: its bytes, what was done, and the byte range it changed. */
    private record Mutation(byte[] bytes, String kind, long from, long to) {
    }

    /** A way of damaging a base: its name and, for trial {@code i}, the mutation (or null to skip). */
    private interface Campaign {
        Mutation mutate(Base base, int trial, Random random);
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int trials = Integer.parseInt(args[1]);
        Path scratch = Path.of(args[2]);
        // trials of the campaigns that issue 17 added: per base for the end-of-file address, in all
        // for damage beyond the first 16 KiB; truncation is at every 1 % of each base
        int deepTrials = args.length > 3 ? Integer.parseInt(args[3]) : 600;
        List<Base> bases = bases(scratch);
        List<Base> more = new ArrayList<>(bases);
        more.addAll(largeBases(scratch));
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Random random = new Random(seed);
        Runner runner = new Runner(scratch, counts, failures);
        for (int i = 0; i < trials; i++) {
            Base base = bases.get(i % bases.size());
            long trialSeed = random.nextLong();
            runner.run("random", base, trialSeed, () -> randomMutation(base, new Random(trialSeed)));
        }
        for (Base base : more) {
            for (int v = 0; v < END_OF_FILE_CLAIMS; v++) {
                int value = v;
                long trialSeed = random.nextLong();
                runner.run("end-of-file address", base, trialSeed,
                        () -> endOfFileMutation(base, value, new Random(trialSeed)));
            }
        }
        List<Base> deep = more.stream().filter(b -> b.bytes.length > DEEP + 4096).toList();
        for (int i = 0; i < deepTrials && !deep.isEmpty(); i++) {
            Base base = deep.get(i % deep.size());
            long trialSeed = random.nextLong();
            runner.run("beyond 16 KiB", base, trialSeed, () -> deepMutation(base, new Random(trialSeed)));
        }
        for (Base base : more) {
            for (int pct = 1; pct < 100; pct++) {
                int at = (int) ((long) base.bytes.length * pct / 100);
                runner.run("truncation at every 1 %", base, pct, () -> new Mutation(Arrays.copyOf(base.bytes, at),
                        "truncate at " + at + " (" + at * 100L / base.bytes.length + " %)", at, base.bytes.length));
            }
        }
        runner.close();
        for (String failure : failures) {
            System.out.println(failure.replace('\n', ' '));
        }
        System.out.println("counts " + counts.get("random"));
        for (Map.Entry<String, Map<String, Integer>> e : counts.entrySet()) {
            System.out.println("campaign\t" + e.getKey() + "\t" + e.getValue());
        }
    }

    /** Runs trials one at a time, each within 20 s, and counts their outcomes per campaign. */
    private static final class Runner {
        private final Path scratch;
        private final Map<String, Map<String, Integer>> counts;
        private final List<String> failures;
        private ExecutorService pool = newPool();
        private int n;

        Runner(Path scratch, Map<String, Map<String, Integer>> counts, List<String> failures) {
            this.scratch = scratch;
            this.counts = counts;
            this.failures = failures;
        }

        private static ExecutorService newPool() {
            return Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz trial");
                t.setDaemon(true);
                return t;
            });
        }

        void run(String campaign, Base base, long seed, java.util.function.Supplier<Mutation> mutation)
                throws IOException, InterruptedException {
            Path folder = scratch.resolve("trial-" + (n++ % 4));
            Path file = folder.resolve("store.h5");
            Files.createDirectories(folder);
            Future<String[]> f = pool.submit(() -> trial(base, mutation.get(), file));
            String[] outcome;
            try {
                outcome = f.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                pool.shutdownNow();
                pool = newPool();
                outcome = new String[] {"hang", ""};
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = new String[] {"unchecked", "the trial failed: " + e.getCause()};
            }
            // growth is measured as the apparent size of every file the trial left
            long bound = 4L * base.bytes.length + (1 << 20);
            try (java.util.stream.Stream<Path> files = Files.list(folder)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    long size = Files.size(p);
                    if (size > bound) {
                        outcome = new String[] {"grew", p.getFileName() + " is " + size + " bytes after the trial, more"
                                + " than " + bound};
                    }
                    if (!p.equals(file)) {
                        Files.delete(p);
                    }
                }
            }
            counts.computeIfAbsent(campaign, k -> new TreeMap<>()).merge(outcome[0], 1, Integer::sum);
            if (!outcome[1].isEmpty()) {
                failures.add("FAILURE " + campaign + " " + base.name + " seed " + seed + ": " + outcome[0] + ": "
                        + outcome[1]);
            }
        }

        void close() {
            pool.shutdownNow();
        }
    }

    /** Flips 1–4 bits, zeroes up to 64 bytes, or truncates, in metadata or in row data. */
    private static Mutation randomMutation(Base base, Random r) {
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
            return new Mutation(b, kind, from, to);
        }
        int at = inData ? pick(r, base.data, b.length) : pickMetadata(r, base.data, b.length);
        return flipOrZero(b, at, op, r);
    }

    private static Mutation flipOrZero(byte[] b, int at, int op, Random r) {
        if (op == 0) {
            int flips = 1 + r.nextInt(4);
            int last = at;
            for (int k = 0; k < flips; k++) {
                int p = Math.min(b.length - 1, at + r.nextInt(8));
                b[p] ^= (byte) (1 << r.nextInt(8));
                last = Math.max(last, p);
            }
            return new Mutation(b, "flip " + flips + " bits at " + at, at, last + 1);
        }
        int n = Math.min(b.length - at, 1 + r.nextInt(64));
        Arrays.fill(b, at, at + n, (byte) 0);
        return new Mutation(b, "zero " + n + " bytes at " + at, at, at + n);
    }

    /** How many end-of-file addresses each base is given. */
    static final int END_OF_FILE_CLAIMS = H5Superblock.END_OF_FILE_CLAIMS;

    /**
     * The superblock's end-of-file address set to claim {@code v}: a byte or a page beyond the
     * file, 3.5 GB beyond it, 2^36, 2^40, 2^44, 2^63 - 1, any 64-bit value, a byte short of the file
     * (a killed writer's slack), or inside the first objects.
     */
    private static Mutation endOfFileMutation(Base base, int v, Random r) {
        byte[] b = base.bytes.clone();
        long size = b.length;
        long value = H5Superblock.endOfFileClaim(v, size, r);
        int field = (b[8] == 0 ? 24 : 28) + 2 * b[13];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(field, value);
        return new Mutation(b, "end-of-file address " + Long.toUnsignedString(value) + " (file " + size + " bytes)", field,
                field + 8);
    }

    /** Where the campaign "beyond 16 KiB" damages: chunk index nodes and row data from here on. */
    static final int DEEP = 16 << 10;

    /** Flips bits in or zeroes part of a chunk B-tree node or a chunk of row data past the first 16 KiB. */
    private static Mutation deepMutation(Base base, Random r) {
        byte[] b = base.bytes.clone();
        List<long[]> places = new ArrayList<>();
        for (long[] node : base.nodes) {
            if (node[0] >= DEEP) {
                places.add(node);
            }
        }
        boolean inNode = !places.isEmpty() && r.nextBoolean();
        if (!inNode) {
            for (long[] d : base.data) {
                if (d[1] > DEEP) {
                    places.add(new long[] {Math.max(d[0], DEEP), d[1]});
                }
            }
        }
        if (places.isEmpty()) {
            return flipOrZero(b, DEEP + r.nextInt(b.length - DEEP), r.nextInt(2), r);
        }
        long[] place = places.get(r.nextInt(places.size()));
        int at = (int) (place[0] + r.nextLong(Math.max(1, Math.min(place[1], b.length) - place[0])));
        Mutation m = flipOrZero(b, at, r.nextInt(2), r);
        return new Mutation(m.bytes, m.kind + (inNode ? " (chunk index node)" : " (row data)"), m.from, m.to);
    }

    /** Outcome name, and a description if it is a failure ("" otherwise). */
    private static String[] trial(Base base, Mutation mutation, Path file) throws IOException {
        byte[] b = mutation.bytes;
        String kind = mutation.kind;
        long from = mutation.from;
        long to = mutation.to;
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
        try (PandasStoreFile f = PandasStoreFile.create(ours, PandasStoreFile.Options.DEFAULT.withChunkRows(3))) {
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
        try (PandasStoreFile f = PandasStoreFile.create(live, PandasStoreFile.Options.DEFAULT.withChunkRows(1))) {
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

    /**
     * Bases large enough that chunk index nodes and row data lie beyond the first 16 KiB: a table
     * of 4,000 rows in chunks of 4 (1,000 chunks, 16 leaves and a root), and a table of 25,000
     * rows of 88 bytes compressed as pandas compresses it (the HDF Group's library, so read with jHDF).
     */
    private static List<Base> largeBases(Path scratch) throws IOException {
        List<Base> out = new ArrayList<>();
        Path dir = Files.createDirectories(scratch.resolve("bases"));
        Path large = dir.resolve("large.h5");
        try (PandasStoreFile f = PandasStoreFile.create(large, PandasStoreFile.Options.DEFAULT.withChunkRows(4))) {
            f.createTable("results", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(0, 4000));
        }
        out.add(base("large", large));
        Path compressed = dir.resolve("compressed.h5");
        List<FrameColumn> columns = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            columns.add(new FrameColumn("c" + c, ColumnKind.FLOAT, "float"));
        }
        try (PandasStoreFile f = PandasStoreFile.create(compressed)) {
            List<Object[]> rows = new ArrayList<>();
            for (int r = 0; r < 25_000; r++) {
                Object[] row = new Object[10];
                for (int c = 0; c < 10; c++) {
                    row[c] = r * (c + 0.5);
                }
                rows.add(row);
            }
            f.createTable("results", columns, 1, 25_000).append(rows);
        }
        cox.testing.H5Damage.compressTable(compressed, "results", 744, 9);
        out.add(base("compressed", compressed));
        return out;
    }

    private static Base base(String name, Path file) throws IOException {
        return new Base(name, Files.readAllBytes(file), read(file), dataRanges(file), nodeRanges(file));
    }

    /**
     * The byte ranges of {@code file} that hold row data: the chunks of its frame tables (for a
     * compressed table, every chunk its index lists), adjacent ones merged, in address order. For
     * fuzz tests, which must tell damage to row data (which no structure guards) from damage to metadata.
     */
    public static long[][] dataRanges(Path file) {
        List<long[]> data = new ArrayList<>();
        try (FileBytes f = FileBytes.openForReading(file)) {
            FileStructure s = FileStructure.read(f);
            int chunkK = s.superblock.chunkK();
            for (FileStructure.Table t : s.tables.values()) {
                TableDataset ds = t.dataset;
                if (ds.unsupported != null) {
                    java.nio.ByteBuffer layout = ds.objectHeader.first(ObjectHeader.LAYOUT).buffer();
                    for (ChunkIndex.Chunk c : ChunkIndex.read(f, chunkK, layout.getLong(3), 2, t.name).chunks) {
                        data.add(new long[] {c.address(), c.address() + c.size()});
                    }
                    continue;
                }
                for (int c = 0; c < ds.chunksFor(ds.extent); c++) {
                    long rows = Math.min(ds.chunkRows, ds.extent - c * ds.chunkRows);
                    data.add(new long[] {ds.chunkAddress[c], ds.chunkAddress[c] + rows * ds.rowSize});
                }
            }
        }
        data.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] d : data) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] == d[0]) {
                merged.get(merged.size() - 1)[1] = d[1];
            } else {
                merged.add(d.clone());
            }
        }
        return merged.toArray(new long[0][]);
    }

    /**
     * The byte ranges of {@code file}'s chunk index nodes: every "TREE" signature followed by node
     * type 1, with the size such a node has for a one-dimensional dataset (the nodes of datasets of
     * more dimensions are larger: the range covers their header and first entries).
     */
    public static List<long[]> nodeRanges(Path file) {
        byte[] bytes;
        int chunkK;
        try (FileBytes f = FileBytes.openForReading(file)) {
            chunkK = Superblock.read(f).chunkK();
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<long[]> nodes = new ArrayList<>();
        int nodeSize = ChunkIndex.nodeSize(chunkK, 2);
        for (int p = 0; p + nodeSize <= bytes.length; p++) {
            if (bytes[p] == 'T' && bytes[p + 1] == 'R' && bytes[p + 2] == 'E' && bytes[p + 3] == 'E' && bytes[p + 4] == 1) {
                nodes.add(new long[] {p, p + nodeSize});
            }
        }
        return nodes;
    }
}
