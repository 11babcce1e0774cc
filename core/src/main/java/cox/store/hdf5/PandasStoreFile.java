package cox.store.hdf5;

import static hdf.hdf5lib.HDF5Constants.H5D_ALLOC_TIME_EARLY;
import static hdf.hdf5lib.HDF5Constants.H5D_COMPACT;
import static hdf.hdf5lib.HDF5Constants.H5D_CONTIGUOUS;
import static hdf.hdf5lib.HDF5Constants.H5D_FILL_TIME_NEVER;
import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDONLY;
import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDWR;
import static hdf.hdf5lib.HDF5Constants.H5F_ACC_TRUNC;
import static hdf.hdf5lib.HDF5Constants.H5F_SCOPE_GLOBAL;
import static hdf.hdf5lib.HDF5Constants.H5P_DATASET_CREATE;
import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5P_FILE_ACCESS;
import static hdf.hdf5lib.HDF5Constants.H5T_STD_U8LE;
import static hdf.hdf5lib.HDF5Constants.H5_INDEX_NAME;
import static hdf.hdf5lib.HDF5Constants.H5_ITER_INC;

import cox.exceptions.StoreFormatException;
import cox.exceptions.UnpicklingException;
import hdf.hdf5lib.H5;
import hdf.hdf5lib.exceptions.HDF5Exception;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code store.h5} as pandas' {@code HDFStore} lays it out: one group per table holding a
 * PyTables "table" dataset in the "frame_table" format (FORMAT.md). This is the only code in
 * cox4j, with {@link PandasTable}, that calls the native HDF5 library; every call holds
 * {@link Hdf5Library#LOCK}.
 *
 * <p>The file is opened with HDF5 file locking off and the default (not "latest") file format,
 * so pandas, PyTables and other cox4j processes can read it while it is written. Such a reader
 * takes the end of the file's address space from the superblock when it opens the file and
 * refuses to read past it; so a writable file keeps a reserve of freed space below the end
 * (see {@link #keepReserve}) where HDF5 puts new chunks and B-tree nodes, instead of at the end
 * where a reader that opened a moment earlier could not follow the index that points at them.
 *
 * <p>Thread-safe: every method takes the process-wide HDF5 lock. Not part of the cox4j API.
 */
public final class PandasStoreFile implements AutoCloseable {
    private final Path path;
    private final boolean writable;
    /** Where widened tables' old datasets wait until close (pandas lists no group without pandas attributes). */
    /** Names of cox4j's own groups start so; they are never tables. */
    static final String HIDDEN_PREFIX = ".cox4j_";
    private static final String RETIRED = "/" + HIDDEN_PREFIX + "retired";

    /** The least raw-data reserve: a few new chunks of a slow writer. */
    private static final long RAW_RESERVE_MIN = 1 << 20;
    /** Seconds of appends the reserve must hold: longer than a reader takes to read a table. */
    private static final double RESERVE_LEAD_SECONDS = 3;
    /** The shortest time over which the append rate is measured: the writer's flush interval. */
    private static final double MIN_RATE_SECONDS = 0.2;
    /** Metadata (chunk B-tree nodes) a new chunk costs, with room to spare: a 2096-byte node per 32 chunks. */
    private static final long META_PER_CHUNK = 128;
    /** The smallest chunk a table has: whole rows filling more than half of 65520 bytes. */
    private static final long CHUNK_BYTES_MIN = 32760;
    /** Size of one metadata reserve block: a compact dataset's data lives in its object header, under 64 KiB. */
    private static final int META_BLOCK = 60000;

    private final Map<String, PandasTable> tables = new LinkedHashMap<>();
    private long fileId = -1;
    private long retiredCount;
    /** Newest reserve blocks, still allocated so that the blocks freed before them are not at the end of the file. */
    private long rawSentinel = -1;
    private long rawSentinelBytes;
    private final List<Long> metaSentinels = new ArrayList<>();
    /** Reserve handed to HDF5's free-space manager and not yet used by new chunks (an estimate). */
    private long rawFree;
    private long metaFree;
    /** Raw bytes of new chunks since the last flush, and the append rate seen (decaying peak, bytes/s). */
    private long rawUsedSinceFlush;
    private double rawRate;
    private long lastFlushNanos = System.nanoTime();

    private PandasStoreFile(Path path, boolean writable) {
        this.path = path;
        this.writable = writable;
    }

    /**
     * Creates (or truncates) {@code file} as an empty pandas store.
     *
     * @param file the store.h5 path
     * @return the open, writable file
     */
    public static PandasStoreFile create(Path file) {
        Hdf5Library.load();
        PandasStoreFile f = new PandasStoreFile(file, true);
        Hdf5Library.LOCK.lock();
        try {
            long fapl = fileAccess();
            try {
                f.fileId = H5.H5Fcreate(file.toString(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
            } finally {
                H5.H5Pclose(fapl);
            }
            long root = H5.H5Gopen(f.fileId, "/", H5P_DEFAULT);
            try {
                Attributes.writeString(root, "CLASS", "GROUP");
                Attributes.writeString(root, "PYTABLES_FORMAT_VERSION", "2.1");
                Attributes.writeString(root, "TITLE", "");
                Attributes.writeString(root, "VERSION", "1.0");
            } finally {
                H5.H5Gclose(root);
            }
            f.flushWithReserve();
            return f;
        } catch (HDF5Exception | IOException e) {
            f.closeQuietly();
            throw new StoreFormatException("cannot create HDF5 file " + file + ": " + e.getMessage(), e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /**
     * Opens an existing store and reads the description of every frame table in it.
     *
     * @param file the store.h5 path
     * @param writable open read-write (to append) or read-only
     * @return the open file
     * @throws StoreFormatException if the file cannot be opened or a table cannot be understood
     */
    public static PandasStoreFile open(Path file, boolean writable) {
        Hdf5Library.load();
        PandasStoreFile f = new PandasStoreFile(file, writable);
        Hdf5Library.LOCK.lock();
        try {
            long fapl = fileAccess();
            try {
                f.fileId = H5.H5Fopen(file.toString(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
            } finally {
                H5.H5Pclose(fapl);
            }
            for (String name : f.groupNames()) {
                if (name.startsWith(HIDDEN_PREFIX)) {
                    if (writable) {
                        // left by a writer that was killed: retired datasets and never-published tables
                        H5.H5Ldelete(f.fileId, "/" + name, H5P_DEFAULT);
                    }
                    continue;
                }
                PandasTable t = PandasTable.open(f, name);
                if (t != null) {
                    f.tables.put(name, t);
                }
            }
            if (writable) {
                f.flushWithReserve();
            }
            return f;
        } catch (HDF5Exception | IOException | IllegalArgumentException | UnpicklingException e) {
            f.closeQuietly();
            throw new StoreFormatException("cannot read HDF5 file " + file + " as a pandas store: " + e.getMessage(), e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    private static long fileAccess() throws HDF5Exception {
        long fapl = H5.H5Pcreate(H5P_FILE_ACCESS);
        // No HDF5 file lock: readers (pandas, cox4j READ mode) must be able to open the file while we write it.
        H5.H5Pset_file_locking(fapl, false, true);
        return fapl;
    }

    private List<String> groupNames() throws HDF5Exception {
        List<String> names = new ArrayList<>();
        long root = H5.H5Gopen(fileId, "/", H5P_DEFAULT);
        try {
            long n = H5.H5Gget_info(root).nlinks;
            for (long i = 0; i < n; i++) {
                names.add(H5.H5Lget_name_by_idx(root, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT));
            }
        } finally {
            H5.H5Gclose(root);
        }
        return names;
    }

    /** @return the path of this file */
    public Path path() {
        return path;
    }

    /** @return the names of the frame tables, in the file's (alphabetical) link order */
    public List<String> tableNames() {
        Hdf5Library.LOCK.lock();
        try {
            return List.copyOf(tables.keySet());
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /**
     * @param name a table name
     * @return the table, or null if the file has no frame table of that name
     */
    public PandasTable table(String name) {
        Hdf5Library.LOCK.lock();
        try {
            return tables.get(name);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /**
     * Creates table {@code name}, its string block {@code stringWidth} bytes wide, with no rows.
     *
     * @param name the table name (a top-level group)
     * @param columns its columns, in order, each with its COX_DATA type
     * @param stringWidth initial width of the string block, at least 1
     * @return the new table
     */
    public PandasTable createTable(String name, List<FrameColumn> columns, int stringWidth) {
        checkWritable();
        Hdf5Library.LOCK.lock();
        try {
            if (tables.containsKey(name)) {
                throw new IllegalStateException("table '" + name + "' exists already in " + path);
            }
            PandasTable t = PandasTable.create(this, name, columns, stringWidth);
            tables.put(name, t);
            return t;
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /** Writes everything HDF5 holds in memory to the file (not an fsync). */
    public void flush() {
        Hdf5Library.LOCK.lock();
        try {
            checkOpen();
            if (writable) {
                flushWithReserve();
            } else {
                H5.H5Fflush(fileId, H5F_SCOPE_GLOBAL);
            }
        } catch (IOException e) {
            throw new StoreFormatException("cannot extend HDF5 file " + path + ": " + e.getMessage(), e);
        } catch (HDF5Exception e) {
            throw new StoreFormatException("cannot flush HDF5 file " + path + ": " + e.getMessage(), e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /** Tops up the reserve, then flushes, so that the superblock written already covers it. Holds the lock. */
    private void flushWithReserve() throws HDF5Exception, IOException {
        keepReserve();
        extendToEndOfAllocation();
        H5.H5Fflush(fileId, H5F_SCOPE_GLOBAL);
    }

    /**
     * Notes that a table's append or rewrite gave HDF5 {@code chunks} new chunks of
     * {@code chunkBytes} each to place. Holds the lock.
     */
    void chunksAllocated(long chunks, long chunkBytes) {
        rawUsedSinceFlush += chunks * chunkBytes;
        rawFree -= chunks * chunkBytes;
        metaFree -= chunks * META_PER_CHUNK;
    }

    /**
     * Keeps enough freed space below the end of the file for the next seconds of appends. HDF5
     * places a new chunk or B-tree node in the smallest free section that fits, else at the end
     * of the file; space freed there would just shrink the file. So each top-up allocates a new
     * block (an anonymous dataset with its storage allocated early, larger than all free space,
     * hence at the end of the file) and frees the block allocated by the previous top-up, which
     * the new one now follows. New chunks thus go into space that a superblock flushed at least
     * one top-up earlier already covers. At close the last blocks are freed, and HDF5 cuts what
     * is left at the end of the file. Holds the lock.
     */
    private void keepReserve() throws HDF5Exception {
        long now = System.nanoTime();
        // A flush right after another (a sync) says little about the rate: count at least one flush interval.
        double seconds = Math.max(MIN_RATE_SECONDS, (now - lastFlushNanos) / 1e9);
        rawRate = Math.max(rawUsedSinceFlush / seconds, rawRate * 0.95);
        rawUsedSinceFlush = 0;
        lastFlushNanos = now;
        long rawLow = Math.max(RAW_RESERVE_MIN, (long) (rawRate * RESERVE_LEAD_SECONDS));
        long metaLow = Math.max(META_BLOCK, rawLow / CHUNK_BYTES_MIN * META_PER_CHUNK);
        // The first top-up only makes the block the second one frees.
        for (int i = 0; i < 2 && (rawFree < rawLow || metaFree < metaLow || rawSentinel < 0); i++) {
            topUp(2 * rawLow, 2 * metaLow);
        }
    }

    private void topUp(long rawBytes, long metaBytes) throws HDF5Exception {
        List<Long> newMeta = new ArrayList<>();
        for (long m = 0; m < metaBytes; m += META_BLOCK) {
            newMeta.add(anonymousBlock(META_BLOCK, true));
        }
        // Created last and larger than all free space: it lands at the end, after everything freed below.
        long newRaw = anonymousBlock(Math.max(rawBytes, H5.H5Fget_freespace(fileId) + 1), false);
        if (rawSentinel >= 0) {
            H5.H5Dclose(rawSentinel);
            rawFree += rawSentinelBytes;
        }
        for (long id : metaSentinels) {
            H5.H5Dclose(id);
            metaFree += META_BLOCK;
        }
        rawSentinel = newRaw;
        rawSentinelBytes = H5.H5Dget_storage_size(newRaw);
        metaSentinels.clear();
        metaSentinels.addAll(newMeta);
    }

    /**
     * Makes the file as long as the space HDF5 has allocated in it. HDF5 writes the superblock,
     * which records that length, before it extends the file to it; a reader opening the file in
     * between would find it shorter than the superblock says and refuse it as truncated. Holds
     * the lock.
     */
    private void extendToEndOfAllocation() throws HDF5Exception, IOException {
        long allocated = H5.H5Fget_filesize(fileId);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            if (raf.length() < allocated) {
                raf.setLength(allocated);
            }
        }
    }

    /** An unlinked dataset of {@code bytes} bytes with its storage allocated now (closing it frees the space). */
    private long anonymousBlock(long bytes, boolean metadata) throws HDF5Exception {
        long space = H5.H5Screate_simple(1, new long[] {bytes}, null);
        long dcpl = H5.H5Pcreate(H5P_DATASET_CREATE);
        try {
            // A compact dataset's bytes are part of its object header, so they are metadata space.
            H5.H5Pset_layout(dcpl, metadata ? H5D_COMPACT : H5D_CONTIGUOUS);
            H5.H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
            H5.H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER);
            return H5.H5Dcreate_anon(fileId, H5T_STD_U8LE, space, dcpl, H5P_DEFAULT);
        } finally {
            H5.H5Pclose(dcpl);
            H5.H5Sclose(space);
        }
    }

    /** A fresh path under {@value #RETIRED} for a replaced dataset of table {@code table}. Holds the lock. */
    String retiredName(String table) throws HDF5Exception {
        if (!H5.H5Lexists(fileId, RETIRED, H5P_DEFAULT)) {
            H5.H5Gclose(H5.H5Gcreate(fileId, RETIRED, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        }
        String name;
        do {
            name = RETIRED + "/" + table + "_" + (retiredCount++);
        } while (H5.H5Lexists(fileId, name, H5P_DEFAULT));
        return name;
    }

    long fileId() {
        checkOpen();
        return fileId;
    }

    boolean writable() {
        return writable;
    }

    void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("HDF5 file " + path + " is open read-only");
        }
    }

    private void checkOpen() {
        if (fileId < 0) {
            throw new IllegalStateException("HDF5 file " + path + " is closed");
        }
    }

    /** Closes the tables and the file; idempotent. */
    @Override
    public void close() {
        Hdf5Library.LOCK.lock();
        try {
            if (fileId < 0) {
                return;
            }
            for (PandasTable t : tables.values()) {
                t.closeHandles();
            }
            tables.clear();
            if (rawSentinel >= 0) {
                H5.H5Dclose(rawSentinel);
                rawSentinel = -1;
            }
            for (long id : metaSentinels) {
                H5.H5Dclose(id);
            }
            metaSentinels.clear();
            if (writable && H5.H5Lexists(fileId, RETIRED, H5P_DEFAULT)) {
                H5.H5Ldelete(fileId, RETIRED, H5P_DEFAULT);
            }
            long id = fileId;
            fileId = -1;
            H5.H5Fclose(id);
        } catch (HDF5Exception e) {
            throw new StoreFormatException("cannot close HDF5 file " + path + ": " + e.getMessage(), e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // the original failure is what the caller sees
        }
    }
}
