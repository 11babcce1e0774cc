package cox.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One file that is not local, kept open between the reads of one reader while it is unchanged, so
 * that the ranges already fetched ({@link RangeReadAhead}) serve the next look at it: a store read
 * table after table fetches its small {@code store.h5} once. Before each use the file's size and
 * modification time are looked at (one metadata call, no range request); the open file is reused
 * only while both are as they were, and only once its modification time is more than
 * {@link #SETTLED_NANOS} in the past, as a file rewritten within its file system's clock tick may
 * keep both. A local file is never kept: {@link #open()} opens it anew, as the operating system's
 * cache makes that cheap. Thread-safe.
 */
public final class ReusedInput implements AutoCloseable {
    /**
     * How long after its modification time a file may still change with its size and time
     * unchanged: a file system's time resolution (1 s for S3, less for HDFS), with margin.
     */
    public static final long SETTLED_NANOS = 2_000_000_000L;

    private final Path file;
    private Shared current;
    private long size = -1;
    private long time;
    private boolean closed;

    /**
     * @param file the file, of any file system
     */
    public ReusedInput(Path file) {
        this.file = file;
    }

    /**
     * The file, for one look: the open file of the last look if it has not changed since, else
     * opened now. Close the result when the look is done (the file itself stays open for the next
     * look until {@link #close()}).
     *
     * @return a reader of the file
     * @throws IOException if it cannot be opened (a missing file: {@code NoSuchFileException})
     */
    public PositionalInput open() throws IOException {
        if (PositionalInputs.isLocal(file)) {
            return PositionalInputs.open(file);
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long s = a.size();
        long t = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        boolean settled = t < nowNanos - SETTLED_NANOS;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the reader of " + file.toUri() + " is closed");
            }
            if (current != null && settled && s == size && t == time) {
                return current.view();
            }
            PositionalInput opened = PositionalInputs.open(file);
            Shared fresh = new Shared(opened);
            if (current != null) {
                current.release();
            }
            current = fresh;
            size = settled ? s : -1; // an unsettled file is not reused
            time = t;
            return fresh.view();
        }
    }

    /** Closes the file kept open, once the looks using it are done. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (current != null) {
                current.release();
                current = null;
            }
        }
    }

    /** An open file and how many looks (and this keeper) use it: closed when none does. */
    private static final class Shared {
        private final PositionalInput input;
        private int users = 1; // the keeper

        Shared(PositionalInput input) {
            this.input = input;
        }

        synchronized PositionalInput view() {
            users++;
            return new View(this);
        }

        synchronized void release() {
            if (--users == 0) {
                try {
                    input.close();
                } catch (IOException ignored) {
                    // read-only: nothing is lost
                }
            }
        }
    }

    /** One look's use of a shared file: closing it releases the look's share. */
    private static final class View implements PositionalInput {
        private final Shared shared;
        private boolean released;

        View(Shared shared) {
            this.shared = shared;
        }

        @Override
        public long size() throws IOException {
            return shared.input.size();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            return shared.input.read(position, dst);
        }

        @Override
        public String name() {
            return shared.input.name();
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                shared.release();
            }
        }
    }
}
