package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The summary cache on disk, so a restarted {@code cox serve} does not read every store again:
 * for each run, its {@link RunStamp}, {@link RunContents} and {@link TableSummary}s, as they were when
 * the file was written. An entry is used only while the run's stamp is still equal, exactly like
 * the cache in memory. It lives outside the served folder (which is never written), by default
 * under {@code ~/.cache/cox4j/serve/}, one file per folder named by the SHA-256 of its path.
 *
 * <p>The file can be deleted at any time: a missing, damaged or foreign file is ignored (the
 * stores are read), and it is written to a temporary file and renamed, so a reader never sees
 * half of it. It is written uncompressed (about 450 bytes a run with five metrics: at 100,000 runs,
 * inflating and deflating it cost more than reading and writing it); a gzip file an earlier
 * version wrote is read as well. Not thread-safe: {@link SummaryCache} calls it from one thread at a time.
 */
final class SummaryFile {
    private static final int MAGIC = 0x434f5853; // "COXS"
    // 2: an OBJECT parameter is kept as JSON; 3: whether the run was closed cleanly; 4: names and schemas once
    private static final int VERSION = 4;

    private final Path file;
    private final Path directory;
    /** The length and CRC-32C of the file the last {@link #load} read whole, or null. */
    private volatile long[] loaded;

    SummaryFile(Path file, Path directory) {
        this.file = file;
        this.directory = directory;
    }

    /**
     * @param cacheDir the folder of summary files
     * @param directory the served folder
     * @return the summary file of {@code directory} in {@code cacheDir}
     */
    static SummaryFile in(Path cacheDir, Path directory) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(directory.toString().getBytes(StandardCharsets.UTF_8));
            return new SummaryFile(cacheDir.resolve(HexFormat.of().formatHex(h, 0, 16) + ".summaries"), directory);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    Path path() {
        return file;
    }

    /**
     * @return the length and CRC-32C of the bytes the last {@link #load} read and took in (a file
     *     that was not damaged), or null if none was: what a {@link SavedAnswer} computed from it names
     */
    long[] loaded() {
        return loaded;
    }

    /**
     * What is saved of one run.
     *
     * @param stamp the run's stamp (when saving: now; the contents and summaries are saved only if theirs is equal)
     * @param contents its contents, or null if never read
     * @param summaries its tables' summaries
     * @param closed whether the scanner saw it closed cleanly at that stamp ({@link ListedRun.State#closed})
     */
    record Entry(RunStamp stamp, RunContents contents, Map<String, TableSummary> summaries, boolean closed) {
    }

