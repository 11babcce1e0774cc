package cox.store.hdf5;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
import cox.io.PositionalInput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code store.h5} as pandas' {@code HDFStore} lays it out: one group per table holding a
 * PyTables "table" dataset in the "frame_table" format (FORMAT.md), read and written in pure Java.
 *
 * <p>Reading parses the subset of HDF5 that pandas and PyTables write by default, checking every
 * length, count and address against the file before using it; tables stored with features outside
 * that subset (compression filters, other layouts) are read with jHDF. Writing appends rows in
 * place; every other change (a new table, a wider string block, dropping pandas' index of a table
 * we append to) rewrites the file beside the old one and renames it over it. In both cases a reader
 * that opens the file at any moment sees a consistent prefix of every table's rows
 * (docs/live-reads.md); a closed file has no unused space.
 *
 * <p>The jobs beside opening and appending are other classes': live publication (the live-read
 * delays) is {@link LivePublisher}'s, what a rewrite writes is {@link StoreFileRewrite}'s, and the
 * format's limits are {@link FormatLimits}'.
 *
 * <p>Thread-safe: a read-only file is read without locks (its tables may be read from many threads
 * at once); a writable file serialises its changes on itself. Not part of the cox4j API.
 */
public final class PandasStoreFile implements AutoCloseable {
    /** Prefix of the temporary file a rewrite writes beside the store. */
    static final String REWRITE_PREFIX = ".cox4j-rewrite-";

    /**
     * How a file is written: what {@link #open(Path, boolean, Options)} and
     * {@link #create(Path, Options)} take. Normal use is {@link #DEFAULT}; tests choose small chunks
     * (to reach thousands of chunks, and chunk index node splits, with little data), a close that
     * waits for the live-read delays rather than rewriting, or their own time source and scheduler.
     *
     * @param chunkRows rows per chunk of new (and widened) tables, or 0 to choose as PyTables does
     * @param rewriteRatherThanWait whether a small file whose last rows wait for the live-read delay
     *     is rewritten at close (under 64 MiB) or sync (under 4 MiB) rather than waited on
     *     (docs/live-reads.md, W6)
     * @param clock the time written into the file (a new table's modification time)
     * @param ticker the time the live-read delays are measured in
     * @param scheduler what publishes rows that become due when no more rows come
     */
    public record Options(long chunkRows, boolean rewriteRatherThanWait, Clock clock, Ticker ticker,
            Scheduler scheduler) {
        /**
         * PyTables' chunk sizes, small files rewritten rather than waited on, the system's clocks,
         * and a shared daemon thread for the background publication.
         */
        public static final Options DEFAULT = new Options(0, true, Clock.systemUTC(), Ticker.SYSTEM,
                Scheduler.SHARED_DAEMON);

        /**
         * @throws IllegalArgumentException if {@code chunkRows} is negative
         * @throws NullPointerException if the clock, ticker or scheduler is null
         */
        public Options {
            if (chunkRows < 0) {
                throw new IllegalArgumentException("chunkRows < 0: " + chunkRows);
            }
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(ticker, "ticker");
            Objects.requireNonNull(scheduler, "scheduler");
        }

        /**
         * @param rows rows per chunk of new (and widened) tables, or 0 to choose as PyTables does
         * @return these options with that chunk size
         */
        public Options withChunkRows(long rows) {
            return new Options(rows, rewriteRatherThanWait, clock, ticker, scheduler);
        }

        /**
         * @param rewrite whether a small file is rewritten rather than waited on at close and sync
         * @return these options with that choice
         */
        public Options withRewriteRatherThanWait(boolean rewrite) {
            return new Options(chunkRows, rewrite, clock, ticker, scheduler);
        }

        /** @return these options measuring the live-read delays with {@code t} */
        Options withTicker(Ticker t) {
            return new Options(chunkRows, rewriteRatherThanWait, clock, t, scheduler);
        }

        /** @return these options publishing in the background with {@code s} */
        Options withScheduler(Scheduler s) {
            return new Options(chunkRows, rewriteRatherThanWait, clock, ticker, s);
        }
    }

    private final Path path;
    private final boolean writable;
    private final Options options;
    private final LivePublisher publisher;
    private final Map<String, PandasTable> tables = new LinkedHashMap<>();
    private FileBytes bytes;
    private FileStructure structure;
    // writing
    private FileChannel channel;
    private FileSpace space;
    private boolean rewriteNeeded;
    /** Whether this writer changed the file (it is then left compact when closed). */
    private boolean modified;
    /** Bytes of the file no object uses (left by a killed writer or by another program). */
    private long unused;
    private boolean closed;

