package cox.hadoop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A file of a Hadoop file system, open for writing: a write-only {@link SeekableByteChannel}
 * over the stream {@code FileSystem.create} gave, written sequentially from its start (a Hadoop
 * file is written whole). Its position and size are the bytes written; it cannot seek, truncate
 * or read. Not thread-safe beyond what the channel contract asks (writes are serialised).
 */
final class HadoopWriteChannel implements SeekableByteChannel {
    private final String name;
    private final OutputStream out;
    private long written;
    private boolean open = true;

    HadoopWriteChannel(String name, OutputStream out) {
        this.name = name;
        this.out = out;
    }

    private void checkOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    /** @throws NonReadableChannelException always: the channel only writes */
    @Override
    public int read(ByteBuffer dst) {
        throw new NonReadableChannelException();
    }

    @Override
    public synchronized int write(ByteBuffer src) throws IOException {
        checkOpen();
        int n = src.remaining();
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), n);
            src.position(src.position() + n);
        } else {
            byte[] buf = new byte[Math.min(n, 1 << 16)];
            while (src.hasRemaining()) {
                int len = Math.min(buf.length, src.remaining());
                src.get(buf, 0, len);
                out.write(buf, 0, len);
            }
        }
        written += n;
        return n;
    }

    @Override
    public synchronized long position() throws IOException {
        checkOpen();
        return written;
    }

    /**
     * @throws UnsupportedOperationException for any position but the current one: a Hadoop file
     *     is written sequentially
     */
    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        checkOpen();
        if (newPosition != written) {
            throw new UnsupportedOperationException(name + ": a Hadoop file is written sequentially; cannot seek from "
                    + written + " to " + newPosition);
        }
        return this;
    }

    @Override
    public synchronized long size() throws IOException {
        checkOpen();
        return written;
    }

    /** @throws UnsupportedOperationException for a size below the bytes written: a Hadoop file is written sequentially */
    @Override
    public synchronized SeekableByteChannel truncate(long size) throws IOException {
        checkOpen();
        if (size < 0) {
            throw new IllegalArgumentException(name + ": negative size " + size);
        }
        if (size < written) {
            throw new UnsupportedOperationException(name + ": a Hadoop file being written cannot be truncated");
        }
        return this;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    /** Closes the file: on HDFS, its last block is completed and the file is visible with its length. */
    @Override
    public synchronized void close() throws IOException {
        if (open) {
            open = false;
            out.close();
        }
    }
}
