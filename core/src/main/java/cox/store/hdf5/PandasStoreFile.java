package cox.store.hdf5;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreFormatException;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
 * <p>Thread-safe: a read-only file is read without locks (its tables may be read from many threads
 * at once); a writable file serialises its changes on itself. Not part of the cox4j API.
 */
public final class PandasStoreFile implements AutoCloseable {
    /**
     * How long after the end-of-file address covering new space is published the space may be
     * linked in: a reader (the HDF5 library) cannot read beyond the end-of-file address it found
     * when it opened the file, so it must be done with its lookups before then.
     */
    static final long PUBLISH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** A closing file smaller than this is rewritten rather than waited on until its last rows may be published. */
    static final long REWRITE_RATHER_THAN_WAIT = 64L << 20;
    /** As {@link #REWRITE_RATHER_THAN_WAIT}, for {@link #sync()} (which a writer may call often). */
    static final long SYNC_REWRITE_RATHER_THAN_WAIT = 4L << 20;
    /**
     * For tests only: a system property that fixes the rows per chunk of new tables (so that a test
     * reaches thousands of chunks, and B-tree node splits, with little data). Unset in normal use.
     */
    static final String CHUNK_ROWS_PROPERTY = "cox4j.testing.chunkRows";
    /** Prefix of the temporary file a rewrite writes beside the store. */
    static final String REWRITE_PREFIX = ".cox4j-rewrite-";
    private static volatile ScheduledExecutorService publisher;

    private final Path path;
    private final boolean writable;
    private final Clock clock;
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
    private ScheduledFuture<?> publishTask;
    private boolean closed;
    /** Below this size a closing (or syncing) file is rewritten rather than waited on (tests lower it). */
    long rewriteRatherThanWait = REWRITE_RATHER_THAN_WAIT;
    /** Rows per chunk of new (and widened) tables, or 0 to choose as PyTables does. */
    long chunkRowsOverride = Long.getLong(CHUNK_ROWS_PROPERTY, 0L);

    private PandasStoreFile(Path path, boolean writable, Clock clock) {
        this.path = path;
        this.writable = writable;
        this.clock = clock;
    }

    /**
     * Creates (or replaces) {@code file} as an empty pandas store: written beside it and renamed
     * into place, so a reader never sees a half-written file.
     *
     * @param file the store.h5 path
     * @return the open, writable file
     */
    public static PandasStoreFile create(Path file) {
        Path tmp = file.resolveSibling(REWRITE_PREFIX + file.getFileName());
        List<ObjectHeader.NewMessage> root = new ArrayList<>();
        for (Attribute a : PandasAttributes.root()) {
            root.add(a.message());
        }
        StoreFileBuilder.write(tmp, null, null, root, List.of());
        StoreFileBuilder.replace(tmp, file);
        return open(file, true);
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
        return open(file, writable, Clock.systemUTC());
    }