    /**
     * @return the saved entries by exp_id; empty if the file is missing, damaged, or of another folder or version.
     *     Runs with the same tables (the same schemas, in the same order) share one map of them, and runs
     *     with the same parameter names and types one map of those (unmodifiable)
     */
    Map<String, Entry> load() {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            // read whole, then parsed in memory: at 100,000 runs a stream's per-number calls cost seconds
            byte[] bytes = Files.readAllBytes(file);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes);
            long[] identity = {bytes.length, crc.getValue()};
            if (bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) { // gzip: as written before
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
                    bytes = in.readAllBytes();
                }
            }
            Reader in = new Reader(ByteBuffer.wrap(bytes));
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !in.readUTF().equals(directory.toString())) {
                return Map.of();
            }
            String[] strings = new String[in.count()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = in.readUTF();
            }
            ColumnType[] types = new ColumnType[strings.length]; // the type a string names, looked up once
            Schema[] schemas = new Schema[in.count()];
            for (int k = 0; k < schemas.length; k++) {
                Schema.Builder b = Schema.builder();
                int cols = in.count();
                for (int c = 0; c < cols; c++) {
                    String name = strings[in.index(strings)];
                    ColumnType type = type(types, strings, in.index(strings));
                    b.add(name, type);
                }
                schemas[k] = b.build();
            }
            Map<Ints, Map<String, Schema>> sharedTables = new HashMap<>();
            Map<Ints, Map<String, ColumnType>> sharedTypes = new HashMap<>();
            int n = in.count();
            Map<String, Entry> out = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String expId = in.readUTF();
                RunStamp stamp = new RunStamp(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                boolean closed = in.readBoolean();
                int tableCount = in.count();
                int[] tableKey = new int[2 * tableCount];
                for (int t = 0; t < tableCount; t++) {
                    tableKey[2 * t] = in.index(strings);
                    int schema = in.readInt();
                    if (schema < 0 || schema >= schemas.length) {
                        throw new IOException("damaged summary file: schema " + schema);
                    }
                    tableKey[2 * t + 1] = schema;
                }
                Map<String, Schema> tables = sharedTables.computeIfAbsent(new Ints(tableKey), k -> {
                    Map<String, Schema> m = new LinkedHashMap<>();
                    for (int t = 0; t < k.values().length; t += 2) {
                        m.put(strings[k.values()[t]], schemas[k.values()[t + 1]]);
                    }
                    return Collections.unmodifiableMap(m);
                });
                int paramCount = in.count();
                int[] typeKey = new int[2 * paramCount];
                Object[] values = new Object[paramCount];
                for (int p = 0; p < paramCount; p++) {
                    typeKey[2 * p] = in.index(strings);
                    typeKey[2 * p + 1] = in.index(strings);
                    values[p] = readValue(in, strings);
                }
                Map<String, ColumnType> paramTypes = sharedTypes.computeIfAbsent(new Ints(typeKey), k -> {
                    Map<String, ColumnType> m = new LinkedHashMap<>();
                    for (int t = 0; t < k.values().length; t += 2) {
                        m.put(strings[k.values()[t]], type(types, strings, k.values()[t + 1]));
                    }
                    return Collections.unmodifiableMap(m);
                });
                Map<String, Object> params = new LinkedHashMap<>(paramCount * 2);
                for (int p = 0; p < paramCount; p++) {
                    params.put(strings[typeKey[2 * p]], values[p]);
                }
                RunContents contents = new RunContents(stamp, tables, params, paramTypes, null);
                Map<String, TableSummary> summaries = new HashMap<>();
                int summaryCount = in.count();
                for (int k = 0; k < summaryCount; k++) {
                    String table = strings[in.index(strings)];
                    long rows = in.readLong();
                    int m = in.count();
                    Map<String, MetricSummary> metrics = new LinkedHashMap<>(m * 2);
                    for (int c = 0; c < m; c++) {
                        metrics.put(strings[in.index(strings)], new MetricSummary(in.readDouble(), in.readDouble(),
                                in.readDouble(), in.readDouble(), in.readDouble(), in.readLong()));
                    }
                    summaries.put(table, new TableSummary(stamp, rows, metrics, null));
                }
                out.put(expId, new Entry(stamp, contents, summaries, closed));
            }
            loaded = identity;
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of(); // damaged or foreign: the stores are read instead
        }
    }

    /** Numbers compared by value: the key of a shared map. */
    private record Ints(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ints other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** Reads what {@link DataOutputStream} wrote, from memory (big-endian numbers, modified UTF-8 texts). */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        int readInt() {
            return buf.getInt();
        }

        long readLong() {
            return buf.getLong();
        }

        double readDouble() {
            return buf.getDouble();
        }

        byte readByte() {
            return buf.get();
        }

        boolean readBoolean() {
            return buf.get() != 0;
        }

        byte[] readNBytes(int n) throws IOException {
            if (n > buf.remaining()) {
                throw new IOException("damaged summary file: truncated");
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        String readUTF() throws IOException {
            int len = buf.getShort() & 0xFFFF;
            int at = buf.position();
            if (len > buf.remaining()) {
                throw new IOException("damaged summary file: truncated");
            }
            byte[] a = buf.array();
            int start = buf.arrayOffset() + at;
            boolean ascii = true;
            for (int i = start; i < start + len; i++) {
                if (a[i] <= 0) { // 0x80 and above, or a zero byte (never written: modified UTF-8 writes NUL as two bytes)
                    ascii = false;
                    break;
                }
            }
            String s;
            if (ascii) {
                s = new String(a, start, len, StandardCharsets.ISO_8859_1);
            } else {
                s = DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(a, start - 2, len + 2)));
            }
            buf.position(at + len);
            return s;
        }

        int count() throws IOException {
            int n = readInt();
            if (n < 0 || n > 1 << 26) {
                throw new IOException("damaged summary file: a count of " + n);
            }
            return n;
        }

        int index(String[] strings) throws IOException {
            int i = readInt();
            if (i < 0 || i >= strings.length) {
                throw new IOException("damaged summary file: string " + i + " of " + strings.length);
            }
            return i;
        }
    }

    private static ColumnType type(ColumnType[] types, String[] strings, int i) {
        if (types[i] == null) {
            types[i] = ColumnType.valueOf(strings[i]);
        }
        return types[i];
    }

    /** The names (tables, columns, parameters, types, short texts) and schemas a file holds, each once. */
    private static final class Dictionary {
        final Map<String, Integer> strings = new LinkedHashMap<>();
        /** By their columns in order (a Schema equals another with the same columns in any order). */
        final Map<java.util.List<Map.Entry<String, ColumnType>>, Integer> schemas = new LinkedHashMap<>();
        final java.util.List<Schema> schemaList = new java.util.ArrayList<>();

        int string(String s) {
            return strings.computeIfAbsent(s, k -> strings.size());
        }

        int schema(Schema schema) {
            java.util.List<Map.Entry<String, ColumnType>> key = java.util.List.copyOf(schema.entrySet());
            Integer i = schemas.get(key);
            if (i == null) {
                for (Map.Entry<String, ColumnType> c : schema.entrySet()) {
                    string(c.getKey());
                    string(c.getValue().name());
                }
                i = schemas.size();
                schemas.put(key, i);
                schemaList.add(schema);
            }
            return i;
        }
    }

    /**
     * Writes the fresh, error-free contents and summaries of {@code runs} (temporary file, then
     * rename): first each name and schema once, then the runs referring to them by number.
     *
     * @param runs each listed run's entry by exp_id, with its stamp now
     *
     * @throws IOException if the file cannot be written (the caller carries on without it)
     */
    void save(Map<String, Entry> runs) throws IOException {
        Map<String, Entry> fresh = new LinkedHashMap<>();
        Dictionary dict = new Dictionary();
        for (Map.Entry<String, Entry> r : runs.entrySet()) {
            RunContents info = r.getValue().contents();
            if (info == null || info.error() != null || !info.stamp().equals(r.getValue().stamp())) {
                continue;
            }
            fresh.put(r.getKey(), r.getValue());
            for (Map.Entry<String, Schema> t : info.tables().entrySet()) {
                dict.string(t.getKey());
                dict.schema(t.getValue());
            }
            for (Map.Entry<String, Object> p : info.params().entrySet()) {
                dict.string(p.getKey());
                dict.string(info.paramTypes().get(p.getKey()).name());
                if (p.getValue() instanceof String v && v.length() <= SHORT_TEXT) {
                    dict.string(v);
                }
            }
            for (Map.Entry<String, TableSummary> e : r.getValue().summaries().entrySet()) {
                dict.string(e.getKey());
                e.getValue().metrics().keySet().forEach(dict::string);
            }
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(directory.toString());
                out.writeInt(dict.strings.size());
                for (String str : dict.strings.keySet()) {
                    out.writeUTF(str);
                }
                out.writeInt(dict.schemas.size());
                for (Schema schema : dict.schemaList) {
                    out.writeInt(schema.size());
                    for (Map.Entry<String, ColumnType> c : schema.entrySet()) {
                        out.writeInt(dict.strings.get(c.getKey()));
                        out.writeInt(dict.strings.get(c.getValue().name()));
                    }
                }
                out.writeInt(fresh.size());
                for (Map.Entry<String, Entry> r : fresh.entrySet()) {
                    RunContents info = r.getValue().contents();
                    RunStamp s = info.stamp();
                    out.writeUTF(r.getKey());
                    out.writeLong(s.h5Size());
                    out.writeLong(s.h5Modified());
                    out.writeLong(s.journalSize());
                    out.writeLong(s.journalModified());
                    out.writeBoolean(r.getValue().closed());
                    out.writeInt(info.tables().size());
                    for (Map.Entry<String, Schema> t : info.tables().entrySet()) {
                        out.writeInt(dict.strings.get(t.getKey()));
                        out.writeInt(dict.schema(t.getValue()));
                    }
                    out.writeInt(info.params().size());
                    for (Map.Entry<String, Object> p : info.params().entrySet()) {
                        out.writeInt(dict.strings.get(p.getKey()));
                        out.writeInt(dict.strings.get(info.paramTypes().get(p.getKey()).name()));
                        writeValue(out, p.getValue(), dict);
                    }
                    Map<String, TableSummary> summaries = new LinkedHashMap<>();
                    for (Map.Entry<String, TableSummary> e : r.getValue().summaries().entrySet()) {
                        TableSummary ts = e.getValue();
                        if (ts.error() == null && ts.stamp().equals(s)) {
                            summaries.put(e.getKey(), ts);
                        }
                    }
                    out.writeInt(summaries.size());
                    for (Map.Entry<String, TableSummary> e : summaries.entrySet()) {
                        out.writeInt(dict.strings.get(e.getKey()));
                        out.writeLong(e.getValue().rows());
                        out.writeInt(e.getValue().metrics().size());
                        for (Map.Entry<String, MetricSummary> m : e.getValue().metrics().entrySet()) {
                            MetricSummary v = m.getValue();
                            out.writeInt(dict.strings.get(m.getKey()));
                            out.writeDouble(v.first());
                            out.writeDouble(v.last());
                            out.writeDouble(v.min());
                            out.writeDouble(v.max());
                            out.writeDouble(v.mean());
                            out.writeLong(v.count());
                        }
                    }
                }
            }
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames a whole temporary file over {@code file}: atomically where the file system can. */
    static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A text parameter this long or shorter is kept in the dictionary (optimizer names, datasets): once per file. */
    private static final int SHORT_TEXT = 256;

    private static void writeValue(DataOutputStream out, Object v, Dictionary dict) throws IOException {
        if (v instanceof String text && text.length() <= SHORT_TEXT) {
            out.writeByte(5);
            out.writeInt(dict.strings.get(text));
        } else if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Long l) {
            out.writeByte(1);
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte(2);
            out.writeDouble(d);
        } else if (v instanceof Boolean b) {
            out.writeByte(3);
            out.writeBoolean(b);
        } else {
            String s = v.toString();
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(4);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static Object readValue(Reader in, String[] strings) throws IOException {
        int kind = in.readByte();
        switch (kind) {
            case 5:
                return strings[in.index(strings)];
            case 0:
                return null;
            case 1:
                return in.readLong();
            case 2:
                return in.readDouble();
            case 3:
                return in.readBoolean();
            case 4: {
                int n = in.readInt();
                if (n < 0 || n > 64 << 20) {
                    throw new IOException("damaged summary file: a string of " + n + " bytes");
                }
                byte[] b = in.readNBytes(n);
                if (b.length != n) {
                    throw new IOException("damaged summary file: truncated");
                }
                return new String(b, StandardCharsets.UTF_8);
            }
            default:
                throw new IOException("damaged summary file: value kind " + kind);
        }
    }
}