    private PandasStoreFile(Path path, boolean writable, Options options) {
        this.path = path;
        this.writable = writable;
        this.options = options;
        this.publisher = new LivePublisher(this, options);
    }

    /**
     * Creates (or replaces) {@code file} as an empty pandas store: written beside it and renamed
     * into place, so a reader never sees a half-written file.
     *
     * @param file the store.h5 path
     * @return the open, writable file
     */
    public static PandasStoreFile create(Path file) {
        return create(file, Options.DEFAULT);
    }

    /**
     * As {@link #create(Path)}, written with {@code options}.
     *
     * @param file the store.h5 path
     * @param options how the file is written
     * @return the open, writable file
     */
    public static PandasStoreFile create(Path file, Options options) {
        Objects.requireNonNull(options, "options");
        Path tmp = file.resolveSibling(REWRITE_PREFIX + file.getFileName());
        List<ObjectHeader.NewMessage> root = new ArrayList<>();
        for (Attribute a : PandasAttributes.root()) {
            root.add(a.message());
        }
        StoreFileBuilder.write(tmp, null, null, root, List.of(), options.ticker());
        StoreFileBuilder.replace(tmp, file);
        return open(file, true, options);
    }

    /**
     * Opens an existing store and reads the description of every frame table in it.
     *
     * @param file the store.h5 path
     * @param writable open read-write (to append) or read-only
     * @return the open file
     * @throws StoreFormatException if the file cannot be read, a table cannot be understood, or
     *     (writable) the file holds something cox4j cannot append to or rewrite; raised before
     *     any byte of the file is changed
     */
    public static PandasStoreFile open(Path file, boolean writable) {
        return open(file, writable, Options.DEFAULT);
    }

    /**
     * As {@link #open(Path, boolean)}; a writable file is written with {@code options}.
     *
     * @param file the store.h5 path
     * @param writable open read-write (to append) or read-only
     * @param options how the file is written
     * @return the open file
     * @throws StoreFormatException as {@link #open(Path, boolean)}
     */
    public static PandasStoreFile open(Path file, boolean writable, Options options) {
        return open(file, writable, options, null);
    }

    /**
     * As {@link #open(Path, boolean)} read-only, reading through {@code input} (a file that is not
     * local, kept open between looks by its reader: {@link cox.io.internal.ReusedInput}).
     *
     * @param file the store.h5 path
     * @param input an open reader of {@code file}; closed when the returned file is closed, or now
     *     if it cannot be read
     * @return the open file
     * @throws StoreFormatException as {@link #open(Path, boolean)}
     */
    public static PandasStoreFile openForReading(Path file, PositionalInput input) {
        Objects.requireNonNull(input, "input");
        return open(file, false, Options.DEFAULT, input);
    }

    /**
     * As {@link #open(Path, boolean)} read-only, for a reader that reads nothing from the file (its
     * tables included), from any thread, once it has closed it or while it closes it: a small file
     * is read whole into memory lent back when it is closed, for the next file opened so. Reading a
     * table after {@link #close()} fails with an {@link IllegalStateException}.
     *
     * @param file the store.h5 path
     * @return the open file
     * @throws StoreFormatException as {@link #open(Path, boolean)}
     */
    public static PandasStoreFile openRecycling(Path file) {
        return open(file, false, Options.DEFAULT, () -> FileBytes.openRecycling(file), null, true);
    }

    /**
     * Opens {@code previous}'s file read-only again, for a reader that looks at it once more:
     * {@code previous} itself when the file, read whole again, still holds exactly the bytes
     * {@code previous} read (parsing them again would find the same), else the file as it is now
     * (opened as {@code previous} was, {@link #openRecycling recycling} or not). Only a file that
     * {@link #reusable()} says may be opened again this way.
     *
     * @param previous a reusable file, not closed; closed here unless it is returned
     * @return {@code previous}, or the file as it now is
     * @throws StoreFormatException as {@link #open(Path, boolean)} (then {@code previous} is closed)
     * @throws IllegalArgumentException if {@code previous} is not {@link #reusable()}
     */
    public static PandasStoreFile reopen(PandasStoreFile previous) {
        if (!previous.reusable()) {
            throw new IllegalArgumentException("HDF5 file " + previous.path + " cannot be reopened this way");
        }
        FileBytes[] again = {null};
        PandasStoreFile f;
        try {
            f = open(previous.path, false, previous.options, () -> {
                again[0] = FileBytes.reread(previous.bytes);
                return again[0];
            }, previous, true);
        } finally {
            if (again[0] != previous.bytes) {
                previous.close();
            }
        }
        return f;
    }

