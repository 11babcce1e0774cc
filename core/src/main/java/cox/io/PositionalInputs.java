package cox.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens a {@link PositionalInput} on a path of any {@code java.nio} file system, and counts the
 * range requests made to files that are not local.
 *
 * <ul>
 *   <li>A file of the default (local) file system is read through a {@code FileChannel}: every
 *       read is one positional read, and the operating system's cache does the rest.</li>
 *   <li>A file of another file system is opened with {@link Files#newByteChannel}; if the channel
 *       is itself a {@link PositionalInput} (the channels of {@code cox.hadoop.HadoopFileSystemProvider},
 *       module {@code hadoop}), its own positional reads are used, otherwise reads seek then read
 *       under a lock. Either way it is read ahead in ranges of {@link #RANGE} bytes
 *       ({@link RangeReadAhead}), so a file of up to 4 MiB costs one request and a larger one few.
 *       The ranges kept stay valid while the file only grows; a file replaced or rewritten while
 *       open may be read as a mix of two versions, which the store reader detects by looking at
 *       the file's size, time and key again at the end of each look (it then looks again).</li>
 * </ul>
 */
public final class PositionalInputs {
    /** The size of one range request to a file that is not local: 4 MiB. */
    public static final int RANGE = 4 << 20;

    private static final LongAdder REQUESTS = new LongAdder();

    private PositionalInputs() {
    }

    /**
     * Opens {@code file} for positional reads.
     *
     * @param file a regular file of any file system
     * @return its reader; the caller closes it
     * @throws IOException if the file cannot be opened (a missing one: {@code NoSuchFileException})
     */
    public static PositionalInput open(Path file) throws IOException {
        if (isLocal(file)) {
            return new LocalFileInput(file, FileChannel.open(file, StandardOpenOption.READ));
        }
        SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ);
        PositionalInput base = ch instanceof PositionalInput p ? p : new ChannelInput(Locations.text(file), ch);
        return new RangeReadAhead(base, RANGE, REQUESTS);
    }

    /**
     * Reads all of {@code file}, of any file system: one read of a local file, and for a remote one
     * as few range requests as its size allows (one up to {@link #RANGE} bytes).
     *
     * @param file a regular file
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than an array holds
     */
    public static byte[] readAllBytes(Path file) throws IOException {
        try (PositionalInput in = open(file)) {
            return readAll(in);
        }
    }

    /**
     * Reads all of {@code in} as it is now.
     *
     * @param in an open file
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than an array holds
     */
    public static byte[] readAll(PositionalInput in) throws IOException {
        return readAll(in, in.size());
    }

    /**
     * Reads the first {@code size} bytes of {@code in}, its size as the caller just asked it (or
     * fewer if the file was cut meanwhile).
     *
     * @param in an open file
     * @param size its size
     * @return its bytes
     * @throws IOException if it cannot be read, or is larger than an array holds
     */
    public static byte[] readAll(PositionalInput in, long size) throws IOException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(in.name() + " is " + size + " bytes long, more than one array holds");
        }
        byte[] all = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(all);
        long p = 0;
        while (b.hasRemaining()) {
            int n = in.read(p, b);
            if (n < 0) {
                break; // the file was cut meanwhile: what was there
            }
            p += n;
        }
        return b.hasRemaining() ? java.util.Arrays.copyOf(all, b.position()) : all;
    }

    /**
     * Whether {@code file} is on the default file system, read without any request cost.
     *
     * @param file a path
     * @return true for a local path
     */
    public static boolean isLocal(Path file) {
        return file.getFileSystem() == FileSystems.getDefault();
    }

    /**
     * The range requests made so far, by this JVM, to files that are not local: what the
     * benchmarks and tests count per store.
     *
     * @return the number of requests since the JVM started
     */
    public static long rangeRequests() {
        return REQUESTS.sum();
    }

    /** A local file read through a {@code FileChannel}'s positional reads. */
    private static final class LocalFileInput implements PositionalInput {
        private final Path file;
        private final FileChannel channel;

        LocalFileInput(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

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
            return file.toString();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A channel without positional reads of its own: each read seeks, then reads, under the lock. */
    private static final class ChannelInput implements PositionalInput {
        private final String name;
        private final SeekableByteChannel channel;

        ChannelInput(String name, SeekableByteChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        @Override
        public synchronized long size() throws IOException {
            return channel.size();
        }

        @Override
        public synchronized int read(long position, ByteBuffer dst) throws IOException {
            channel.position(position); // past the end is allowed: the read then returns -1
            return channel.read(dst);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized void close() throws IOException {
            channel.close();
        }
    }
}
