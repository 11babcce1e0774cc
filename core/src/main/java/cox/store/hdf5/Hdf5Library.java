package cox.store.hdf5;

import hdf.hdf5lib.H5;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the native HDF5 library (bundled by bytedeco) once and holds the one process-wide lock
 * that every HDF5 call of cox4j takes: the native library is not thread-safe.
 */
final class Hdf5Library {
    /** Held around every sequence of HDF5 calls. Reentrant so that helpers may nest. */
    static final ReentrantLock LOCK = new ReentrantLock();

    private static volatile boolean loaded;

    private Hdf5Library() {
    }

    /** Loads the natives on first use; later calls return at once. */
    static void load() {
        if (loaded) {
            return;
        }
        LOCK.lock();
        try {
            if (!loaded) {
                String lib = Loader.load(org.bytedeco.hdf5.hdf5_java.class);
                // tell the HDF Group's H5 class where its natives are, so it does not search java.library.path
                if (lib != null && System.getProperty("hdf.hdf5lib.H5.hdf5lib") == null) {
                    System.setProperty("hdf.hdf5lib.H5.hdf5lib", lib);
                }
                H5.H5open();
                H5.H5error_off(); // failures reach us as exceptions; no stack dumps on stderr
                loaded = true;
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the native HDF5 library: " + e, e);
        } finally {
            LOCK.unlock();
        }
    }
}
