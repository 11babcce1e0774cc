package cox.store.hdf5;

import cox.exceptions.StoreFormatException;

/**
 * A file, or an object in it, uses a feature of the HDF5 format outside the subset cox4j reads and
 * writes itself (a newer superblock or object header, dense attributes, new-style groups). Reading
 * then goes on with jHDF; appending is refused.
 */
final class UnsupportedFeatureException extends StoreFormatException {
    private static final long serialVersionUID = 1L;

    UnsupportedFeatureException(String message) {
        super(message);
    }
}
