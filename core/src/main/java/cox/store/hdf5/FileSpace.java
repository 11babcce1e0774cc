package cox.store.hdf5;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The space of an HDF5 file being written: new objects are allocated at the end, one after the
 * other, and never where another object is or was while the file is open (a reader may still be
 * reading there); bytes are written at an address with one positional write each. The
 * superblock's end-of-file address is raised by {@link #publishEnd} only after the bytes it covers
 * exist. Not thread-safe: its owner serialises writes.
 */
final class FileSpace {
    private final Path path;
    private final FileChannel channel;
    private final long endOfFileField;
    private long end;
    private long published;
    private long written;

    /**
     * @param end where allocation starts (the end of every object in the file)
     * @param published the end-of-file address the superblock holds now
     */
    FileSpace(Path path, FileChannel channel, long endOfFileField, long end, long published) {
        this.path = path;
        this.channel = channel;
        this.endOfFileField = endOfFileField;
        this.end = end;
        this.published = published;
        try {
            this.written = channel.size();
        } catch (IOException e) {
            throw io("cannot read the length of", e);
        }
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    /** Reserves {@code bytes} bytes at the end and returns their address. */
    long allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
        long at = end;
        end += bytes;
        return at;
    }

    /** The end of the allocated space. */
    long end() {
        return end;
    }

    /** The end-of-file address the superblock holds. */
    long published() {
        return published;
    }

    void write(long address, byte[] bytes) {
        write(address, ByteBuffer.wrap(bytes));
    }

    void write(long address, ByteBuffer bytes) {
        try {
            long at = address;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
            written = Math.max(written, at);
        } catch (IOException e) {
            throw io("cannot write to", e);
        }
    }

    void writeLong(long address, long value) {
        write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    void writeShort(long address, int value) {
        write(address, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) value));
    }

    void writeInt(long address, int value) {
        write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /**
     * Makes the file as long as the allocated space, then writes that length into the
     * superblock's end-of-file address: a reader that reads the new address finds every byte it
     * covers (the HDF5 library refuses a file shorter than its end-of-file address).
     *
     * @return whether the address changed
     */
    boolean publishEnd() {
        if (end == published) {
            return false;
        }
        if (written < end) {
            // space allocated but not written (the unused tail of a chunk): make it exist as zeros
            write(end - 1, new byte[1]);
        }
        writeLong(endOfFileField, end);
        published = end;
        return true;
    }

    /** Forces written bytes to the device. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw io("cannot fsync", e);
        }
    }

    private CoxIOException io(String what, IOException e) {
        return new CoxIOException(what + " " + path + ": " + e.getMessage(), e);
    }
}
