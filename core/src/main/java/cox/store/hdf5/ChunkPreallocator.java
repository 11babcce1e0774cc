package cox.store.hdf5;

import org.bytedeco.javacpp.BytePointer;

/**
 * Puts an empty (zero) chunk into a dataset's chunk index at the row where its extent ends,
 * with HDF5's direct chunk write ({@code H5Dwrite_chunk}, from bytedeco's C API: the HDF Group's
 * Java API lacks it), so the index lists a chunk one flush before the extent grows over it.
 *
 * <p>Why: in one {@code H5Fflush} HDF5 writes the dataset's header (the new extent) before the
 * chunk index. A reader (pandas) that reads in between sees rows in a chunk the index does not
 * list yet, and HDF5 hands it fill values: zero rows. With the chunk indexed first, a grown
 * extent only ever covers indexed chunks. Callers hold {@link Hdf5Library#LOCK}.
 */
final class ChunkPreallocator {
    private static BytePointer zeros = new BytePointer(0L);

    private ChunkPreallocator() {
    }

    /**
     * Writes a zero chunk of {@code bytes} bytes at row {@code row}, which must be the dataset's
     * extent and a multiple of its chunk rows.
     */
    static void writeEmptyChunk(long dataset, long row, long bytes) {
        if (zeros.capacity() < bytes) {
            zeros.close();
            zeros = new BytePointer(bytes);
            zeros.zero();
        }
        int status = org.bytedeco.hdf5.global.hdf5.H5Dwrite_chunk(dataset, 0L /* H5P_DEFAULT */, 0,
                new long[] {row}, bytes, zeros);
        if (status < 0) {
            throw new hdf.hdf5lib.exceptions.HDF5LibraryException("H5Dwrite_chunk at row " + row + " failed");
        }
    }
}