    /**
     * Whether {@link #reopen} may open this file again: read-only, read whole into memory and
     * small enough to be compared byte for byte ({@link FileBytes#RECYCLED_MAX}; a larger one is
     * parsed afresh, so keeping it between looks would hold its bytes for nothing), parsed by
     * cox4j's own reader, and not closed.
     *
     * @return whether it is
     */
    public synchronized boolean reusable() {
        return !writable && !closed && structure != null && bytes != null && bytes.isSnapshot()
                && bytes.length() <= FileBytes.RECYCLED_MAX;
    }

    private static PandasStoreFile open(Path file, boolean writable, Options options, PositionalInput input) {
        return open(file, writable, options, writable ? null
                : () -> input != null ? FileBytes.openForReading(file, input) : FileBytes.openForReading(file), null,
                input == null);
    }

    /**
     * @param reading opens the bytes of a read-only file (null for a writable one)
     * @param previous the file {@code reading} may return the bytes of unchanged: returned as it is then
     * @param byPath whether the file is opened by its path (not through a reader given), which must
     *     then be a regular file
     */
    private static PandasStoreFile open(Path file, boolean writable, Options options,
            java.util.function.Supplier<FileBytes> reading, PandasStoreFile previous, boolean byPath) {
        Objects.requireNonNull(options, "options");
        if (byPath && Files.exists(file) && !Files.isRegularFile(file)) {
            // opening a FIFO to read blocks until someone writes to it
            throw new StoreFormatException("cannot read HDF5 file " + file + " as a pandas store: it is not a regular file"
                    + " (a FIFO, device or folder), so it is not opened");
        }
        PandasStoreFile f = null;
        try {
            FileBytes read = writable ? null : reading.get();
            if (previous != null && read == previous.bytes) {
                return previous;
            }
            f = new PandasStoreFile(file, writable, options);
            if (writable) {
                f.openForWriting();
            } else {
                f.bytes = read;
                try {
                    f.structure = FileStructure.read(f.bytes, false);
                } catch (UnsupportedFeatureException e) {
                    // a format cox4j does not parse itself: jHDF reads as far as it can
                    for (Map.Entry<String, JhdfTables.Table> t : JhdfTables.list(file, f.bytes).entrySet()) {
                        f.tables.put(t.getKey(), new PandasTable(f, t.getValue().frame(), t.getValue().rows()));
                    }
                    return f;
                }
                for (FileStructure.Table t : f.structure.tables.values()) {
                    f.tables.put(t.name, new PandasTable(f, t, null));
                }
            }
            return f;
        } catch (CoxException e) {
            if (f != null) {
                f.closeQuietly();
            }
            String name = cox.io.Locations.text(file);
            String detail = e.getMessage();
            if (detail != null && detail.startsWith(name + ": ")) {
                detail = detail.substring(name.length() + 2);
            }
            throw new StoreFormatException("cannot read HDF5 file " + name + " as a pandas store"
                    + (writable ? " to append to" : "") + ": " + detail, e);
        } catch (RuntimeException e) {
            if (f != null) {
                f.closeQuietly();
            }
            throw new StoreFormatException("cannot read HDF5 file " + cox.io.Locations.text(file) + " as a pandas store: "
                    + e, e);
        }
    }

    private void openForWriting() {
        try {
            Files.deleteIfExists(path.resolveSibling(REWRITE_PREFIX + path.getFileName()));
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CoxIOException("cannot open " + path + " for writing: " + e.getMessage(), e);
        }
        bytes = FileBytes.over(path, channel);
        load(true, publisher.now());
    }

