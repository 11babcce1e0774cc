package cox.store.journal;

import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.store.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The store's append-only journal ({@code EXP/.cox.journal}): every table definition and every
 * flushed row, in order, each as one CRC-framed record, so that no row whose
 * {@code flushRow()} returned is lost when the process is killed, and {@code store.h5} can be
 * rebuilt from it.
 *
 * <p>File: the 8 bytes {@code COXJRNL1}, then records {@code u32 length, u32 crc32c(payload),
 * payload} (little-endian). One {@code write} per record; a killed writer leaves at most a
 * partial last record, which {@link #scan} reports as the end.
 *
 * <p>Thread-safe: appends are serialised; scans read through their own channel.
 */
public final class RowJournal implements AutoCloseable {
    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 8;
    /** Bytes of a record's frame before its payload. */
    public static final int FRAME_SIZE = 8;
    private static final byte[] MAGIC = "COXJRNL1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RECORD = Integer.MAX_VALUE - 64;

    /** Receives records during a {@link #scan}. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param offset where the record starts in the file
         * @param payload the record's payload, valid only during the call
         */
        void record(long offset, ByteBuffer payload);
    }

    private final Path path;
    private final FileChannel writer;
    private final Durability durability;
    private volatile long end;
    private boolean closed;

    private RowJournal(Path path, FileChannel writer, Durability durability, long end) {
        this.path = path;
        this.writer = writer;
        this.durability = durability;
        this.end = end;
    }

    /**
     * Creates an empty journal at {@code path}, replacing any file there.
     *
     * @param path the journal file
     * @param durability whether every append is fsync'ed
     * @return the journal, open for appending
     */
    public static RowJournal create(Path path, Durability durability) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
            ch.write(ByteBuffer.wrap(MAGIC));
            ch.force(true);
            return new RowJournal(path, ch, durability, HEADER_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create journal " + path, e);
        }
    }

    /**
     * Opens an existing journal to append after {@code validEnd} (the end {@link #scan} found);
     * anything after it (a torn last record) is cut off.
     *
     * @param path the journal file
     * @param durability whether every append is fsync'ed
     * @param validEnd the offset after the last whole record
     * @return the journal, open for appending
     */
    public static RowJournal openForAppend(Path path, Durability durability, long validEnd) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (ch.size() > validEnd) {
                ch.truncate(validEnd);
            }
            ch.position(validEnd);
            return new RowJournal(path, ch, durability, validEnd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal " + path, e);
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
     * Fills in the frame of a record built in {@code frame}: its first {@link #FRAME_SIZE} bytes
     * are reserved, the payload follows up to the buffer's position. Needs no lock.
     *
     * @param frame the record, position at the end of the payload
     */
    public static void seal(ByteBuffer frame) {
        int payload = frame.position() - FRAME_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), frame.arrayOffset() + FRAME_SIZE, payload);
        frame.order(ByteOrder.LITTLE_ENDIAN).putInt(0, payload).putInt(4, (int) crc.getValue());
        frame.flip();
    }

    /**
     * A whole sealed record for {@code payload}.
     *
     * @param payload the record's content
     * @return the framed record, ready for {@link #append(ByteBuffer)}
     */
    public static ByteBuffer frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.position(FRAME_SIZE);
        b.put(payload);
        seal(b);
        return b;
    }

    /**
     * Writes one sealed record (see {@link #seal}) at the end of the journal with one write;
     * fsyncs it first under {@link Durability#FSYNC}.
     *
     * @param record the sealed record, from position to limit
     * @return the offset the record was written at
     */
    public synchronized long append(ByteBuffer record) {
        if (closed) {
            throw new IllegalStateException("journal " + path + " is closed");
        }
        long at = end;
        int n = record.remaining();
        try {
            while (record.hasRemaining()) {
                writer.write(record);
            }
            if (durability == Durability.FSYNC) {
                writer.force(false);
            }
        } catch (IOException e) {
            // a partial record may be on disk: cut it off, so the journal stays a sequence of whole records
            try {
                writer.truncate(at);
                writer.position(at);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new UncheckedIOException("cannot append to journal " + path, e);
        }
        end = at + n;
        return at;
    }

    /** Forces the journal to the storage device (fsync). */
    public synchronized void force() {
        if (closed) {
            return;
        }
        try {
            writer.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync journal " + path, e);
        }
    }

    /**
     * Reads the records of the journal at {@code path} from {@code from} to its current end.
     * A partial or damaged last record ends the scan; a damaged record before others is an error.
     *
     * @param path the journal file
     * @param from a record boundary (the header size for the start)
     * @param visitor receives each record
     * @return the offset after the last whole record
     * @throws StoreFormatException if the file is not a journal
     * @throws StoreRecoveryException if a record in the middle is damaged
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
     */
    public static long scan(Path path, long from, long to, Visitor visitor) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = Math.min(ch.size(), to);
            ByteBuffer magic = ByteBuffer.allocate(HEADER_SIZE);
            readFully(ch, magic, 0);
            if (magic.position() < HEADER_SIZE || !Arrays.equals(magic.array(), MAGIC)) {
                throw new StoreFormatException("not a cox4j journal: " + path + " does not start with COXJRNL1");
            }
            long pos = Math.max(from, HEADER_SIZE);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buf.limit(0);
            long bufStart = pos;
            CRC32C crc = new CRC32C();
            while (pos < size) {
                int at = (int) (pos - bufStart);
                if (buf.limit() - at < FRAME_SIZE || buf.limit() - at < FRAME_SIZE + buf.getInt(at)) {
                    // refill from pos, growing the buffer for a large record
                    int need = FRAME_SIZE;
                    if (buf.limit() - at >= 4) {
                        need = (int) Math.min((long) FRAME_SIZE + Integer.toUnsignedLong(buf.getInt(at)), MAX_RECORD);
                    }
                    if (need > buf.capacity()) {
                        buf = ByteBuffer.allocate(need).order(ByteOrder.LITTLE_ENDIAN);
                    }
                    buf.clear();
                    readFully(ch, buf, pos);
                    buf.flip();
                    bufStart = pos;
                    at = 0;
                    if (buf.limit() < FRAME_SIZE) {
                        return pos; // torn frame header at the end
                    }
                }
                long length = Integer.toUnsignedLong(buf.getInt(at));
                if (length > size - pos - FRAME_SIZE) {
                    return pos; // torn last record
                }
                if (buf.limit() - at < FRAME_SIZE + length) {
                    continue; // refill with the whole record
                }
                int expected = buf.getInt(at + 4);
                crc.reset();
                crc.update(buf.array(), at + FRAME_SIZE, (int) length);
                int actual = (int) crc.getValue();
                if (actual != expected) {
                    if (pos + FRAME_SIZE + length == size) {
                        return pos; // a last record that did not reach the disk whole
                    }
                    throw new StoreRecoveryException(String.format(
                            "journal %s is damaged at offset %d: crc32c actual 0x%08x != expected 0x%08x",
                            path, pos, actual, expected));
                }
                ByteBuffer payload = ByteBuffer.wrap(buf.array(), at + FRAME_SIZE, (int) length).slice()
                        .order(ByteOrder.LITTLE_ENDIAN);
                visitor.record(pos, payload);
                pos += FRAME_SIZE + length;
            }
            return pos;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + path, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                break;
            }
            p += n;
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
            throw new UncheckedIOException("cannot close journal " + path, e);
        }
    }

    /** @return whether a file at {@code path} exists and has at least a journal header */
    public static boolean exists(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) >= HEADER_SIZE;
        } catch (IOException e) {
            return false;
        }
    }
}
