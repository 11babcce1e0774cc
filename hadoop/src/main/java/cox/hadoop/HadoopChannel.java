package cox.hadoop;

import cox.io.PositionalInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * A file of a Hadoop file system, open for reading: a {@link SeekableByteChannel} whose reads go
 * through {@code FSDataInputStream}'s positional reads, and a {@link PositionalInput} for cox's
 * engine. Its size is the length the file had when it was opened. Thread-safe: positional reads
 * are independent (Hadoop's {@code PositionedReadable} contract), the channel position is guarded.
 */
final class HadoopChannel implements SeekableByteChannel, PositionalInput {
    private final String name;
    private final FSDataInputStream in;
    private final long size;
    private long position;
    private volatile boolean open = true;

    HadoopChannel(String name, FSDataInputStream in, long size) {
        this.name = name;
        this.in = in;
        this.size = size;
    }

    private void checkOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        return size;
    }

    @Override
    public int read(long pos, ByteBuffer dst) throws IOException {
        checkOpen();
        if (pos < 0) {
            throw new IllegalArgumentException(name + ": negative position " + pos);
        }
        if (pos >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int len = (int) Math.min(dst.remaining(), size - pos);
        int n;
        if (dst.hasArray()) {
            n = in.read(pos, dst.array(), dst.arrayOffset() + dst.position(), len);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
        } else {
            byte[] buf = new byte[len];
            n = in.read(pos, buf, 0, len);
            if (n > 0) {
                dst.put(buf, 0, n);
            }
        }
        return n;
    }

    /** One positional {@code readFully} of Hadoop's: one request to an object store. */
    @Override
    public void readFully(long pos, ByteBuffer dst) throws IOException {
        checkOpen();
        int len = dst.remaining();
        if (pos < 0) {
            throw new IllegalArgumentException(name + ": negative position " + pos);
        }
        if (pos + len > size) {
            throw new EOFException(name + " ended at offset " + size + ", " + (pos + len - size)
                    + " bytes short of what was read at offset " + pos);
        }
        if (len == 0) {
            return;
        }
        if (dst.hasArray()) {
            in.readFully(pos, dst.array(), dst.arrayOffset() + dst.position(), len);
            dst.position(dst.position() + len);
        } else {
            byte[] buf = new byte[len];
            in.readFully(pos, buf, 0, len);
            dst.put(buf);
        }
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        int n = read(position, dst);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /** @throws NonWritableChannelException always: a channel opened for reading only reads */
    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws IOException {
        checkOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        checkOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException(name + ": negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    /** @throws NonWritableChannelException always: a channel opened for reading only reads */
    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            in.close();
        }
    }
}