    static PandasStoreFile open(Path file, boolean writable, Clock clock) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // opening a FIFO to read blocks until someone writes to it
            throw new StoreFormatException("cannot read HDF5 file " + file + " as a pandas store: it is not a regular file"
                    + " (a FIFO, device or folder), so it is not opened");
        }
        PandasStoreFile f = new PandasStoreFile(file, writable, clock);
        try {
            if (writable) {
                f.openForWriting();
            } else {
                f.bytes = FileBytes.openForReading(file);
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
            f.closeQuietly();
            String detail = e.getMessage();
            if (detail != null && detail.startsWith(file + ": ")) {
                detail = detail.substring(file.toString().length() + 2);
            }
            throw new StoreFormatException("cannot read HDF5 file " + file + " as a pandas store"
                    + (writable ? " to append to" : "") + ": " + detail, e);
        } catch (RuntimeException e) {
            f.closeQuietly();
            throw new StoreFormatException("cannot read HDF5 file " + file + " as a pandas store: " + e, e);
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
        load(true, System.nanoTime());
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
        long now = System.nanoTime();
        Map<String, PandasTable> old = new LinkedHashMap<>(tables);
        tables.clear();
        for (FileStructure.Table t : structure.tables.values()) {
            TableAppender a = TableAppender.laidOutForAppending(t.dataset)
                    ? new TableAppender(t.dataset, sb.chunkK(), now, PUBLISH_DELAY_NANOS) : null;
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
        space = new FileSpace(path, channel, sb.endOfFileField(), end, eoa, lengthSince, PUBLISH_DELAY_NANOS);
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
        checkFits(name, columns, stringWidth);
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

    /** The most bytes an object header message of this format holds (its size field has 16 bits). */
    public static final int MAX_MESSAGE_BYTES = ObjectHeader.MAX_MESSAGE_SIZE;

    /**
     * An object header message a table needs: an attribute by name, or {@code "row type"}.
     *
     * @param name what the message holds
     * @param bytes its size
     */
    public record HeaderMessage(String name, int bytes) {
    }

    /**
     * The largest object header message a table of these columns needs, as this class writes it:
     * the largest of its group's and dataset's attributes and its row type.
     *
     * @param columns its columns, in order (may be empty: the table name's share alone)
     */
    public static HeaderMessage largestMessage(String name, List<FrameColumn> columns, int stringWidth) {
        BlockLayout layout = BlockLayout.forColumns(columns, stringWidth);
        HeaderMessage largest = new HeaderMessage("row type", PandasAttributes.rowType(layout).encode().length);
        List<Attribute> all = new ArrayList<>(PandasAttributes.group(name, columns, layout));
        all.addAll(PandasAttributes.dataset(columns, layout, 0));
        for (Attribute a : all) {
            int size = a.encode().length;
            if (size > largest.bytes()) {
                largest = new HeaderMessage(a.name(), size);
            }
        }
        return largest;
    }

    /**
     * Checks that a table of these columns fits the format: every attribute of its group and
     * dataset, and its row type, must fit a version-1 object header message (64 KiB).
     *
     * @throws IllegalArgumentException naming the limit if not
     */
    public static void checkFits(String name, List<FrameColumn> columns, int stringWidth) {
        HeaderMessage largest = largestMessage(name, columns, stringWidth);
        if (largest.bytes() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("table '" + name + "' with " + columns.size() + " columns does not fit"
                    + " store.h5: its " + largest.name() + " would take " + largest.bytes() + " bytes, more than the "
                    + MAX_MESSAGE_BYTES + " an HDF5 object header message holds");
        }
    }

    /**
     * Makes what was appended visible as far as live readers allow (docs/live-reads.md): applies
     * pending rewrites, publishes the end-of-file address, then grows extents that may grow now.
     * Rows in new chunks become visible to other readers about {@link #PUBLISH_DELAY_NANOS} later,
     * without further calls. Not an fsync.
     */
    public synchronized void flush() {
        checkOpen();
        if (!writable) {
            return;
        }
        commit();
        publishDue();
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

    /** Publishes the end-of-file address, then whatever the delays allow; schedules the rest. Holds the lock. */
    private void publishDue() {
        long now = System.nanoTime();
        space.extend(slack());
        space.publishEnd(now);
        long next = space.endPublished() ? -1 : space.coveredAt(space.end());
        for (PandasTable t : tables.values()) {
            TableAppender a = t.appender();
            if (a == null) {
                continue;
            }
            a.endCycle();
            a.publish(space, now);
            long due = a.nextDue(space);
            if (due >= 0 && (next < 0 || due < next)) {
                next = due;
            }
        }
        schedule(next);
    }

    /** Length kept beyond the allocated space: a chunk and two index nodes per table. */
    private long slack() {
        long slack = 0;
        for (PandasTable t : tables.values()) {
            TableAppender a = t.appender();
            if (a != null) {
                slack += a.chunkBytes + 2L * ChunkIndex.nodeSize(structure.superblock.chunkK(), 2);
            }
        }
        return slack;
    }

    /** The earliest time something waits to be published, or -1. Holds the lock. */
    private long nextDue() {
        long next = space.endPublished() ? -1 : space.coveredAt(space.end());
        for (PandasTable t : tables.values()) {
            TableAppender a = t.appender();
            long due = a == null ? -1 : a.nextDue(space);
            if (due >= 0 && (next < 0 || due < next)) {
                next = due;
            }
        }
        return next;
    }

    private void schedule(long due) {
        if (publishTask != null) {
            publishTask.cancel(false);
            publishTask = null;
        }
        if (due < 0) {
            return;
        }
        long delay = Math.max(1, due - System.nanoTime());
        publishTask = publisher().schedule(this::publishLater, delay + TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.NANOSECONDS);
    }

    private void publishLater() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                publishDue();
            } catch (RuntimeException e) {
                // the next flush or close reports it; nothing the writer acknowledged depends on this
                publishTask = null;
            }
        }
    }

    private static ScheduledExecutorService publisher() {
        ScheduledExecutorService p = publisher;
        if (p == null) {
            synchronized (PandasStoreFile.class) {
                p = publisher;
                if (p == null) {
                    p = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "cox4j-store.h5-publisher");
                        t.setDaemon(true);
                        return t;
                    });
                    publisher = p;
                }
            }
        }
        return p;
    }

    /**
     * Makes every appended row visible: if nothing waits, nothing to do; a file with unused space,
     * or a small one, is rewritten; else waits until the delay allows and publishes. Holds the lock.
     *
     * @param closing whether the file closes after (a rewrite then is always worth it when space is unused)
     */
    private void finish(boolean closing) {
        commit();
        publishDue();
        long next = nextDue();
        long threshold = closing ? rewriteRatherThanWait : Math.min(rewriteRatherThanWait, SYNC_REWRITE_RATHER_THAN_WAIT);
        if ((closing && unused > 0 && modified) || (next >= 0 && space.end() < threshold)) {
            rewrite();
            return;
        }
        if (!closing) {
            // a writer that syncs is not held up: the scheduled publications follow (docs/live-reads.md)
            return;
        }
        while (next >= 0) {
            long sleep = Math.max(1, Math.min(next, System.nanoTime() + PUBLISH_DELAY_NANOS) - System.nanoTime());
            try {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoxIOException("interrupted while publishing the last rows of " + path, null);
            }
            publishDue();
            next = nextDue();
        }
        if (closing) {
            space.trim();
        }
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
        List<StoreFileBuilder.Link> links = new ArrayList<>();
        for (SymbolTable.Entry e : structure.rootLinks) {
            PandasTable t = tables.get(e.name());
            if (t == null || !t.touched()) {
                links.add(new StoreFileBuilder.CopiedObject(e.name(), e.header()));
            } else {
                links.add(image(t));
            }
        }
        for (PandasTable t : tables.values()) {
            if (t.disk() == null && t.nrows() > 0) {
                links.add(image(t));
            }
        }
        List<ObjectHeader.NewMessage> root = new ArrayList<>();
        for (ObjectHeader.Message m : structure.rootHeader.all(ObjectHeader.ATTRIBUTE)) {
            root.add(raw(m));
        }
        try {
            StoreFileBuilder.write(tmp, bytes, structure.superblock, root, links);
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

    private static ObjectHeader.NewMessage raw(ObjectHeader.Message m) {
        byte[] b = new byte[m.size()];
        m.buffer().get(b);
        return new ObjectHeader.NewMessage(m.type(), m.flags(), b);
    }

    /** What a rewrite writes for table {@code t}: its rows on disk (widened if need be), then its pending rows. */
    private StoreFileBuilder.TableImage image(PandasTable t) {
        BlockLayout layout = t.layout();
        FileStructure.Table disk = t.disk();
        long diskRows = t.diskRows();
        long total = diskRows + t.pending().size();
        List<ObjectHeader.NewMessage> groupMessages = new ArrayList<>();
        List<ObjectHeader.NewMessage> datasetMessages = new ArrayList<>();
        List<StoreFileBuilder.CopiedObject> children = new ArrayList<>();
        int nrowsIndex = -1;
        long chunkRows;
        boolean widened = layout != t.diskLayout();
        if (disk == null) {
            for (Attribute a : PandasAttributes.group(t.name(), t.columns(), layout)) {
                groupMessages.add(a.message());
            }
            datasetMessages.add(new ObjectHeader.NewMessage(ObjectHeader.FILL_VALUE, ObjectHeader.FLAG_CONSTANT,
                    StoreFileBuilder.FILL_VALUE));
            datasetMessages.add(new ObjectHeader.NewMessage(ObjectHeader.MODIFICATION_TIME, 0,
                    StoreFileBuilder.modificationTime(clock)));
            for (Attribute a : PandasAttributes.dataset(t.columns(), layout, total)) {
                if (a.name().equals("NROWS")) {
                    nrowsIndex = datasetMessages.size();
                }
                datasetMessages.add(a.message());
            }
            chunkRows = chunkRowsOverride > 0 ? chunkRowsOverride
                    : chunkRows(layout.rowSize, Math.max(t.expectedRows(), t.pending().size()));
        } else {
            for (ObjectHeader.Message m : disk.groupHeader.all(ObjectHeader.ATTRIBUTE)) {
                groupMessages.add(raw(m));
            }
            for (SymbolTable.Entry e : disk.groupLinks) {
                if (!e.name().equals("table") && !e.name().equals("_i_table")) {
                    children.add(new StoreFileBuilder.CopiedObject(e.name(), e.header()));
                }
            }
            List<Attribute> widenedAttributes = widened
                    ? PandasAttributes.widened(disk.dataset.attributes, layout, total) : null;
            int attribute = 0;
            for (ObjectHeader.Message m : disk.dataset.objectHeader.messages) {
                switch (m.type()) {
                    case ObjectHeader.FILL_VALUE:
                    case ObjectHeader.FILL_VALUE_OLD:
                    case ObjectHeader.MODIFICATION_TIME:
                    case ObjectHeader.MODIFICATION_TIME_OLD:
                    case ObjectHeader.COMMENT:
                        datasetMessages.add(raw(m));
                        break;
                    case ObjectHeader.ATTRIBUTE: {
                        Attribute a = disk.dataset.attributes.get(attribute);
                        if (a.name().equals("NROWS")) {
                            nrowsIndex = datasetMessages.size();
                        }
                        datasetMessages.add(widened ? widenedAttributes.get(attribute).message() : raw(m));
                        attribute++;
                        break;
                    }
                    default:
                        break;
                }
            }
            chunkRows = !widened ? disk.dataset.chunkRows
                    : chunkRowsOverride > 0 ? chunkRowsOverride : chunkRows(layout.rowSize, total);
        }
        Datatype.Compound rowType = disk != null && !widened ? disk.dataset.rowType : PandasAttributes.rowType(layout);
        long srcChunkRows = disk == null ? 0 : disk.dataset.chunkRows;
        long finalChunkRows = chunkRows;
        StoreFileBuilder.Rows rows = new StoreFileBuilder.Rows() {
            @Override
            public long count() {
                return total;
            }

            @Override
            public void fill(long first, int n, byte[] out) {
                int done = 0;
                if (first < diskRows) {
                    int m = (int) Math.min(n, diskRows - first);
                    t.fillFromDisk(first, m, out, layout);
                    done = m;
                }
                if (done < n) {
                    int from = (int) (first + done - diskRows);
                    byte[] b = t.encodePending(from, n - done, first + done);
                    System.arraycopy(b, 0, out, done * layout.rowSize, b.length);
                }
            }

            @Override
            public long wholeChunk(long first) {
                if (widened || disk == null || srcChunkRows != finalChunkRows || first + finalChunkRows > diskRows) {
                    return -1;
                }
                int c = (int) (first / srcChunkRows);
                TableAppender a = t.appender();
                return a != null ? a.chunkAddress(c) : disk.dataset.chunkAddress[c];
            }
        };
        return new StoreFileBuilder.TableImage(t.name(), groupMessages, rowType, chunkRows, datasetMessages,
                nrowsIndex, rows, children);
    }

    /**
     * Rows per chunk as PyTables chooses them for a table of {@code rowSize}-byte rows expected to
     * hold {@code expectedRows} (pandas passes at least 10,000): 64 KiB for up to 10 MB of rows,
     * doubling per decade of megabytes.
     */
    static long chunkRows(int rowSize, long expectedRows) {
        long rows = Math.max(expectedRows, 10_000);
        long mb = Math.multiplyHigh(rows, rowSize) != 0 ? Long.MAX_VALUE : rows * rowSize / (1024 * 1024);
        mb = Math.max(1, Math.min(mb, 10_000_000));
        int zone = (int) Math.floor(Math.log10(mb) + 1e-12);
        long chunkBytes = 8L * 8192 * (1L << zone);
        return Math.max(1, chunkBytes / rowSize);
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
        return JhdfTables.read(path, t.name(), t.frame(), start, count);
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
            if (publishTask != null) {
                publishTask.cancel(false);
            }
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
        if (publishTask != null) {
            publishTask.cancel(false);
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
            closeChannel();
            if (bytes != null) {
                bytes.close();
            }
        } catch (RuntimeException ignored) {
            // the original failure is what the caller sees
        }
    }
}
