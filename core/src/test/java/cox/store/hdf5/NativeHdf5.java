package cox.store.hdf5;

import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDONLY;
import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5P_FILE_ACCESS;
import static hdf.hdf5lib.HDF5Constants.H5S_ALL;

import hdf.hdf5lib.H5;
import hdf.hdf5lib.HDF5Constants;
import hdf.hdf5lib.exceptions.HDF5Exception;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.Loader;

/**
 * The HDF Group's own library (bytedeco's build, test scope only) as an independent second
 * implementation: tests open cox4j's files with it, walk every object, read every attribute and
 * every table's rows, and compare with what cox4j reads.
 */
final class NativeHdf5 {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static boolean loaded;

    private NativeHdf5() {
    }

    private static void load() {
        if (!loaded) {
            String lib = Loader.load(org.bytedeco.hdf5.hdf5_java.class);
            if (lib != null && System.getProperty("hdf.hdf5lib.H5.hdf5lib") == null) {
                System.setProperty("hdf.hdf5lib.H5.hdf5lib", lib);
            }
            try {
                H5.H5open();
                H5.H5error_off();
            } catch (HDF5Exception e) {
                throw new AssertionError(e);
            }
            loaded = true;
        }
    }

    /** A table's rows as the native library reads them: the raw bytes in the file's row type, and the count. */
    record Rows(long count, int rowSize, byte[] bytes) {
    }

    /** What the native library finds in a file: each object's path, and for each its attribute names and raw values. */
    record Contents(Map<String, Map<String, byte[]>> attributes, Map<String, Rows> tables) {
    }

    /** Opens {@code file} read-only, visits every object, reads every attribute and every dataset. */
    static Contents read(Path file) {
        LOCK.lock();
        try {
            load();
            long fapl = H5.H5Pcreate(H5P_FILE_ACCESS);
            H5.H5Pset_file_locking(fapl, false, true);
            long fid = H5.H5Fopen(file.toString(), H5F_ACC_RDONLY, fapl);
            H5.H5Pclose(fapl);
            try {
                Map<String, Map<String, byte[]>> attrs = new TreeMap<>();
                Map<String, Rows> tables = new TreeMap<>();
                visit(fid, "/", attrs, tables);
                return new Contents(attrs, tables);
            } finally {
                H5.H5Fclose(fid);
            }
        } catch (HDF5Exception e) {
            throw new AssertionError("the HDF5 library cannot read " + file + ": " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    private static void visit(long fid, String path, Map<String, Map<String, byte[]>> attrs, Map<String, Rows> tables)
            throws HDF5Exception {
        long oid = H5.H5Oopen(fid, path, H5P_DEFAULT);
        try {
            attrs.put(path, attributes(oid));
            int type = H5.H5Iget_type(oid);
            if (type == HDF5Constants.H5I_GROUP) {
                long n = H5.H5Gget_info(oid).nlinks;
                List<String> names = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    names.add(H5.H5Lget_name_by_idx(oid, ".", HDF5Constants.H5_INDEX_NAME, HDF5Constants.H5_ITER_INC, i,
                            H5P_DEFAULT));
                }
                for (String name : names) {
                    visit(fid, path.equals("/") ? "/" + name : path + "/" + name, attrs, tables);
                }
            } else if (type == HDF5Constants.H5I_DATASET) {
                long ftype = H5.H5Dget_type(oid);
                long space = H5.H5Dget_space(oid);
                try {
                    int size = (int) H5.H5Tget_size(ftype);
                    long n = H5.H5Sget_simple_extent_npoints(space);
                    byte[] buf = new byte[(int) (n * size)];
                    if (n > 0) {
                        H5.H5Dread(oid, ftype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
                    }
                    tables.put(path, new Rows(n, size, buf));
                } finally {
                    H5.H5Sclose(space);
                    H5.H5Tclose(ftype);
                }
            }
        } finally {
            H5.H5Oclose(oid);
        }
    }

    private static Map<String, byte[]> attributes(long oid) throws HDF5Exception {
        Map<String, byte[]> out = new TreeMap<>();
        long n = H5.H5Oget_info(oid).num_attrs;
        for (long i = 0; i < n; i++) {
            String name = H5.H5Aget_name_by_idx(oid, ".", HDF5Constants.H5_INDEX_NAME, HDF5Constants.H5_ITER_INC, i,
                    H5P_DEFAULT);
            long attr = H5.H5Aopen(oid, name, H5P_DEFAULT);
            try {
                long type = H5.H5Aget_type(attr);
                long space = H5.H5Aget_space(attr);
                try {
                    if (H5.H5Sget_simple_extent_type(space) == HDF5Constants.H5S_NULL) {
                        out.put(name, new byte[0]);
                    } else {
                        byte[] b = new byte[(int) (H5.H5Tget_size(type) * H5.H5Sget_simple_extent_npoints(space))];
                        H5.H5Aread(attr, type, b);
                        out.put(name, b);
                    }
                } finally {
                    H5.H5Sclose(space);
                    H5.H5Tclose(type);
                }
            } finally {
                H5.H5Aclose(attr);
            }
        }
        return out;
    }
}
