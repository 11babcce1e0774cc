package cox.store.hdf5;

import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDONLY;
import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDWR;
import static hdf.hdf5lib.HDF5Constants.H5F_ACC_TRUNC;
import static hdf.hdf5lib.HDF5Constants.H5F_SCOPE_GLOBAL;
import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5P_FILE_ACCESS;
import static hdf.hdf5lib.HDF5Constants.H5_INDEX_NAME;
import static hdf.hdf5lib.HDF5Constants.H5_ITER_INC;

import cox.store.Schema;
import cox.store.StoreFormatException;
import hdf.hdf5lib.H5;
import hdf.hdf5lib.exceptions.HDF5Exception;
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
 * so pandas, PyTables and other cox4j processes can read it while it is written.
 *
 * <p>Thread-safe: every method takes the process-wide HDF5 lock. Not part of the cox4j API.
 */
public final class PandasStoreFile implements AutoCloseable {
    private final Path path;
    private final boolean writable;
    /** Where widened tables' old datasets wait until close (pandas lists no group without pandas attributes). */
    private static final String RETIRED = "/.cox4j_retired";

    private final Map<String, PandasTable> tables = new LinkedHashMap<>();
    private long fileId = -1;
    private long retiredCount;

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
            return f;
        } catch (HDF5Exception e) {
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
                PandasTable t = PandasTable.open(f, name);
                if (t != null) {
                    f.tables.put(name, t);
                }
            }
            return f;
        } catch (HDF5Exception | IllegalArgumentException e) {
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
     * @param schema its columns
     * @param stringWidth initial width of the string block, at least 1
     * @return the new table
     */
    public PandasTable createTable(String name, Schema schema, int stringWidth) {
        checkWritable();
        Hdf5Library.LOCK.lock();
        try {
            if (tables.containsKey(name)) {
                throw new IllegalStateException("table '" + name + "' exists already in " + path);
            }
            PandasTable t = PandasTable.create(this, name, schema, stringWidth);
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
            H5.H5Fflush(fileId, H5F_SCOPE_GLOBAL);
        } catch (HDF5Exception e) {
            throw new StoreFormatException("cannot flush HDF5 file " + path + ": " + e.getMessage(), e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /** A fresh path under {@value #RETIRED} for a replaced dataset of table {@code table}. Holds the lock. */
    String retiredName(String table) throws HDF5Exception {
        if (!H5.H5Lexists(fileId, RETIRED, H5P_DEFAULT)) {
            H5.H5Gclose(H5.H5Gcreate(fileId, RETIRED, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        }
        return RETIRED + "/" + table + "_" + (retiredCount++);
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
