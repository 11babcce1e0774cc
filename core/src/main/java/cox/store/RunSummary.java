package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * A run's tables in brief ({@link TableSummary}): what {@code cox ls}, {@code cox df --last /
 * --best / --summary / --group-by}, {@code cox serve} and the run index answer from without
 * reading a run's rows.
 *
 * <p>A cox4j writer keeps one beside its journal, in {@code EXP/.cox.summary}, replaced atomically
 * each time {@code store.h5} is brought up to the journal and when the store is closed. It records
 * the journal's length and {@code store.h5}'s size and modification time it describes;
 * {@link #written} returns it only while the run's files are still exactly so, and a damaged file
 * is never used: a run whose summary is missing, stale or damaged is summarized from its store
 * ({@link #of}). Python cox keeps no such file.
 *
 * <p>Immutable and thread-safe.
 */
public final class RunSummary {
    /** The writer's summary file in an experiment folder. */
    public static final String FILE_NAME = ".cox.summary";
    /** Version 2: {@link SummaryCodec}'s second bytes (a file of version 1 is not read: the writer replaces it). */
    private static final byte[] MAGIC = "COXSUMM2".getBytes(StandardCharsets.US_ASCII);
    /** The header: magic, journal length, store.h5 size and modification time (ns), payload length. */
    private static final int HEADER = MAGIC.length + 3 * Long.BYTES + Integer.BYTES;
    /** A summary file larger than this is not read (the writer's are a few KiB). */
    private static final long MAX_FILE = 64L << 20;

    private final Map<String, TableSummary> tables;

    RunSummary(Map<String, TableSummary> tables) {
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** @return the run's tables by name, in the store's order */
    public Map<String, TableSummary> tables() {
        return tables;
    }

    /**
     * Summarizes an open store by reading every table's rows (as {@link Table#df()} does).
     *
     * @param store a store, in any mode
     * @return its summary
     * @throws cox.exceptions.CoxException if a table cannot be read
     */
    public static RunSummary of(Store store) {
        Objects.requireNonNull(store, "store");
        Map<String, TableSummary> out = new LinkedHashMap<>();
        for (String name : store.keys()) {
            Table t = store.table(name);
            Columns columns = store.readColumns(t);
            TableSummary.Builder b = new TableSummary.Builder(name, t.schema());
            for (int r = 0; r < columns.rows(); r++) {
                b.add(columns.row(r));
            }
            out.put(name, b.build());
        }
        return new RunSummary(out);
    }

    /**
     * The summary a cox4j writer left in {@code runDir}, if it describes the run's files as they
     * are now: the journal as long and {@code store.h5} as large and as old as when it was
     * written. Reads one small file and looks at two others; never throws for a missing, stale or
     * damaged summary, nor blocks on one that is not a regular file (a FIFO, a device).
     *
     * @param runDir an experiment folder
     * @return the summary, or null if there is none that holds now
     */
    public static RunSummary written(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            // a FIFO would block the read, a device (a link to /dev/zero) never end: only a regular file is read
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() > MAX_FILE) {
                return null;
            }
            bytes = PositionalInputs.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
        if (bytes.length < HEADER + Integer.BYTES
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((int) crc.getValue() != b.getInt(bytes.length - Integer.BYTES)) {
            return null;
        }
        b.position(MAGIC.length);
        long journalLength = b.getLong();
        long h5Size = b.getLong();
        long h5Time = b.getLong();
        int length = b.getInt();
        if (length != bytes.length - HEADER - Integer.BYTES) {
            return null;
        }
        StoreFiles files = new StoreFiles(runDir);
        long[] h5 = sizeAndTime(files.h5());
        long[] journal = sizeAndTime(files.journal());
        if (journal[0] != journalLength || h5[0] != h5Size || h5[1] != h5Time) {
            return null;
        }
        try {
            return SummaryCodec.decode(Arrays.copyOfRange(bytes, HEADER, HEADER + length));
        } catch (SummaryCodec.Malformed e) {
            return null;
        }
    }

    /**
     * Replaces the summary file of a store with this summary, as describing a journal of
     * {@code journalLength} bytes and {@code store.h5} as it is now (temporary file and rename).
     */
    void write(StoreFiles files, long journalLength) {
        byte[] bytes = fileBytes(journalLength, sizeAndTime(files.h5()));
        Path target = files.dir().resolve(FILE_NAME);
        Path tmp = files.dir().resolve(FILE_NAME + ".tmp");
        try {
            // created new: a FIFO (or anything else) left under the temporary name would block or redirect the write
            Files.deleteIfExists(tmp);
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot write the run summary " + target + ": " + e, e);
        }
    }

    /**
     * The bytes of a summary file holding this summary, as describing a journal of
     * {@code journalLength} bytes (-1: none) and a {@code store.h5} of the size and modification
     * time {@code h5} ({@link #sizeAndTime}).
     */
    byte[] fileBytes(long journalLength, long[] h5) {
        byte[] payload = SummaryCodec.encode(this);
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putLong(journalLength).putLong(h5[0]).putLong(h5[1]).putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Removes the summary file of a store, if any: a writer that cannot keep it up to date says so. */
    static void delete(StoreFiles files) {
        try {
            Files.deleteIfExists(files.dir().resolve(FILE_NAME));
        } catch (IOException e) {
            throw new CoxIOException("cannot delete the run summary in " + files.dir() + ": " + e, e);
        }
    }

    /**
     * The bytes of this summary, as the run index keeps them.
     *
     * @return a new array
     */
    public byte[] toBytes() {
        return SummaryCodec.encode(this);
    }

    /**
     * A summary from {@link #toBytes()}'s bytes.
     *
     * @param bytes the bytes
     * @return the summary
     * @throws StoreFormatException if the bytes are not a summary
     */
    public static RunSummary fromBytes(byte[] bytes) {
        try {
            return SummaryCodec.decode(bytes);
        } catch (SummaryCodec.Malformed e) {
            throw new StoreFormatException("not a run summary: " + e.getMessage());
        }
    }

    /** Size and modification time (ns since the epoch) of {@code file}; -1, -1 if it does not exist. */
    static long[] sizeAndTime(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new long[] {a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)};
        } catch (NoSuchFileException e) {
            return new long[] {-1, -1};
        } catch (IOException e) {
            return new long[] {-2, -2};
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSummary s && tables.equals(s.tables);
    }

    @Override
    public int hashCode() {
        return tables.hashCode();
    }

    @Override
    public String toString() {
        return "RunSummary " + tables.values();
    }
}