    /**
     * Parses the file, checks that it can be appended to and rewritten, and sets up the tables.
     *
     * @param lengthSince when the file reached its length, as far as a reader can know
     */
    private void load(boolean checkAll, long lengthSince) {
        structure = FileStructure.read(bytes);
        Superblock sb = structure.superblock;
        long eoa = sb.endOfFile();
        if (eoa > bytes.length()) {
            // a writer raises the address only over length the file has had (docs/live-reads.md), and
            // allocates from it: one beyond the file is damage, never space to extend the file into
            throw bytes.error("its superblock's end-of-file address " + eoa + " lies beyond the end of the file ("
                    + bytes.length() + " bytes): the file is cut short or the address is damaged (the HDF5 library"
                    + " refuses such a file too)");
        }
        if (checkAll) {
            // walk everything: it must be rewritable, and what it occupies shows the unused space
            ObjectCopier walk = new ObjectCopier(bytes, sb, null, null);
            walk.addOccupied(sb.size());
            walk.copy(sb.rootHeader(), "/", 0);
            unused = Math.max(bytes.length(), eoa) - walk.occupied();
        }
        long now = publisher.now();
        Map<String, PandasTable> old = new LinkedHashMap<>(tables);
        tables.clear();
        List<TableAppender> appenders = new ArrayList<>();
        for (FileStructure.Table t : structure.tables.values()) {
            TableAppender a = TableAppender.laidOutForAppending(t.dataset)
                    ? new TableAppender(t.dataset, sb.chunkK(), now, LivePublisher.PUBLISH_DELAY_NANOS) : null;
            if (a != null) {
                appenders.add(a);
            }
            PandasTable existing = old.get(t.name);
            if (existing != null) {
                existing.reloaded(t, a);
                tables.put(t.name, existing);
            } else {
                tables.put(t.name, new PandasTable(this, t, a));
            }
        }
        long end = Math.max(eoa, bytes.length());
        for (FileStructure.Table t : structure.tables.values()) {
            // a killed writer may have indexed chunks or nodes beyond the end it published
            end = Math.max(end, t.dataset.end);
        }
        space = new FileSpace(path, channel, sb.endOfFileField(), end, eoa, lengthSince,
                LivePublisher.PUBLISH_DELAY_NANOS, options.ticker());
        publisher.track(space, appenders, sb.chunkK());
    }

    /** @return the path of this file */
    public Path path() {
        return path;
    }

    /** @return the names of the frame tables: those in the file in its (name) order, then new ones */
    public List<String> tableNames() {
        synchronized (this) {
            return List.copyOf(tables.keySet());
        }
    }

    /**
     * @param name a table name
     * @return the table, or null if the file has no frame table of that name
     */
    public PandasTable table(String name) {
        synchronized (this) {
            return tables.get(name);
        }
    }

    /**
     * Creates table {@code name}, its string block {@code stringWidth} bytes wide, with no rows. It
     * reaches the file, with its first rows, at the next {@link #flush()}.
     *
     * @param name the table name (a top-level group)
     * @param columns its columns, in order, each with its COX_DATA type
     * @param stringWidth initial width of the string block, at least 1
     * @param expectedRows rows the table is expected to hold, which sets its chunk size as pandas does
     *     (at least 10,000 are assumed)
     * @return the new table
     * @throws IllegalArgumentException if the table's attributes would not fit an HDF5 object header
     *     (too many columns or too long names)
     */
    public synchronized PandasTable createTable(String name, List<FrameColumn> columns, int stringWidth,
            long expectedRows) {
        checkWritable();
        if (tables.containsKey(name) || structure.others.containsKey(name)) {
            throw new IllegalStateException("table '" + name + "' exists already in " + path);
        }
        FormatLimits.checkFits(name, columns, stringWidth);
        BlockLayout layout = BlockLayout.forColumns(columns, stringWidth);
        PandasTable t = new PandasTable(this, name, columns, layout, expectedRows);
        tables.put(name, t);
        rewriteNeeded();
        return t;
    }

    /** As {@link #createTable(String, List, int, long)} expecting 10,000 rows. */
    public PandasTable createTable(String name, List<FrameColumn> columns, int stringWidth) {
        return createTable(name, columns, stringWidth, 0);
    }

    /**
     * Makes what was appended visible as far as live readers allow (docs/live-reads.md): applies
     * pending rewrites, publishes the end-of-file address, then grows extents that may grow now.
     * Rows in new chunks become visible to other readers about
     * {@link LivePublisher#PUBLISH_DELAY_NANOS} later, without further calls. Not an fsync.
     */
    public synchronized void flush() {
        checkOpen();
        if (!writable) {
            return;
        }
        commit();
        publisher.publishDue();
    }

