package cox.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One file, read by position: N bytes at an offset, and the file's size. Implementations are
 * thread-safe (a read names its position, so concurrent reads do not disturb each other) and
 * read-only. A file another process is writing may grow: {@link #size()} tells its length as the
 * file system reports it to an open file (a local file's length now; the S3 provider's channel
 * keeps the size it had when opened).
 *
 * <p>Local files are read through {@code FileChannel}'s positional reads, files of any other
 * {@code java.nio} file system through its {@code SeekableByteChannel}, and HDFS, S3A and the
 * other Hadoop file systems through {@code FSDataInputStream}'s positional reads: the channels of
 * {@code cox.hadoop.HadoopFileSystemProvider} (module {@code hadoop}) implement this interface.
 */
public interface PositionalInput extends Closeable {
    /**
     * The file's length now, as far as the open file can tell (see above).
     *
     * @return its size in bytes
     * @throws IOException if the file cannot be asked
     */
    long size() throws IOException;

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code position} into {@code dst}, advancing
     * its position by the number read.
     *
     * @param position where in the file to start, at least 0
     * @param dst where the bytes go
     * @return the number of bytes read, possibly 0, or -1 if {@code position} is at or past the end
     * @throws IOException if reading fails
     */
    int read(long position, ByteBuffer dst) throws IOException;

    /**
     * Reads exactly {@code dst.remaining()} bytes at {@code position}.
     *
     * @param position where in the file to start
     * @param dst where the bytes go; full when this returns
     * @throws EOFException naming the file if it ends first
     * @throws IOException if reading fails
     */
    default void readFully(long position, ByteBuffer dst) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = read(p, dst);
            if (n < 0) {
                throw new EOFException(name() + " ended at offset " + p + ", " + dst.remaining()
                        + " bytes short of what was read at offset " + position);
            }
            p += n;
        }
    }

    /**
     * The file, as messages name it: its path or URI.
     *
     * @return the file's name for messages
     */
    String name();
}
