package cox.testing;

import static hdf.hdf5lib.HDF5Constants.H5F_ACC_RDWR;
import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5P_FILE_ACCESS;
import static hdf.hdf5lib.HDF5Constants.H5S_ALL;
import static hdf.hdf5lib.HDF5Constants.H5S_SCALAR;
import static hdf.hdf5lib.HDF5Constants.H5T_CSET_ASCII;
import static hdf.hdf5lib.HDF5Constants.H5T_C_S1;
import static hdf.hdf5lib.HDF5Constants.H5T_STR_NULLTERM;

import cox.pickle.PickleWriter;
import cox.pickle.PythonGlobal;
import hdf.hdf5lib.H5;
import hdf.hdf5lib.exceptions.HDF5Exception;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * Changes a {@code store.h5} field by field through the HDF Group's library (bytedeco's build, an
 * independent implementation), as damage or another program would: a table's extent (its row
 * count), its name, its COX_DATA, a byte of its rows. For tests of what cox4j does with such a
 * file; the file must not be open in cox4j meanwhile.
 */
public final class H5Damage {
    private static boolean loaded;

    private H5Damage() {
    }

    private static synchronized void load() throws Exception {
        if (!loaded) {
            String lib = Loader.load(org.bytedeco.hdf5.hdf5_java.class);
            if (lib != null && System.getProperty("hdf.hdf5lib.H5.hdf5lib") == null) {
                System.setProperty("hdf.hdf5lib.H5.hdf5lib", lib);
            }
            H5.H5open();
            H5.H5error_off();
            loaded = true;
        }
    }

    private interface FileAction {
        void apply(long file) throws HDF5Exception;
    }

    private static void change(Path file, FileAction action) {
        try {
            load();
            long fapl = H5.H5Pcreate(H5P_FILE_ACCESS);
            H5.H5Pset_file_locking(fapl, false, true);
            long f = H5.H5Fopen(file.toString(), H5F_ACC_RDWR, fapl);
            H5.H5Pclose(fapl);
            try {
                action.apply(f);
            } finally {
                H5.H5Fclose(f);
            }
        } catch (Exception e) {
            throw new AssertionError("cannot change " + file + ": " + e, e);
        }
    }

    /**
     * Sets the extent of {@code /TABLE/table} to {@code rows}, leaving {@code NROWS} and the
     * chunks as they are: the count a flipped byte in the dataspace makes.
     */
    public static void setExtent(Path file, String table, long rows) {
        change(file, f -> {
            long d = H5.H5Dopen(f, "/" + table + "/table", H5P_DEFAULT);
            try {
                H5.H5Dset_extent(d, new long[] {rows});
            } finally {
                H5.H5Dclose(d);
            }
        });
    }

