package cox.web;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * One {@code /api/runs} answer saved beside the {@link SummaryFile}, so that a restarted
 * {@code cox serve} over 100,000 runs sends the page its first answer at once instead of after
 * loading every run's summary (seconds): the answer a restarted server gave, from nothing but its
 * summary file, to a complete request (no {@code since}), with what makes it that answer.
 *
 * <p>It is served only where it is provably the answer the server would compute at that moment
 * ({@link #body}): the same request (its query text, byte for byte), the same folder, metadata
 * table and code that wrote it (the classes that write the answer, by digest), the summary file
 * byte for byte the one it was computed from (by length and CRC-32C), a clock within the span in
 * which no run's clock-dependent status ({@code active} or {@code idle}, for a store without a
 * cox4j journal) turns, and the body whole (its CRC-32C); the caller checks that its listing is
 * still the summary file's (nothing rescanned or read since). Anything else, or a missing or
 * damaged file, and the answer is computed as usual.
 *
 * <p>Written to a temporary file and renamed, so a reader never sees half of it; it can be
 * deleted at any time. Not thread-safe: one writer at a time ({@link RunsEndpoints} writes it
 * once per server).
 */
final class SavedAnswer {
    private static final int MAGIC = 0x434f5841; // "COXA"
    private static final int FORMAT = 1;
    /** The classes whose code decides the bytes of the answer: the answer is kept for their code only. */
    private static final Class<?>[] WRITERS = {RunsEndpoints.class, RunColumns.class, RunAggregates.class, ColumnUnion.class,
        RequestParams.class, RunsFilter.class, JsonOut.class, SummaryCache.class, SummaryFile.class, SavedAnswer.class,
        ListedRun.class, RunScanner.class, MetricSummary.class, TableSummary.class, RunContents.class,
        cox.readers.RunStatus.class, cox.readers.summary.Goal.class, cox.readers.ShortRuns.class, cox.store.ColumnType.class,
        cox.store.Schema.class, com.fasterxml.jackson.core.JsonFactory.class};
    private static volatile String codeDigest;

    private final Path file;
    private final SummaryFile summaryFile;
    /** The saved answer being read ahead ({@link #readAhead}), for the first {@link #body} call only. */
    private volatile java.util.concurrent.CompletableFuture<Read> ahead;

    /** @param summaryFile the summary file the answer is computed from; the answer lives beside it */
    SavedAnswer(SummaryFile summaryFile) {
        this.summaryFile = summaryFile;
        this.file = summaryFile.path().resolveSibling(summaryFile.path().getFileName() + ".answer");
    }

    Path path() {
        return file;
    }

    /**
     * What an answer was computed for.
     *
     * @param directory the served folder
     * @param metadataTable the table holding the parameters
     * @param query the request's query text, exactly as sent
     */
    record Request(String directory, String metadataTable, String query) {
    }

    /**
     * The saved answer to {@code request}, if it is provably what the server would answer now from
     * its summary file alone (the caller checks that it has loaded or read nothing else).
     *
     * @param nowMillis the server's clock now (ms since the epoch)
     * @return the answer's bytes (an array's remaining part), or null (missing, damaged, or not the same request,
     *     file, code or clock span)
     */
    ByteBuffer body(Request request, long nowMillis) {
        java.util.concurrent.CompletableFuture<Read> early = ahead;
        ahead = null;
        Read r = early != null ? early.join() : read();
        if (r == null || !r.request().equals(request) || nowMillis < r.fromMillis() || nowMillis >= r.untilMillis()) {
            return null;
        }
        return r.body().duplicate();
    }

    /**
     * Reads and checks the saved answer on another thread now (at the server's start, beside its
     * other work), for the first {@link #body} call; later calls read it again.
     */
    void readAhead() {
        java.util.concurrent.CompletableFuture<Read> f = new java.util.concurrent.CompletableFuture<>();
        ahead = f;
        Thread t = new Thread(() -> f.complete(read()), "cox-serve-saved-answer");
        t.setDaemon(true);
        t.start();
    }

    /** A saved answer read whole and found sound: for its code, of the summary file as it is, its body whole. */
    private record Read(Request request, long fromMillis, long untilMillis, ByteBuffer body) {
    }

    /** @return the saved answer if it is whole, of this code and of the summary file as it is now; else null */
    private Read read() {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(codeDigest())) {
                return null;
            }
            Request request = new Request(in.readUTF(), in.readUTF(), in.readUTF());
            long summarySize = in.readLong();
            long summaryCrc = in.readLong();
            long from = in.readLong();
            long until = in.readLong();
            int length = in.readInt();
            long crc = in.readLong();
            int start = bytes.length - in.available();
            if (length < 0 || length != bytes.length - start) {
                return null;
            }
            CRC32C c = new CRC32C();
            c.update(bytes, start, length);
            if (c.getValue() != crc) {
                return null;
            }
            long[] now = crcOf(summaryFile.path());
            if (now == null || now[0] != summarySize || now[1] != summaryCrc) {
                return null;
            }
            return new Read(request, from, until, ByteBuffer.wrap(bytes, start, length));
        } catch (IOException | RuntimeException e) {
            return null; // damaged or unreadable: computed as usual
        }
    }

    /**
     * Saves an answer (replacing any other); a failure only costs the next restart its time.
     *
     * @param request what it answers
     * @param summary the length and CRC-32C of the summary file it was computed from ({@link SummaryFile#loaded})
     * @param fromMillis the start of the clock span it holds for (inclusive)
     * @param untilMillis the end of that span (exclusive)
     * @param body the answer
     */
    void save(Request request, long[] summary, long fromMillis, long untilMillis, byte[] body) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream raw = Files.newOutputStream(tmp);
                     DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
                    out.writeInt(MAGIC);
                    out.writeInt(FORMAT);
                    out.writeUTF(codeDigest());
                    out.writeUTF(request.directory());
                    out.writeUTF(request.metadataTable());
                    out.writeUTF(request.query());
                    out.writeLong(summary[0]);
                    out.writeLong(summary[1]);
                    out.writeLong(fromMillis);
                    out.writeLong(untilMillis);
                    out.writeInt(body.length);
                    CRC32C c = new CRC32C();
                    c.update(body);
                    out.writeLong(c.getValue());
                    out.write(body);
                }
                SummaryFile.moveIntoPlace(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // no saved answer: the next restart computes its first answer
        }
    }

    /** @return the length and CRC-32C of a file's bytes, or null if it cannot be read */
    static long[] crcOf(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            CRC32C c = new CRC32C();
            byte[] buf = new byte[1 << 20];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                c.update(buf, 0, n);
                size += n;
            }
            return new long[] {size, c.getValue()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return a digest of the bytes of the classes that write the answer (another build: another digest) */
    static String codeDigest() {
        String d = codeDigest;
        if (d == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                for (Class<?> c : WRITERS) {
                    String name = c.getName();
                    md.update(name.getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
                        if (in == null) {
                            md.update(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString()
                                    .getBytes(StandardCharsets.UTF_8));
                        } else {
                            md.update(in.readAllBytes());
                        }
                    }
                }
                d = HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException | IOException e) {
                d = "unknown " + System.nanoTime(); // matches no saved answer
            }
            codeDigest = d;
        }
        return d;
    }
}
