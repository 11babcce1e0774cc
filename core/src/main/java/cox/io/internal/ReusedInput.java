package cox.io.internal;

import cox.io.Locations;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One file that is not local, kept open between the reads of one reader while it is unchanged, so
 * that the ranges already fetched (read ahead by {@link PositionalInputs#open}) serve the next look
 * at it: a store read table after table fetches its small {@code store.h5} once.
 *
 * <p>Each {@link #open()} looks at the file's stamp (size, modification time and file key when the
 * provider has one: one metadata call, no range request). The file kept open is reused only while
 * its stamp is the one it was opened with, and only if it had settled when it was opened
 * ({@link Settling}: its stamp first seen at least a clock tick before, or its time far in the
 * past), as a file rewritten within its file system's clock tick may keep its stamp. A file that
 * had not settled is opened for one look and closed with it. As a file may be replaced between two
 * range requests of one look, a reader that must not mix two versions of it asks
 * {@link #unchanged} at the end of the look, and looks again if not. A local file is never kept:
 * {@link #open()} opens it anew, as the operating system's cache makes that cheap. Thread-safe.
 */
public final class ReusedInput implements AutoCloseable {
    private final Path file;
    /** The file kept open for the next look, or null. */
    private Shared current;
    /** The stamp last seen, and {@link System#nanoTime()} when it was first seen. */
    private Stamp seen;
    private long firstSeen;
    private boolean closed;

    /**
     * @param file the file, of any file system
     */
    public ReusedInput(Path file) {
        this.file = file;
    }

    /**
     * The file, for one look: the open file of the last look if it has not changed since, else
     * opened now. Close the result when the look is done (a settled file itself stays open for the
     * next look until {@link #close()}).
     *
     * @return a reader of the file
     * @throws IOException if it cannot be opened (a missing file: {@code NoSuchFileException})
     * @throws IllegalStateException if this was closed
     */
    public PositionalInput open() throws IOException {
        if (PositionalInputs.isLocal(file)) {
            return PositionalInputs.open(file);
        }
        Stamp stamp = Stamp.of(file);
        long first;
        synchronized (this) {
            checkOpen();
            if (!stamp.equals(seen)) {
                seen = stamp;
                firstSeen = System.nanoTime();
            }
            first = firstSeen;
            if (current != null) {
                if (current.stamp.equals(stamp)) {
                    return current.view();
                }
                current.release();
                current = null;
            }
        }
        long openedAt = System.nanoTime();
        Shared fresh = new Shared(PositionalInputs.open(file), stamp);
        boolean settled = Settling.sinceFirstSeen(first, openedAt) || Settling.byClock(file, stamp.time());
        synchronized (this) {
            if (closed) {
                fresh.release();
                checkOpen();
            }
            PositionalInput view = fresh.view();
            if (settled && current == null) {
                current = fresh; // the keeper's share stays until the file changes or this closes
            } else {
                fresh.release(); // for this look only: closed with its view
            }
            return view;
        }
    }

    /**
     * Whether the file still has the stamp it had when {@code view} was opened (one metadata call).
     * If not, the file kept open is dropped, so the next {@link #open()} opens the file anew.
     *
     * @param view a reader {@link #open()} returned, open or closed
     * @return true if the file is unchanged (always for a local file, which is never kept)
     * @throws IOException if the file cannot be looked at
     */
    public boolean unchanged(PositionalInput view) throws IOException {
        if (!(view instanceof View v)) {
            return true;
        }
        Stamp now;
        try {
            now = Stamp.of(file);
        } catch (NoSuchFileException gone) {
            now = null;
        }
        if (v.shared.stamp.equals(now)) {
            return true;
        }
        synchronized (this) {
            if (current == v.shared) {
                current.release();
                current = null;
            }
        }
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reader of " + Locations.text(file) + " is closed");
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

    /** What tells one version of a file from another: size, modification time (ns) and the provider's file key. */
    private record Stamp(long size, long time, Object key) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp s && s.size == size && s.time == time && Objects.equals(s.key, key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(size, time, key);
        }
    }

    /** An open file and how many looks (and this keeper) use it: closed when none does. */
    private static final class Shared {
        private final PositionalInput input;
        private final Stamp stamp;
        private int users = 1; // the keeper

        Shared(PositionalInput input, Stamp stamp) {
            this.input = input;
            this.stamp = stamp;
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
