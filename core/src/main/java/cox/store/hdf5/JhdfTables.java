package cox.store.hdf5;

import java.nio.file.Path;

/** Reads tables stored with features outside cox4j's own reader, with jHDF. */
final class JhdfTables {
    private JhdfTables() {
    }

    static Object[] read(Path file, PandasTable table, long start, int count) {
        throw new cox.exceptions.StoreFormatException(file + ": table '" + table.name() + "' uses "
                + table.disk().dataset.unsupported + ", which cox4j does not read");
    }
}