    /**
     * Forces every appended row to the device. A small file (under 4 MiB) is rewritten, so readers
     * opening it from now on see every row; in a larger one, rows in new chunks reach readers when
     * the live-read delay lets them (about 1 to 3 s, without further calls): the writer never waits.
     */
    public synchronized void sync() {
        flush();
        if (writable) {
            finish(false);
            space.force();
        }
    }

    /** Applies a pending rewrite (new tables, widened ones, dropped indexes). Holds the lock. */
    void commit() {
        if (rewriteNeeded) {
            rewrite();
        }
    }

    /**
     * Makes every appended row visible: if nothing waits, nothing to do; a file with unused space,
     * or a small one, is rewritten; else waits until the delay allows and publishes. Holds the lock.
     *
     * @param closing whether the file closes after (a rewrite then is always worth it when space is unused)
     */
    private void finish(boolean closing) {
        commit();
        publisher.publishDue();
        if ((closing && unused > 0 && modified) || publisher.rewriteRatherThanWait(closing)) {
            rewrite();
            return;
        }
        if (!closing) {
            // a writer that syncs is not held up: the scheduled publications follow (docs/live-reads.md)
            return;
        }
        publisher.awaitAll();
        space.trim();
    }

    // ------------------------------------------------------------------ rewrite

    void rewriteNeeded() {
        rewriteNeeded = true;
        modified = true;
    }

    /** Notes that rows were appended in place. */
    void appended() {
        modified = true;
    }

    /** Writes the whole file afresh beside it and renames it over it, then reloads. Holds the lock. */
    private void rewrite() {
        Path tmp = path.resolveSibling(REWRITE_PREFIX + path.getFileName());
        try {
            new StoreFileRewrite(bytes, structure, options.clock(), options.chunkRows())
                    .write(tmp, tables, options.ticker());
            closeChannel();
            StoreFileBuilder.replace(tmp, path);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            reopenAfterFailure();
            throw e;
        }
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CoxIOException("cannot reopen " + path + " after rewriting it: " + e.getMessage(), e);
        }
        bytes = FileBytes.over(path, channel);
        unused = 0;
        rewriteNeeded = false;
        // tables created but still without rows stay pending
        List<PandasTable> empty = new ArrayList<>();
        for (PandasTable t : tables.values()) {
            if (t.disk() == null && t.nrows() == 0) {
                empty.add(t);
            }
        }
        // a reader finds the new file only by its name, complete: no reader saw it shorter
        load(false, FileSpace.LONG_AGO);
        for (PandasTable t : empty) {
            tables.put(t.name(), t);
            rewriteNeeded = true;
        }
    }

    private void reopenAfterFailure() {
        if (channel == null || !channel.isOpen()) {
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                bytes = FileBytes.over(path, channel);
            } catch (IOException ignored) {
                // the original failure is reported
            }
        }
    }

    // ------------------------------------------------------------------ for tables

    boolean writable() {
        return writable;
    }

    FileSpace space() {
        return space;
    }

    FileBytes bytes() {
        return bytes;
    }

    /** Reads rows of a table stored with a feature cox4j's own reader does not cover, with jHDF. */
    Object[] readForeign(PandasTable t, long start, int count) {
        return JhdfTables.read(path, bytes, t.name(), t.frame(), start, count);
    }

    void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("HDF5 file " + path + " is open read-only");
        }
        checkOpen();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("HDF5 file " + path + " is closed");
        }
    }

    /**
     * Writes what is pending, makes every row visible (a file with unused space, or one that would
     * otherwise wait for the live-read delay and is small, is rewritten compactly), and closes the
     * file. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (writable && space != null) {
                finish(true);
            }
        } finally {
            closed = true;
            publisher.stop();
            closeChannel();
            if (bytes != null) {
                bytes.close();
            }
        }
    }

    /**
     * Closes the file without writing anything pending or publishing it: what a killed writer would
     * leave, for a writer that no longer owns the store (its lock file was deleted or replaced).
     * Idempotent.
     */
    public synchronized void abandon() {
        if (closed) {
            return;
        }
        closeQuietly();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new CoxIOException("cannot close " + path + ": " + e.getMessage(), e);
            } finally {
                channel = null;
            }
        }
    }

    private void closeQuietly() {
        try {
            closed = true;
            publisher.stop();
            closeChannel();
            if (bytes != null) {
                bytes.close();
            }
        } catch (RuntimeException ignored) {
            // the original failure is what the caller sees
        }
    }
}
