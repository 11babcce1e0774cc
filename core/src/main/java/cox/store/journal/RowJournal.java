package cox.store.journal;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.io.Locations;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The store's append-only journal ({@code EXP/.cox.journal}): every table definition and every
 * flushed row, in order, each as one CRC-framed record, so that no row whose
 * {@code flushRow()} returned is lost when the process is killed, and {@code store.h5} can be
 * rebuilt from it.
 *
 * <p>File: the 8 bytes {@code COXJRNL1}, then records {@code u32 length, u32 crc32c(payload),
 * payload} (little-endian); a payload is a table definition or a row ({@link RecordCodec}). One
 * {@code write} per record; a killed writer leaves at most a partial last record, which
 * {@link #scan} reports as the end.
 *
 * <p>Records are written with {@link RandomAccessFile#write(byte[], int, int)}, not a
 * {@link FileChannel}: the same one system call (as fast, measured by {@code FlushRowBench}), but
 * not interruptible, so an interrupted writer thread (a training framework cancelling a task) does
 * not close the journal under the store, as an interruptible channel would.
 *
 * <p>Thread-safe: appends are serialised; scans read through their own channel.
 */
public final class RowJournal implements AutoCloseable {
    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 8;
    /** Bytes of a record's frame before its payload. */
    static final int FRAME_SIZE = 8;
    private static final byte[] MAGIC = "COXJRNL1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Receives the records of a {@link #scan}, in file order; each method does nothing unless
     * overridden.
     */
    public interface Visitor {
        /**
         * A table definition.
         *
         * @param offset where the record starts in the file
         * @param table the table it defines
         */
        default void table(long offset, JournalTable table) {
        }

        /**
         * A row.
         *
         * @param offset where the record starts in the file
         * @param row the row, valid only during the call
         */
        default void row(long offset, JournalRow row) {
        }
    }

    private final Path path;
    private final RandomAccessFile writer;
    private final boolean syncEveryRecord;
    private volatile long end;
    private boolean closed;

    private RowJournal(Path path, RandomAccessFile writer, boolean syncEveryRecord, long end) {
        this.path = path;
        this.writer = writer;
        this.syncEveryRecord = syncEveryRecord;
        this.end = end;
    }

    /**
     * Creates an empty journal at {@code path}, replacing any file there.
     *
     * @param path the journal file
     * @param syncEveryRecord whether every append is forced to the device (fsync) before it returns
     * @return the journal, open for appending
     * @throws CoxIOException if the file cannot be created
     */
    public static RowJournal create(Path path, boolean syncEveryRecord) {
        try {
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            try {
                file.setLength(0);
                file.write(MAGIC);
                file.getFD().sync();
            } catch (IOException e) {
                closeAfterFailure(file, e);
                throw e;
            }
            return new RowJournal(path, file, syncEveryRecord, HEADER_SIZE);
        } catch (IOException e) {
            throw new CoxIOException("cannot create journal " + path + ": " + e, e);
        }
    }

    /**
     * Opens an existing journal to append after {@code validEnd} (the end {@link #scan} found);
     * anything after it (a torn last record) is cut off.
     *
     * @param path the journal file
     * @param syncEveryRecord whether every append is forced to the device (fsync) before it returns
     * @param validEnd the offset after the last whole record
     * @return the journal, open for appending
     * @throws CoxIOException if the file cannot be opened or cut
     */
    public static RowJournal openForAppend(Path path, boolean syncEveryRecord, long validEnd) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(path.toString());
            }
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            try {
                long length = file.length();
                if (length < validEnd) { // gone, or cut, since it was scanned: never write after a gap
                    throw new IOException("the journal is " + length + " bytes long, shorter than the " + validEnd
                            + " bytes scanned");
                }
                if (length > validEnd) {
                    file.setLength(validEnd);
                }
                file.seek(validEnd);
            } catch (IOException e) {
                closeAfterFailure(file, e);
                throw e;
            }
            return new RowJournal(path, file, syncEveryRecord, validEnd);
        } catch (IOException e) {
            throw new CoxIOException("cannot open journal " + path + ": " + e, e);
        }
    }

    /** @return the journal file */
    public Path path() {
        return path;
    }

    /** @return the offset after the last record appended: every record before it is whole on disk */
    public long end() {
        return end;
    }

    /**
     * A sealed row record, ready for {@link #append(ByteBuffer)}: encodes the cells, frames them
     * and computes the CRC. Needs no lock, so callers encode outside the journal's lock.
     *
     * @param reuse a buffer to encode into if it is large enough (the result may be it)
     * @param tableId the id of the table the row belongs to
     * @param encodings how each column is encoded
     * @param cells one {@code Long}, {@code Double}, {@code Boolean} or {@code String} per column,
     *     as {@code encodings} says
     * @return the record, from position to limit
     */
    public static ByteBuffer encodeRow(ByteBuffer reuse, int tableId, CellEncoding[] encodings, Object[] cells) {
        byte[][] texts = RecordCodec.texts(encodings, cells);
        int size = FRAME_SIZE + RecordCodec.rowSize(encodings, texts);
        ByteBuffer b = reuse;
        if (b == null || b.capacity() < size || !b.hasArray()) {
            b = ByteBuffer.allocate(Math.max(size, b == null ? 0 : 2 * b.capacity()));
        }
        b.clear();
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.position(FRAME_SIZE);
        RecordCodec.encodeRow(b, tableId, encodings, cells, texts);
        seal(b);
        return b;
    }

    /**
     * Appends the definition of {@code table}; its rows may follow.
     *
     * @param table the table
     * @return the offset the record was written at
     * @throws CoxIOException if writing fails
     */
    public long appendTable(JournalTable table) {
        return append(frame(RecordCodec.encodeTable(table)));
    }

    /**
     * Fills in the frame of a record built in {@code frame}: its first {@link #FRAME_SIZE} bytes
     * are reserved, the payload follows up to the buffer's position.
     */
    static void seal(ByteBuffer frame) {
        int payload = frame.position() - FRAME_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), frame.arrayOffset() + FRAME_SIZE, payload);
        frame.order(ByteOrder.LITTLE_ENDIAN).putInt(0, payload).putInt(4, (int) crc.getValue());
        frame.flip();
    }

    /** A whole sealed record for {@code payload}. */
    static ByteBuffer frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(FRAME_SIZE);
        b.put(payload);
        seal(b);
        return b;
    }

    /**
     * Writes one sealed record (from {@link #encodeRow}) at the end of the journal with one
     * write, and forces it to the device if this journal syncs every record.
     *
     * @param record the sealed record, from position to limit
     * @return the offset the record was written at
     * @throws CoxIOException if writing fails (a partial record is cut off again)
     * @throws IllegalStateException if the journal is closed
     */
    public synchronized long append(ByteBuffer record) {
        if (closed) {
            throw new IllegalStateException("journal " + path + " is closed");
        }
        long at = end;
        int n = record.remaining();
        try {
            if (record.hasArray()) {
                writer.write(record.array(), record.arrayOffset() + record.position(), n);
                record.position(record.limit());
            } else {
                byte[] copy = new byte[n];
                record.get(copy);
                writer.write(copy);
            }
            if (syncEveryRecord) {
                writer.getFD().sync();
            }
        } catch (IOException e) {
            // a partial record may be on disk: cut it off, so the journal stays a sequence of whole records
            try {
                writer.setLength(at);
                writer.seek(at);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new CoxIOException("cannot append to journal " + path + ": " + e, e);
        }
        end = at + n;
        return at;
    }

    /**
     * Forces the journal to the storage device (fsync).
     *
     * @throws CoxIOException if that fails
     */
    public synchronized void force() {
        if (closed) {
            return;
        }
        try {
            writer.getFD().sync();
        } catch (IOException e) {
            throw new CoxIOException("cannot fsync journal " + path + ": " + e, e);
        }
    }

    /**
     * Reads the records of the journal at {@code path} from {@code from} to its current end.
     *
     * <p>Only an incomplete last record is a torn tail, which ends the scan: fewer than a frame's
     * bytes at the end, a record whose claimed length runs past the end of the file, or a last
     * record whose CRC does not match, each only if no whole record starts anywhere after it. A
     * record's claimed length is checked against the bytes left in the file before anything is
     * read or allocated for it. Anything else that is not a whole record (a CRC mismatch or an
     * impossible length with a whole record after it, a record of length 0) is damage: a
     * {@link StoreRecoveryException} naming the file and the offset.
     *
     * @param path the journal file
     * @param from a record boundary (the header size for the start)
     * @param visitor receives each record
     * @return the offset after the last whole record
     * @throws StoreFormatException if the file is not a journal, or a whole record does not parse
     * @throws StoreRecoveryException if a record is damaged, or the file ends before {@code from}
     * @throws CoxIOException if the file cannot be read
     */
    public static long scan(Path path, long from, Visitor visitor) {
        return scan(path, from, Long.MAX_VALUE, visitor);
    }

    /**
     * As {@link #scan(Path, long, Visitor)}, stopping at {@code to} (a record boundary, such as
     * {@link #end()} of the writer) even if the file has grown past it.
     *
     * @param path the journal file
     * @param from a record boundary (the header size for the start)
     * @param to where to stop at the latest
     * @param visitor receives each record
     * @return the offset after the last whole record read
     * @throws StoreFormatException if the file is not a journal, or a whole record does not parse
     * @throws StoreRecoveryException if a record is damaged, or the file ends before {@code from}
     * @throws CoxIOException if the file cannot be read
     */
    public static long scan(Path path, long from, long to, Visitor visitor) {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new StoreFormatException("not a cox4j journal: " + Locations.text(path) + " is not a regular file (a FIFO, device or"
                    + " folder), so it is not opened");
        }
        PositionalInput opened;
        try {
            opened = PositionalInputs.open(path);
        } catch (IOException e) {
            throw new CoxIOException("cannot read journal " + Locations.text(path) + ": " + e, e);
        }
        return scan(path, opened, from, to, visitor);
    }

    /**
     * As {@link #scan(Path, long, long, Visitor)}, reading through {@code input} (a journal that
     * is not local, kept open between looks by its reader: {@link cox.io.internal.ReusedInput}).
     *
     * @param path the journal file, for messages
     * @param input an open reader of it; closed when this returns
     * @param from a record boundary (the header size for the start)
     * @param to where to stop at the latest
     * @param visitor receives each record
     * @return the offset after the last whole record read
     * @throws StoreFormatException if the file is not a journal, or a whole record does not parse
     * @throws StoreRecoveryException if a record is damaged, or the file ends before {@code from}
     * @throws CoxIOException if the file cannot be read
     */
    public static long scan(Path path, PositionalInput input, long from, long to, Visitor visitor) {
        try (PositionalInput ch = input) {
            long fileSize = ch.size();
            long size = Math.min(fileSize, to);
            ByteBuffer magic = ByteBuffer.allocate(HEADER_SIZE);
            readFully(ch, magic, 0);
            if (magic.position() < HEADER_SIZE || !Arrays.equals(magic.array(), MAGIC)) {
                throw new StoreFormatException("not a cox4j journal: " + Locations.text(path) + " (" + fileSize + " bytes) does not start"
                        + " with COXJRNL1");
            }
            long pos = Math.max(from, HEADER_SIZE);
            if (pos > fileSize) {
                throw new StoreRecoveryException("journal " + Locations.text(path) + " is " + fileSize + " bytes long, but the records up"
                        + " to offset " + pos + " were written to it before: the journal has lost records");
            }
            Window window = new Window(ch, size);
            CRC32C crc = new CRC32C();
            while (pos < size) {
                long left = size - pos;
                if (left < FRAME_SIZE) {
                    return pos; // a torn frame header: too few bytes for any record to follow
                }
                ByteBuffer b = window.at(pos, FRAME_SIZE);
                int at = b.position();
                long length = Integer.toUnsignedLong(b.getInt(at));
                int expected = b.getInt(at + 4);
                if (length == 0) {
                    throw zeroLength(path, window, pos, size);
                }
                if (length > left - FRAME_SIZE) {
                    long next = window.wholeRecordAfter(pos);
                    if (next == -1) {
                        return pos; // torn last record: it claims more than was written, and nothing follows
                    }
                    throw new StoreRecoveryException("journal " + Locations.text(path) + " is damaged at offset " + pos
                            + ": the record there claims " + length + " bytes, more than the " + (left - FRAME_SIZE)
                            + " bytes left in the file, but " + describe(next));
                }
                if (length > MAX_PAYLOAD) {
                    throw new StoreRecoveryException("journal " + Locations.text(path) + " is damaged at offset " + pos
                            + ": the record there claims " + length + " bytes, more than cox4j writes in one record");
                }
                b = window.at(pos + FRAME_SIZE, (int) length);
                at = b.position();
                crc.reset();
                crc.update(b.array(), b.arrayOffset() + at, (int) length);
                int actual = (int) crc.getValue();
                if (actual != expected) {
                    boolean last = pos + FRAME_SIZE + length == size;
                    long next = window.wholeRecordAfter(pos);
                    if (last && next == -1) {
                        return pos; // a last record that did not reach the disk whole
                    }
                    throw new StoreRecoveryException(String.format(
                            "journal %s is damaged at offset %d: crc32c actual 0x%08x != expected 0x%08x; %s",
                            path, pos, actual, expected, next == -1 ? (size - pos - FRAME_SIZE - length)
                                    + " bytes follow the record, so it is not a torn last record" : describe(next)));
                }
                ByteBuffer payload = ByteBuffer.wrap(b.array(), b.arrayOffset() + at, (int) length).slice()
                        .order(ByteOrder.LITTLE_ENDIAN);
                visit(path, pos, payload, visitor);
                pos += FRAME_SIZE + length;
            }
            return pos;
        } catch (IOException e) {
            throw new CoxIOException("cannot read journal " + Locations.text(path) + ": " + e, e);
        }
    }

    private static String describe(long next) {
        return next == UNDECIDED ? "the bytes after it are too many to search for a whole record, so it is not taken"
                + " for a torn last record" : "a whole record follows at offset " + next
                + ", so it is not a torn last record";
    }

    /** A record of length 0: cox4j never writes one. Zeros to the end of the file get a hint. */
    private static StoreRecoveryException zeroLength(Path path, Window window, long pos, long size) throws IOException {
        String why = "journal " + Locations.text(path) + " is damaged at offset " + pos + ": a record of length 0, which cox4j never writes";
        if (window.zerosFrom(pos)) {
            return new StoreRecoveryException(why + "; the " + (size - pos) + " bytes from there to the end of the file are"
                    + " all zero, as a file system can leave them after a power loss: if that is what happened, cut the"
                    + " journal to " + pos + " bytes to open the store again");
        }
        long next = window.wholeRecordAfter(pos);
        return new StoreRecoveryException(why + (next < 0 ? "" : "; " + describe(next)));
    }

    /** The longest payload a record can have: one Java array holds a record. */
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 64;
    /** {@link Window#wholeRecordAfter}: the search was given up before it could decide. */
    static final long UNDECIDED = -2;
    /** Bytes the search for a whole record may checksum: a multiple of what it searches, at least this. */
    private static final long SEARCH_BUDGET_MIN = 64L << 20;

    /**
     * Reads a journal through a buffer that never holds more than the bytes the file has between
     * a position and the scan's end, so a claimed length is never allocated beyond the file.
     */
    private static final class Window {
        private static final int CHUNK = 1 << 20;
        private final PositionalInput ch;
        private final long size;
        private ByteBuffer buf = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        private long start;

        Window(PositionalInput ch, long size) {
            this.ch = ch;
            this.size = size;
        }

        /**
         * The buffer positioned at {@code pos} with at least {@code n} bytes from there; the
         * caller has checked that the file has them ({@code pos + n <= size}).
         */
        ByteBuffer at(long pos, int n) throws IOException {
            if (pos < start || pos + n > start + buf.limit()) {
                int want = (int) Math.min(Math.max(n, CHUNK), size - pos);
                if (buf.capacity() < want) {
                    buf = ByteBuffer.allocate(want).order(ByteOrder.LITTLE_ENDIAN);
                }
                buf.clear().limit(want);
                readFully(ch, buf, pos);
                buf.flip();
                start = pos;
                if (buf.limit() < n) {
                    throw new IOException("the file ended at " + (pos + buf.limit()) + " while reading " + n
                            + " bytes at offset " + pos);
                }
            }
            buf.position((int) (pos - start));
            return buf;
        }

        /** Whether every byte from {@code pos} to the end is zero. */
        boolean zerosFrom(long pos) throws IOException {
            for (long p = pos; p < size; ) {
                int n = (int) Math.min(CHUNK, size - p);
                ByteBuffer b = at(p, n);
                for (int i = b.position(), end = b.position() + n; i < end; i++) {
                    if (b.get(i) != 0) {
                        return false;
                    }
                }
                p += n;
            }
            return true;
        }

        /**
         * The first offset after {@code damaged} at which a whole record starts (a length that
         * fits the file, a kind cox4j writes, a matching CRC), -1 if there is none, or
         * {@link #UNDECIDED} if checking the candidates would cost too much. Whatever it finds
         * means the record at {@code damaged} is not a torn last record.
         */
        long wholeRecordAfter(long damaged) throws IOException {
            long budget = Math.max(SEARCH_BUDGET_MIN, 16 * (size - damaged));
            CRC32C crc = new CRC32C();
            ByteBuffer piece = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(0, size - damaged)));
            for (long p = damaged + 1; p + FRAME_SIZE < size; p++) {
                ByteBuffer b = at(p, FRAME_SIZE + 1);
                int at = b.position();
                long length = Integer.toUnsignedLong(b.getInt(at));
                byte kind = b.get(at + FRAME_SIZE);
                if (length == 0 || length > size - p - FRAME_SIZE
                        || (kind != RecordCodec.TABLE && kind != RecordCodec.ROW)) {
                    continue;
                }
                int expected = b.getInt(at + 4);
                budget -= length;
                if (budget < 0) {
                    return UNDECIDED;
                }
                crc.reset();
                for (long q = p + FRAME_SIZE, end = q + length; q < end; ) {
                    piece.clear().limit((int) Math.min(piece.capacity(), end - q));
                    readFully(ch, piece, q);
                    crc.update(piece.array(), 0, piece.position());
                    q += piece.position();
                }
                if ((int) crc.getValue() == expected) {
                    return p;
                }
            }
            return -1;
        }
    }

    /** Hands one whole record to the visitor: a table or a row (other kinds are skipped). */
    private static void visit(Path path, long offset, ByteBuffer payload, Visitor visitor) {
        if (!payload.hasRemaining()) {
            throw new StoreFormatException("journal " + Locations.text(path) + ": record at offset " + offset + " is empty");
        }
        byte kind = payload.get();
        if (kind == RecordCodec.TABLE) {
            JournalTable table;
            try {
                table = RecordCodec.decodeTable(payload);
            } catch (StoreFormatException e) {
                throw e.withContext("journal " + Locations.text(path) + ": record at offset " + offset);
            }
            visitor.table(offset, table);
        } else if (kind == RecordCodec.ROW) {
            if (payload.remaining() < 2) {
                throw new StoreFormatException("journal " + Locations.text(path) + ": record at offset " + offset
                        + " is a row without a table id");
            }
            int tableId = Short.toUnsignedInt(payload.getShort());
            visitor.row(offset, new JournalRow(path, offset, tableId, payload.slice().order(ByteOrder.LITTLE_ENDIAN)));
        }
    }

    private static void readFully(PositionalInput ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(p, buf);
            if (n < 0) {
                break;
            }
            p += n;
        }
    }

    private static void closeAfterFailure(RandomAccessFile file, IOException failure) {
        try {
            file.close();
        } catch (IOException again) {
            failure.addSuppressed(again);
        }
    }

    /** Closes the journal; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new CoxIOException("cannot close journal " + path + ": " + e, e);
        }
    }

    /**
     * Whether there is a journal file at {@code path}, whole or not: cox4j moves a journal into
     * place only once its header is written, so a shorter file there is a damaged journal.
     *
     * @param path the journal file
     * @return whether a file is there
     */
    public static boolean exists(Path path) {
        return Files.isRegularFile(path);
    }
}
