package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The summary cache on disk, so a restarted {@code cox serve} does not read every store again:
 * for each run, its {@link RunStamp}, {@link RunContents} and {@link TableSummary}s, as they were when
 * the file was written. An entry is used only while the run's stamp is still equal, exactly like
 * the cache in memory. It lives outside the served folder (which is never written), by default
 * under {@code ~/.cache/cox4j/serve/}, one file per folder named by the SHA-256 of its path.
 *
 * <p>The file can be deleted at any time: a missing, damaged or foreign file is ignored (the
 * stores are read), and it is written to a temporary file and renamed, so a reader never sees
 * half of it. Not thread-safe: {@link SummaryCache} calls it from one thread at a time.
 */
final class SummaryFile {
    private static final int MAGIC = 0x434f5853; // "COXS"
    private static final int VERSION = 3; // 2: an OBJECT parameter is kept as JSON; 3: whether the run was closed cleanly

    private final Path file;
    private final Path directory;

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
     * What is saved of one run.
     *
     * @param stamp the run's stamp (when saving: now; the contents and summaries are saved only if theirs is equal)
     * @param contents its contents, or null if never read
     * @param summaries its tables' summaries
     * @param closed whether the scanner saw it closed cleanly at that stamp ({@link ListedRun.State#closed})
     */
    record Entry(RunStamp stamp, RunContents contents, Map<String, TableSummary> summaries, boolean closed) {
    }

    /** @return the saved entries by exp_id; empty if the file is missing, damaged, or of another folder or version */
    Map<String, Entry> load() {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !in.readUTF().equals(directory.toString())) {
                return Map.of();
            }
            int n = in.readInt();
            Map<String, Entry> out = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                String expId = in.readUTF();
                RunStamp stamp = new RunStamp(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                boolean closed = in.readBoolean();
                Map<String, Schema> tables = new LinkedHashMap<>();
                int tableCount = in.readInt();
                for (int t = 0; t < tableCount; t++) {
                    String name = in.readUTF();
                    Schema.Builder b = Schema.builder();
                    int cols = in.readInt();
                    for (int c = 0; c < cols; c++) {
                        b.add(in.readUTF(), ColumnType.valueOf(in.readUTF()));
                    }
                    tables.put(name, b.build());
                }
                Map<String, Object> params = new LinkedHashMap<>();
                Map<String, ColumnType> types = new LinkedHashMap<>();
                int paramCount = in.readInt();
                for (int p = 0; p < paramCount; p++) {
                    String name = in.readUTF();
                    types.put(name, ColumnType.valueOf(in.readUTF()));
                    params.put(name, readValue(in));
                }
                RunContents contents = new RunContents(stamp, tables, params, types, null);
                Map<String, TableSummary> summaries = new HashMap<>();
                int summaryCount = in.readInt();
                for (int s = 0; s < summaryCount; s++) {
                    String table = in.readUTF();
                    long rows = in.readLong();
                    Map<String, MetricSummary> metrics = new LinkedHashMap<>();
                    int m = in.readInt();
                    for (int k = 0; k < m; k++) {
                        metrics.put(in.readUTF(), new MetricSummary(in.readDouble(), in.readDouble(), in.readDouble(),
                                in.readDouble(), in.readDouble(), in.readLong()));
                    }
                    summaries.put(table, new TableSummary(stamp, rows, metrics, null));
                }
                out.put(expId, new Entry(stamp, contents, summaries, closed));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of(); // damaged or foreign: the stores are read instead
        }
    }

    /**
     * Writes the fresh, error-free contents and summaries of {@code runs} (temporary file, then rename).
     *
     * @param runs each listed run's entry by exp_id, with its stamp now
     *
     * @throws IOException if the file cannot be written (the caller carries on without it)
     */
    void save(Map<String, Entry> runs) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16)))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(directory.toString());
                Map<String, Entry> fresh = new LinkedHashMap<>();
                for (Map.Entry<String, Entry> r : runs.entrySet()) {
                    RunContents info = r.getValue().contents();
                    if (info != null && info.error() == null && info.stamp().equals(r.getValue().stamp())) {
                        fresh.put(r.getKey(), r.getValue());
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
                        out.writeUTF(t.getKey());
                        out.writeInt(t.getValue().size());
                        for (Map.Entry<String, ColumnType> c : t.getValue().entrySet()) {
                            out.writeUTF(c.getKey());
                            out.writeUTF(c.getValue().name());
                        }
                    }
                    out.writeInt(info.params().size());
                    for (Map.Entry<String, Object> p : info.params().entrySet()) {
                        out.writeUTF(p.getKey());
                        out.writeUTF(info.paramTypes().get(p.getKey()).name());
                        writeValue(out, p.getValue());
                    }
                    Map<String, TableSummary> summaries = new LinkedHashMap<>();
                    Set<String> seen = new HashSet<>();
                    for (Map.Entry<String, TableSummary> e : r.getValue().summaries().entrySet()) {
                        TableSummary ts = e.getValue();
                        if (ts.error() == null && ts.stamp().equals(s) && seen.add(e.getKey())) {
                            summaries.put(e.getKey(), ts);
                        }
                    }
                    out.writeInt(summaries.size());
                    for (Map.Entry<String, TableSummary> e : summaries.entrySet()) {
                        out.writeUTF(e.getKey());
                        out.writeLong(e.getValue().rows());
                        out.writeInt(e.getValue().metrics().size());
                        for (Map.Entry<String, MetricSummary> m : e.getValue().metrics().entrySet()) {
                            MetricSummary v = m.getValue();
                            out.writeUTF(m.getKey());
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
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
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

    private static Object readValue(DataInputStream in) throws IOException {
        int kind = in.readByte();
        switch (kind) {
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
