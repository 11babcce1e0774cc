package cox.store.hdf5;

import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5S_NULL;
import static hdf.hdf5lib.HDF5Constants.H5S_SCALAR;
import static hdf.hdf5lib.HDF5Constants.H5T_CSET_ASCII;
import static hdf.hdf5lib.HDF5Constants.H5T_CSET_UTF8;
import static hdf.hdf5lib.HDF5Constants.H5T_C_S1;
import static hdf.hdf5lib.HDF5Constants.H5T_IEEE_F64LE;
import static hdf.hdf5lib.HDF5Constants.H5T_STD_B8LE;
import static hdf.hdf5lib.HDF5Constants.H5T_STD_I64LE;
import static hdf.hdf5lib.HDF5Constants.H5T_STR_NULLTERM;
import static hdf.hdf5lib.HDF5Constants.H5_INDEX_NAME;
import static hdf.hdf5lib.HDF5Constants.H5_ITER_INC;

import cox.pickle.PickleWriter;
import cox.pickle.SafeUnpickler;
import hdf.hdf5lib.H5;
import hdf.hdf5lib.exceptions.HDF5Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * PyTables' attribute conventions (FORMAT.md): plain strings are scalar fixed-length UTF-8
 * strings (the empty string a NULL dataspace), pickles fixed-length ASCII strings, integers
 * int64, booleans 8-bit bitfields. Callers hold {@link Hdf5Library#LOCK}.
 */
final class Attributes {
    private Attributes() {
    }

    static void writeString(long loc, String name, String value) throws HDF5Exception {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeText(loc, name, bytes, H5T_CSET_UTF8, bytes.length == 0);
    }

    /** A pickle (protocol 0, ASCII) as PyTables stores a Python object attribute. */
    static void writePickle(long loc, String name, Object value) throws HDF5Exception {
        writeText(loc, name, PickleWriter.dumpsProtocol0(value), H5T_CSET_ASCII, false);
    }

    /** The fill value of a string member: one NUL byte, ASCII, scalar. */
    static void writeEmptyAscii(long loc, String name) throws HDF5Exception {
        writeText(loc, name, new byte[] {0}, H5T_CSET_ASCII, false);
    }

    private static void writeText(long loc, String name, byte[] bytes, int cset, boolean nullSpace)
            throws HDF5Exception {
        long type = H5.H5Tcopy(H5T_C_S1);
        try {
            H5.H5Tset_size(type, Math.max(1, bytes.length));
            H5.H5Tset_strpad(type, H5T_STR_NULLTERM);
            H5.H5Tset_cset(type, cset);
            long space = H5.H5Screate(nullSpace ? H5S_NULL : H5S_SCALAR);
            try {
                write(loc, name, type, space, nullSpace ? null : bytes.length == 0 ? new byte[1] : bytes);
            } finally {
                H5.H5Sclose(space);
            }
        } finally {
            H5.H5Tclose(type);
        }
    }

    static void writeLong(long loc, String name, long value) throws HDF5Exception {
        writeScalar(loc, name, H5T_STD_I64LE, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    static void writeDouble(long loc, String name, double value) throws HDF5Exception {
        writeScalar(loc, name, H5T_IEEE_F64LE,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
    }

    static void writeBool(long loc, String name, boolean value) throws HDF5Exception {
        writeScalar(loc, name, H5T_STD_B8LE, new byte[] {(byte) (value ? 1 : 0)});
    }

    private static void writeScalar(long loc, String name, long type, byte[] bytes) throws HDF5Exception {
        long space = H5.H5Screate(H5S_SCALAR);
        try {
            write(loc, name, type, space, bytes);
        } finally {
            H5.H5Sclose(space);
        }
    }

    /** Writes in place when an attribute of that name and size exists, else (re)creates it. */
    private static void write(long loc, String name, long type, long space, byte[] bytes) throws HDF5Exception {
        if (H5.H5Aexists(loc, name)) {
            H5.H5Adelete(loc, name);
        }
        long attr = H5.H5Acreate(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
        try {
            if (bytes != null) {
                H5.H5Awrite(attr, type, bytes);
            }
        } finally {
            H5.H5Aclose(attr);
        }
    }

    /** Overwrites an existing int64 attribute without recreating it (NROWS after every append). */
    static void updateLong(long loc, String name, long value) throws HDF5Exception {
        if (!H5.H5Aexists(loc, name)) {
            writeLong(loc, name, value);
            return;
        }
        long attr = H5.H5Aopen(loc, name, H5P_DEFAULT);
        try {
            H5.H5Awrite(attr, H5T_STD_I64LE,
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        } finally {
            H5.H5Aclose(attr);
        }
    }

    /** The raw bytes of a fixed-length string attribute up to its first NUL, or null if absent. */
    static byte[] readText(long loc, String name) throws HDF5Exception {
        if (!H5.H5Aexists(loc, name)) {
            return null;
        }
        long attr = H5.H5Aopen(loc, name, H5P_DEFAULT);
        try {
            long type = H5.H5Aget_type(attr);
            long space = H5.H5Aget_space(attr);
            try {
                if (H5.H5Sget_simple_extent_type(space) == H5S_NULL) {
                    return new byte[0];
                }
                if (H5.H5Tis_variable_str(type)) {
                    Object[] out = new Object[1];
                    H5.H5Aread_VLStrings(attr, type, out);
                    return String.valueOf(out[0]).getBytes(StandardCharsets.UTF_8);
                }
                int size = (int) H5.H5Tget_size(type);
                byte[] buf = new byte[size];
                H5.H5Aread(attr, type, buf);
                int end = 0;
                while (end < size && buf[end] != 0) {
                    end++;
                }
                return java.util.Arrays.copyOf(buf, end);
            } finally {
                H5.H5Sclose(space);
                H5.H5Tclose(type);
            }
        } finally {
            H5.H5Aclose(attr);
        }
    }

    static String readString(long loc, String name) throws HDF5Exception {
        byte[] b = readText(loc, name);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A pickled attribute, loaded; null if absent. */
    static Object readPickle(long loc, String name) throws HDF5Exception {
        byte[] b = readText(loc, name);
        return b == null ? null : SafeUnpickler.loads(b);
    }

    static Long readLong(long loc, String name) throws HDF5Exception {
        if (!H5.H5Aexists(loc, name)) {
            return null;
        }
        long attr = H5.H5Aopen(loc, name, H5P_DEFAULT);
        try {
            byte[] buf = new byte[8];
            H5.H5Aread(attr, H5T_STD_I64LE, buf);
            return ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } finally {
            H5.H5Aclose(attr);
        }
    }

    /** Copies every attribute of {@code from} onto {@code to}, byte for byte. */
    static void copyAll(long from, long to) throws HDF5Exception {
        long n = H5.H5Oget_info(from).num_attrs;
        for (long i = 0; i < n; i++) {
            String name = H5.H5Aget_name_by_idx(from, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT);
            long attr = H5.H5Aopen(from, name, H5P_DEFAULT);
            try {
                long type = H5.H5Aget_type(attr);
                long space = H5.H5Aget_space(attr);
                try {
                    byte[] bytes = null;
                    if (H5.H5Sget_simple_extent_type(space) != H5S_NULL) {
                        bytes = new byte[(int) (H5.H5Tget_size(type) * H5.H5Sget_simple_extent_npoints(space))];
                        H5.H5Aread(attr, type, bytes);
                    }
                    write(to, name, type, space, bytes);
                } finally {
                    H5.H5Sclose(space);
                    H5.H5Tclose(type);
                }
            } finally {
                H5.H5Aclose(attr);
            }
        }
    }
}
