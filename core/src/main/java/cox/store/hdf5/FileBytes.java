package cox.store.hdf5;

import cox.exceptions.StoreFormatException;
import cox.io.Locations;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bytes of an HDF5 file, read by address. Every read is checked against the file's length
 * before a byte is read or a buffer allocated, so a damaged length or address gives a
 * {@link StoreFormatException} naming the file, the object and the address, never a huge
 * allocation or an unchecked exception.
 *
 * <p>A file opened for reading that is small is read whole, in one read, at open (one range
 * request for a file that is not local): the parser then works on that snapshot. A larger file,
 * and a file being written, are read where asked, through a {@link PositionalInput} of the
 * file's file system ({@link PositionalInputs#open}). Thread-safe: reads are positional.
 *
 * <p>A reader looking at a small file again ({@link #reread}) reads it whole once more and keeps
 * the snapshot it had when the bytes are the same, so what was parsed from them still holds. A
 * reader that reads nothing from a file once it has closed it ({@link #openRecycling}) lends the
 * array of the snapshot back when it closes it, for the next file read so: a reader of many small
 * stores then reads each into memory it already has, rather than into fresh memory.
 */
final class FileBytes implements AutoCloseable {
    /** Files up to this size are read whole when opened for reading. */
    static final long SNAPSHOT_MAX = 4L << 20;
    /** The largest file that is not local read whole into memory for jHDF ({@link #whole}): 256 MiB. */
    static final long WHOLE_MAX = 256L << 20;
    /** The largest array lent back for the next file ({@link #openRecycling}): 1 MiB. */
    static final int RECYCLED_MAX = 1 << 20;
    /** Arrays lent are rounded up to this: the stores of a sweep differ in size by a few bytes. */
    private static final int RECYCLED_STEP = 64 << 10;
    /** How many arrays wait to be lent again, at most. */
    private static final int POOL_MAX = 4 + 2 * Runtime.getRuntime().availableProcessors();
    private static final ConcurrentLinkedDeque<byte[]> POOL = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private final Path path;
    private final PositionalInput channel;
    private final ByteBuffer snapshot;
    /** The array behind {@link #snapshot} (its first {@link #length} bytes), or null. */
    private final byte[] snapshotBytes;
    /** Whether {@link #snapshotBytes} is lent back at {@link #close()}. */
    private final boolean recycles;
    private final boolean ownsChannel;
    private volatile long length;
    private volatile boolean closed;
    /** The whole file, read once for jHDF when the file is not local ({@link #whole}). */
    private ByteBuffer whole;

    private FileBytes(Path path, PositionalInput channel, byte[] snapshot, long length, boolean ownsChannel,
            boolean recycles) {
        this.path = path;
        this.channel = channel;
        this.snapshotBytes = snapshot;
        this.snapshot = snapshot == null ? null
                : ByteBuffer.wrap(snapshot, 0, (int) length).slice().asReadOnlyBuffer();
        this.length = length;
        this.ownsChannel = ownsChannel;
        this.recycles = recycles;
    }

    /** Opens {@code path} for reading; a small file is read whole now. */
    static FileBytes openForReading(Path path) {
        return openForReading(path, open(path), false);
    }

    /**
     * Opens {@code path} for reading as {@link #openForReading(Path)} does; a file read whole is
     * read into an array lent back when this is closed. The caller reads nothing from it, from any
     * thread, once it has closed it or while it closes it.
     */
    static FileBytes openRecycling(Path path) {
        return openForReading(path, open(path), true);
    }

    /** Reads {@code path} through {@code ch}, which is closed with the result (at once for a small file). */
    static FileBytes openForReading(Path path, PositionalInput ch) {
        return openForReading(path, ch, false);
    }

    private static PositionalInput open(Path path) {
        try {
            return PositionalInputs.open(path);
        } catch (IOException e) {
            throw new StoreFormatException("cannot open " + Locations.text(path) + ": " + e, e);
        }
    }

    private static FileBytes openForReading(Path path, PositionalInput ch, boolean recycling) {
        try {
            long size = ch.size();
            if (recycling && size <= RECYCLED_MAX) {
                byte[] all = borrow((int) size);
                int read = readInto(ch, all, (int) size);
                ch.close();
                return new FileBytes(path, null, all, read, false, true);
            }
            if (size <= SNAPSHOT_MAX) {
                byte[] all = PositionalInputs.readAll(ch, size);
                ch.close();
                return new FileBytes(path, null, all, all.length, false, false);
            }
            return new FileBytes(path, ch, null, size, true, false);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
        }
    }

    /** Reads the first {@code n} bytes of {@code ch} into {@code out}; fewer if the file was cut meanwhile. */
    private static int readInto(PositionalInput ch, byte[] out, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(out, 0, n);
        while (b.hasRemaining()) {
            if (ch.read(b.position(), b) < 0) {
                break; // the file was cut meanwhile: what was there
            }
        }
        return b.position();
    }

    /** An array of at least {@code n} bytes: one lent back, or a new one. */
    private static byte[] borrow(int n) {
        byte[] a = POOL.pollFirst();
        if (a != null) {
            POOLED.decrementAndGet();
            if (a.length >= n) {
                return a;
            }
        }
        return new byte[Math.min(RECYCLED_MAX, (n + RECYCLED_STEP - 1) / RECYCLED_STEP * RECYCLED_STEP)];
    }

    /** Lends {@code a} for the next file, unless enough arrays wait already. */
    private static void lendBack(byte[] a) {
        if (a.length <= RECYCLED_MAX && POOLED.incrementAndGet() <= POOL_MAX) {
            POOL.offerFirst(a);
        } else {
            POOLED.decrementAndGet();
        }
    }

    /**
     * Opens {@code previous}'s file for reading again: {@code previous} itself if it is a snapshot
     * and the file, read whole once more, holds exactly its bytes (what was parsed from them then
     * still holds); else the file as it is now, opened as {@code previous} was (recycling or not).
     *
     * @param previous a file opened for reading, not closed
     * @return {@code previous} or a new file; the caller closes {@code previous} if it is not returned
     */
    static FileBytes reread(FileBytes previous) {
        Path path = previous.path;
        PositionalInput ch = open(path);
        byte[] scratch = null;
        try {
            long size = ch.size();
            if (previous.snapshotBytes == null || size != previous.length || size > RECYCLED_MAX) {
                return openForReading(path, ch, previous.recycles);
            }
            int n = (int) size;
            scratch = borrow(n);
            int read = readInto(ch, scratch, n);
            ch.close();
            if (read == n && Arrays.equals(scratch, 0, n, previous.snapshotBytes, 0, n)) {
                lendBack(scratch);
                return previous;
            }
            if (previous.recycles) {
                return new FileBytes(path, null, scratch, read, false, true);
            }
            byte[] all = Arrays.copyOf(scratch, read);
            lendBack(scratch);
            return new FileBytes(path, null, all, read, false, false);
        } catch (IOException e) {
            closeQuietly(ch);
            if (scratch != null) {
                lendBack(scratch);
            }
            throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
        }
    }

    /** Whether this file is a snapshot, read whole at open. */
    boolean isSnapshot() {
        return snapshotBytes != null;
    }

    /**
     * The array the file was read whole into (its first {@link #length()} bytes are the file), for
     * reading rows where they lie; null if it was not read whole.
     *
     * @throws IllegalStateException if this file recycles its array and was closed
     */
    byte[] snapshotArray() {
        checkOpen();
        return snapshotBytes;
    }

    private void checkOpen() {
        if (closed && recycles) {
            throw new IllegalStateException(Locations.text(path) + " was closed: its bytes are gone");
        }
    }

    /** Reads through {@code channel} (a file being written), which the caller closes. */
    static FileBytes over(Path path, FileChannel channel) {
        try {
            return new FileBytes(path, new ChannelReads(path, channel), null, channel.size(), false, false);
        } catch (IOException e) {
            throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
        }
    }

    Path path() {
        return path;
    }

    /** The file's length as last seen. */
    long length() {
        return length;
    }

    /** Notes that the file has grown to {@code newLength} (a writer appending to it). */
    void grewTo(long newLength) {
        if (newLength > length) {
            length = newLength;
        }
    }

    /**
     * Reads {@code count} bytes at {@code address}: a little-endian buffer positioned at 0.
     *
     * @param what the object read, for the message if the range lies outside the file
     * @throws StoreFormatException if the range is not inside the file
     */
    ByteBuffer read(long address, long count, String what) {
        checkOpen();
        check(address, count, what);
        int n = (int) count;
        if (snapshot != null) {
            return snapshot.slice((int) address, n).order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (buf.hasRemaining()) {
                int r = channel.read(address + buf.position(), buf);
                if (r < 0) {
                    throw error(what + " at address " + address + " (" + count + " bytes) lies beyond the end of the"
                            + " file (" + buf.position() + " bytes could be read)");
                }
            }
        } catch (IOException e) {
            throw new StoreFormatException("cannot read " + Locations.text(path) + " at address " + address + ": " + e, e);
        }
        buf.flip();
        return buf;
    }

    /** Copies {@code count} bytes at {@code address} into {@code out} at {@code offset}. */
    void readInto(long address, byte[] out, int offset, int count, String what) {
        checkOpen();
        check(address, count, what);
        if (snapshot != null) {
            snapshot.get((int) address, out, offset, count);
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(out, offset, count);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(address + (buf.position() - offset), buf) < 0) {
                    throw error(what + " at address " + address + " lies beyond the end of the file");
                }
            }
        } catch (IOException e) {
            throw new StoreFormatException("cannot read " + Locations.text(path) + " at address " + address + ": " + e, e);
        }
    }

    /** Checks that {@code [address, address + count)} lies inside the file (refreshing a live file's length). */
    void check(long address, long count, String what) {
        if (address < 0 || count < 0 || count > Integer.MAX_VALUE - 16 || address > Long.MAX_VALUE - count) {
            throw error(what + " at address " + Long.toUnsignedString(address) + " (" + count
                    + " bytes) is not a valid range");
        }
        if (address + count > length && channel != null && snapshot == null) {
            try {
                grewTo(channel.size());
            } catch (IOException e) {
                throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
            }
        }
        if (address + count > length) {
            throw error(what + " at address " + address + " (" + count + " bytes) lies beyond the end of the file ("
                    + length + " bytes)");
        }
    }

    /** An error naming this file for a feature of HDF5 outside what cox4j reads itself (jHDF may read it). */
    UnsupportedFeatureException unsupported(String message) {
        return new UnsupportedFeatureException(Locations.text(path) + ": " + message);
    }

    /** A format error naming this file. */
    StoreFormatException error(String message) {
        return new StoreFormatException(Locations.text(path) + ": " + message);
    }

    /** Closes the file; a recycling one lends its array back (once). */
    @Override
    public void close() {
        if (ownsChannel) {
            closeQuietly(channel);
        }
        if (recycles) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            lendBack(snapshotBytes);
        }
    }

    /**
     * The whole file as a read-only buffer, for jHDF on a file that is not local (jHDF would open
     * a {@code FileChannel}): the snapshot of a small file, else read once, in large ranges, and kept.
     *
     * @throws StoreFormatException naming the file and the limit if it is larger than {@link #WHOLE_MAX}
     */
    synchronized ByteBuffer whole() {
        checkOpen();
        if (snapshot != null) {
            return snapshot.duplicate();
        }
        if (whole == null) {
            if (length > WHOLE_MAX) {
                throw error("is " + length + " bytes long; a store.h5 that is not local and that cox4j's own reader"
                        + " cannot read is read whole into memory for jHDF, up to " + WHOLE_MAX + " bytes (256 MiB)");
            }
            try {
                byte[] all = PositionalInputs.readAll(channel);
                whole = ByteBuffer.wrap(all).asReadOnlyBuffer();
            } catch (IOException e) {
                throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
            }
        }
        return whole.duplicate();
    }

    /** A local file being written, read through its writer's channel (which the writer closes). */
    private record ChannelReads(Path path, FileChannel channel) implements PositionalInput {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public void close() {
            // the writer's channel: the writer closes it
        }
    }

    private static void closeQuietly(PositionalInput ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }
}
