package cox.store;

import cox.exceptions.StoreFormatException;
import cox.io.PositionalInput;
import cox.store.hdf5.PandasStoreFile;
import cox.store.hdf5.PandasTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's {@code store.h5} as the store layer uses it: tables by name, each with a
 * {@link Schema}, read as {@link Columns} and appended to as rows of cells. The one class of
 * {@code cox.store} that opens {@code store.h5} through the HDF5 layer ({@code cox.store.hdf5});
 * {@link FrameColumns} translates the columns and {@link FrameTableLimits} asks the layer for the
 * format's limits. Not thread-safe: the writer serialises access, and each reader opens
 * its own.
 */
final class StoreH5 implements AutoCloseable {
    private final PandasStoreFile file;
    /** Each table's schema once asked, for a read-only file (whose tables do not change). */
    private final Map<String, Schema> schemas = new HashMap<>();

    private StoreH5(PandasStoreFile file) {
        this.file = file;
    }

    /**
     * Whether {@link #reopen} may open this file again for another look: read-only, small enough
     * to have been read whole, and parsed by cox4j's own reader.
     */
    boolean reusable() {
        return file.reusable();
    }

    /**
     * Opens this {@link #reusable()} file again for another look: this same object if store.h5
     * still holds exactly the bytes it read (so everything read from them holds), else store.h5
     * as it now is, and this one is closed.
     *
     * @throws StoreFormatException if it is not a pandas store cox4j can read (the message names it)
     */
    StoreH5 reopen() {
        PandasStoreFile again = PandasStoreFile.reopen(file);
        return again == file ? this : new StoreH5(again);
    }

    /**
     * Opens an existing {@code store.h5} ({@code path}: the store's, or one being rebuilt or set aside).
     *
     * @param files the store's files, which say how its store.h5 is chunked
     * @param writable open for appending (a writer) or read-only (a reader)
     * @throws StoreFormatException if it is not a pandas store cox4j can read (the message names it)
     */
    static StoreH5 open(StoreFiles files, Path path, boolean writable) {
        return new StoreH5(PandasStoreFile.open(path, writable, options(files)));
    }

    /**
     * Opens {@code path} read-only for one look of a reader, who reads nothing from it once it has
     * closed it ({@link PandasStoreFile#openRecycling}).
     *
     * @throws StoreFormatException if it is not a pandas store cox4j can read (the message names it)
     */
    static StoreH5 openForLook(Path path) {
        return new StoreH5(PandasStoreFile.openRecycling(path));
    }

    /**
     * Opens {@code path} read-only through {@code input} (a file that is not local, kept open by
     * its reader between looks).
     *
     * @param input an open reader of {@code path}, closed with the result
     * @throws StoreFormatException if it is not a pandas store cox4j can read (the message names it)
     */
    static StoreH5 openForReading(Path path, PositionalInput input) {
        return new StoreH5(PandasStoreFile.openForReading(path, input));
    }

    /** Creates an empty {@code store.h5} at {@code path} for the store in {@code files}, replacing any file there. */
    static StoreH5 create(StoreFiles files, Path path) {
        return new StoreH5(PandasStoreFile.create(path, options(files)));
    }

    /** Opens {@code path} as {@link #open(StoreFiles, Path, boolean)} does, chunked as the engine chooses. */
    static StoreH5 open(Path path, boolean writable) {
        return new StoreH5(PandasStoreFile.open(path, writable, PandasStoreFile.Options.DEFAULT));
    }

    /** Creates {@code path} as {@link #create(StoreFiles, Path)} does, chunked as the engine chooses. */
    static StoreH5 create(Path path) {
        return new StoreH5(PandasStoreFile.create(path, PandasStoreFile.Options.DEFAULT));
    }

    private static PandasStoreFile.Options options(StoreFiles files) {
        return files.h5ChunkRows() == 0 ? PandasStoreFile.Options.DEFAULT
                : PandasStoreFile.Options.DEFAULT.withChunkRows(files.h5ChunkRows());
    }

    Path path() {
        return file.path();
    }

    /** The frame tables, in the file's (alphabetical) link order. */
    List<String> tableNames() {
        return file.tableNames();
    }

    boolean hasTable(String name) {
        return file.table(name) != null;
    }

    /** The rows of table {@code name}; 0 if there is no such table. */
    long rows(String name) {
        PandasTable t = file.table(name);
        return t == null ? 0 : t.nrows();
    }

    /**
     * The schema of table {@code name}, from its columns and cox's COX_DATA attribute.
     *
     * @throws StoreFormatException if COX_DATA contradicts how a column is stored
     * @throws IllegalArgumentException if there is no such table
     */
    Schema schema(String name) {
        Schema known = schemas.get(name);
        if (known != null) {
            return known;
        }
        PandasTable t = file.table(name);
        if (t == null) {
            throw new IllegalArgumentException("no table '" + name + "' in " + file.path());
        }
        Schema schema = FrameColumns.schemaOf(name, t.columns(), file.path());
        if (file.reusable()) {
            schemas.put(name, schema);
        }
        return schema;
    }

    /**
     * {@code count} rows of table {@code name} from row {@code from}; no rows if there is no such
     * table.
     *
     * @throws StoreFormatException if the rows cannot be read (the file changed or is damaged)
     */
    Columns read(String name, Schema schema, long from, int count) {
        PandasTable t = file.table(name);
        if (t == null) {
            return Columns.empty(schema);
        }
        Object[] arrays;
        try {
            arrays = t.read(from, count);
        } catch (IndexOutOfBoundsException e) {
            throw new StoreFormatException("cannot read rows " + from + " to " + (from + count) + " of table '" + name
                    + "' in " + file.path() + ": " + e.getMessage(), e);
        }
        return Columns.ofArrays(schema, arrays, count);
    }

    /**
     * Appends rows to table {@code name}, creating it (its string block as wide as the widest
     * text cell of {@code rows}) if {@code store.h5} does not have it yet.
     *
     * @param rows cells in schema order: Long, Double, Boolean, String
     */
    void append(String name, Schema schema, List<Object[]> rows) {
        PandasTable t = file.table(name);
        if (t == null) {
            t = file.createTable(name, FrameColumns.of(schema), widestText(rows, schema), rows.size());
        }
        t.append(rows);
    }

    private static int widestText(List<Object[]> rows, Schema schema) {
        ColumnType[] types = schema.values().toArray(new ColumnType[0]);
        int w = 1;
        for (Object[] row : rows) {
            for (int i = 0; i < types.length; i++) {
                if (types[i].isText()) {
                    w = Math.max(w, ((String) row[i]).getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }
        return w;
    }

    /** Makes appended rows visible to readers as far as the live-read rules allow (not an fsync). */
    void flush() {
        file.flush();
    }

    /** Forces store.h5 to the device; readers see every row at once if it is small, else after the live-read delay. */
    void sync() {
        file.sync();
    }

    /** Closes store.h5 without writing what is pending, as if the writer had been killed. */
    void abandon() {
        file.abandon();
    }

    @Override
    public void close() {
        file.close();
    }
}