    /**
     * Rewrites {@code /TABLE/table} compressed, as pandas writes it with {@code complib='zlib'}:
     * chunks of {@code chunkRows} rows, shuffled then deflated at {@code level}, the same rows and
     * attributes. For tests that need a compressed table without Python.
     */
    public static void compressTable(Path file, String table, long chunkRows, int level) {
        change(file, f -> {
            String path = "/" + table + "/table";
            long d = H5.H5Dopen(f, path, H5P_DEFAULT);
            long type = H5.H5Dget_type(d);
            long space = H5.H5Dget_space(d);
            long[] dims = new long[1];
            H5.H5Sget_simple_extent_dims(space, dims, null);
            byte[] rows = new byte[Math.toIntExact(dims[0] * H5.H5Tget_size(type))];
            H5.H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
            long dcpl = H5.H5Pcreate(hdf.hdf5lib.HDF5Constants.H5P_DATASET_CREATE);
            H5.H5Pset_chunk(dcpl, 1, new long[] {chunkRows});
            H5.H5Pset_shuffle(dcpl);
            H5.H5Pset_deflate(dcpl, level);
            long newSpace = H5.H5Screate_simple(1, dims, new long[] {hdf.hdf5lib.HDF5Constants.H5S_UNLIMITED});
            long nd = H5.H5Dcreate(f, path + "_z", type, newSpace, H5P_DEFAULT, dcpl, H5P_DEFAULT);
            H5.H5Dwrite(nd, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
            int attributes = (int) H5.H5Oget_info(d).num_attrs;
            for (int i = 0; i < attributes; i++) {
                long a = H5.H5Aopen_by_idx(d, ".", hdf.hdf5lib.HDF5Constants.H5_INDEX_NAME,
                        hdf.hdf5lib.HDF5Constants.H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT);
                String name = H5.H5Aget_name(a);
                long atype = H5.H5Aget_type(a);
                long aspace = H5.H5Aget_space(a);
                byte[] value = new byte[(int) H5.H5Aget_storage_size(a)];
                long na = H5.H5Acreate(nd, name, atype, aspace, H5P_DEFAULT, H5P_DEFAULT);
                if (value.length > 0) {
                    H5.H5Aread(a, atype, value);
                    H5.H5Awrite(na, atype, value);
                }
                H5.H5Aclose(na);
                H5.H5Sclose(aspace);
                H5.H5Tclose(atype);
                H5.H5Aclose(a);
            }
            H5.H5Dclose(nd);
            H5.H5Sclose(newSpace);
            H5.H5Pclose(dcpl);
            H5.H5Sclose(space);
            H5.H5Tclose(type);
            H5.H5Dclose(d);
            H5.H5Ldelete(f, path, H5P_DEFAULT);
            H5.H5Lmove(f, path + "_z", f, path, H5P_DEFAULT, H5P_DEFAULT);
        });
    }

    /** Renames table (group) {@code from} to {@code to}. */
    public static void renameTable(Path file, String from, String to) {
        change(file, f -> H5.H5Lmove(f, "/" + from, f, "/" + to, H5P_DEFAULT, H5P_DEFAULT));
    }

    /** Adds an empty group {@code name} at the root: an object of another program that is no frame table. */
    public static void addGroup(Path file, String name) {
        change(file, f -> H5.H5Gclose(H5.H5Gcreate(f, "/" + name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    }

    /** Unlinks table (group) {@code name}. */
    public static void dropTable(Path file, String name) {
        change(file, f -> H5.H5Ldelete(f, "/" + name, H5P_DEFAULT));
    }

    /**
     * Replaces the COX_DATA attribute of table {@code table} with one whose schema is
     * {@code schema} (column name to a Python builtin class name or a marker string such as
     * {@code "__object__"}).
     */
    public static void setCoxData(Path file, String table, Map<String, Object> schema) {
        Map<Object, Object> coxSchema = new LinkedHashMap<>();
        schema.forEach((k, v) -> coxSchema.put(k, v instanceof String s && !s.startsWith("__")
                ? new PythonGlobal("builtins", s) : v));
        Map<Object, Object> coxData = new LinkedHashMap<>();
        coxData.put("schema", coxSchema);
        coxData.put("name", table);
        byte[] pickle = PickleWriter.dumpsProtocol0(coxData);
        change(file, f -> {
            long g = H5.H5Gopen(f, "/" + table, H5P_DEFAULT);
            try {
                H5.H5Adelete(g, "COX_DATA");
                long type = H5.H5Tcopy(H5T_C_S1);
                H5.H5Tset_size(type, pickle.length);
                H5.H5Tset_strpad(type, H5T_STR_NULLTERM);
                H5.H5Tset_cset(type, H5T_CSET_ASCII);
                long space = H5.H5Screate(H5S_SCALAR);
                long a = H5.H5Acreate(g, "COX_DATA", type, space, H5P_DEFAULT, H5P_DEFAULT);
                H5.H5Awrite(a, type, pickle);
                H5.H5Aclose(a);
                H5.H5Sclose(space);
                H5.H5Tclose(type);
            } finally {
                H5.H5Gclose(g);
            }
        });
    }

    /**
     * XORs byte {@code byteInRow} of row {@code row} of {@code /TABLE/table} (as the file stores
     * the row: the int64 index first, then the value blocks) with {@code mask}.
     */
    public static void flipRowByte(Path file, String table, int row, int byteInRow, int mask) {
        change(file, f -> {
            long d = H5.H5Dopen(f, "/" + table + "/table", H5P_DEFAULT);
            long type = H5.H5Dget_type(d);
            long space = H5.H5Dget_space(d);
            try {
                long[] dims = new long[1];
                H5.H5Sget_simple_extent_dims(space, dims, null);
                int rowSize = (int) H5.H5Tget_size(type);
                byte[] all = new byte[(int) dims[0] * rowSize];
                H5.H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, all);
                all[row * rowSize + byteInRow] ^= (byte) mask;
                H5.H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, all);
            } finally {
                H5.H5Sclose(space);
                H5.H5Tclose(type);
                H5.H5Dclose(d);
            }
        });
    }
}
