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
 */
final class FileBytes implements AutoCloseable {
    /** Files up to this size are read whole when opened for reading. */
    static final long SNAPSHOT_MAX = 4L << 20;
    /** The largest file that is not local read whole into memory for jHDF ({@link #whole}): 256 MiB. */
    static final long WHOLE_MAX = 256L << 20;

    private final Path path;
    private final PositionalInput channel;
    private final ByteBuffer snapshot;
    private final boolean ownsChannel;
    private volatile long length;
    /** The whole file, read once for jHDF when the file is not local ({@link #whole}). */
    private ByteBuffer whole;

    private FileBytes(Path path, PositionalInput channel, ByteBuffer snapshot, long length, boolean ownsChannel) {
        this.path = path;
        this.channel = channel;
        this.snapshot = snapshot;
        this.length = length;
        this.ownsChannel = ownsChannel;
    }

    /** Opens {@code path} for reading; a small file is read whole now. */
    static FileBytes openForReading(Path path) {
        PositionalInput ch;
        try {
            ch = PositionalInputs.open(path);
        } catch (IOException e) {
            throw new StoreFormatException("cannot open " + Locations.text(path) + ": " + e, e);
        }
        return openForReading(path, ch);
    }

    /** Reads {@code path} through {@code ch}, which is closed with the result (at once for a small file). */
    static FileBytes openForReading(Path path, PositionalInput ch) {
        try {
            long size = ch.size();
            if (size <= SNAPSHOT_MAX) {
                byte[] all = PositionalInputs.readAll(ch, size);
                ch.close();
                return new FileBytes(path, null, ByteBuffer.wrap(all).asReadOnlyBuffer(), all.length, false);
            }
            return new FileBytes(path, ch, null, size, true);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreFormatException("cannot read " + Locations.text(path) + ": " + e, e);
        }
    }

    /** Reads through {@code channel} (a file being written), which the caller closes. */
    static FileBytes over(Path path, FileChannel channel) {
        try {
            return new FileBytes(path, new ChannelReads(path, channel), null, channel.size(), false);
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

    @Override
    public void close() {
        if (ownsChannel) {
            closeQuietly(channel);
        }
    }

    /**
     * The whole file as a read-only buffer, for jHDF on a file that is not local (jHDF would open
     * a {@code FileChannel}): the snapshot of a small file, else read once, in large ranges, and kept.
     *
     * @throws StoreFormatException naming the file and the limit if it is larger than {@link #WHOLE_MAX}
     */
    synchronized ByteBuffer whole() {
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
