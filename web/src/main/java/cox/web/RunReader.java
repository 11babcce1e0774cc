package cox.web;

import cox.exceptions.CoxException;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the page shows of one run: its tables and parameters, and the numeric columns of one
 * table, in one read-only open of the store. Stateless; safe to call from several threads.
 *
 * <p>TODO(reader): per-run summaries belong in {@code cox.readers} once the reader has them.
 */
final class RunReader {
    private static final Logger LOG = LoggerFactory.getLogger(RunReader.class);

    private RunReader() {
    }

    /** What one read returns: the run's contents, and the columns of the table asked for (null if the run lacks it). */
    record Read(RunContents contents, TableColumns columns) {
    }

    /**
     * @param dir the storage folder
     * @param expId the run
     * @param stamp the stamp taken before reading (a write during the read makes the next scan read again)
     * @param metadataTable the table whose first row holds the parameters
     * @param table the table whose numeric columns to read, or null for none
     * @return the run's contents and columns; a run that cannot be read has contents with its error: any
     *     exception, and an {@link OutOfMemoryError} or {@link StackOverflowError} of the read (logged);
     *     other errors are thrown
     */
    static Read read(Path dir, String expId, RunStamp stamp, String metadataTable, String table) {
        try (Store store = Store.open(dir, expId, Mode.READ)) {
            Map<String, Schema> tables = new LinkedHashMap<>();
            for (String name : store.keys()) {
                tables.put(name, store.table(name).schema());
            }
            Map<String, Object> params = new LinkedHashMap<>();
            Map<String, ColumnType> types = new LinkedHashMap<>();
            if (tables.containsKey(metadataTable)) {
                Table meta = store.table(metadataTable);
                DataFrame df = meta.df();
                if (df.height() > 0) {
                    for (Map.Entry<String, ColumnType> c : meta.schema().entrySet()) {
                        types.put(c.getKey(), c.getValue());
                        params.put(c.getKey(), param(meta, c.getValue(), df.getColumn(c.getKey()).get(0)));
                    }
                }
            }
            TableColumns columns = null;
            if (table != null && tables.containsKey(table)) {
                columns = numericColumns(store.table(table), stamp);
            }
            return new Read(new RunContents(stamp, tables, params, types, null), columns);
        } catch (CoxException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Read(new RunContents(stamp, Map.of(), Map.of(), Map.of(), message), null);
        } catch (RuntimeException e) {
            // a damaged file that a reader does not check for (a bug to fix, but one run's): list the run with it
            LOG.warn("cox serve: cannot read run {} of {}", expId, dir, e);
            return failed(stamp, "cannot read run " + expId + ": an unexpected error (see the log of cox serve): "
                    + e.getMessage());
        } catch (OutOfMemoryError | StackOverflowError e) {
            // the read's own allocation or recursion failed (a damaged file claiming a huge size or depth); both
            // are unwound with the read, so the server goes on. Any other Error (a broken installation, a JVM
            // failure) is not one run's problem and is left to fail the request, which is logged with it
            LOG.error("cox serve: reading run {} of {} needed more {} than the server has", expId, dir,
                    e instanceof OutOfMemoryError ? "memory" : "stack", e);
            return failed(stamp, "cannot read run " + expId + ": reading it needed more "
                    + (e instanceof OutOfMemoryError ? "memory" : "stack") + " than cox serve has (a damaged store file "
                    + "may claim more than it holds): " + e.getMessage());
        }
    }

    /**
     * @param dir the storage folder
     * @param expId the run
     * @return how many rows each of the run's tables has (a table's row count is in its header:
     *     no rows are read); empty if the run cannot be opened
     */
    static Map<String, Long> rowCounts(Path dir, String expId) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Store store = Store.open(dir, expId, Mode.READ)) {
            for (String name : store.keys()) {
                out.put(name, store.table(name).nrows());
            }
        } catch (CoxException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            out.clear(); // listed with its error elsewhere; it counts no rows here
        }
        return out;
    }

    private static Read failed(RunStamp stamp, String message) {
        return new Read(new RunContents(stamp, Map.of(), Map.of(), Map.of(), message), null);
    }

    static TableColumns numericColumns(Table table, RunStamp stamp) {
        DataFrame df = table.df();
        LinkedHashMap<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnType> c : table.schema().entrySet()) {
            if (TableColumns.isNumeric(c.getValue())) {
                out.put(c.getKey(), toDoubles(df.getColumn(c.getKey())));
            }
        }
        return new TableColumns(stamp, df.height(), out);
    }

    private static double[] toDoubles(Series<?> s) {
        if (s instanceof DoubleSeries d) {
            return d.toDoubleArray();
        }
        if (s instanceof LongSeries l) {
            long[] a = l.toLongArray();
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = s.get(i);
            out[i] = v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return out;
    }

    /** Longer JSON than this is not kept for the page: its start, then how long it is. */
    static final int MAX_OBJECT_JSON = 4096;

    /**
     * A parameter as the page shows and filters it: an OBJECT cell as JSON ({@link ObjectJson};
     * cut after {@value #MAX_OBJECT_JSON} characters, saying so), a PICKLE or PYTORCH_STATE cell
     * (a file) as its type; other cells as they are.
     */
    private static Object param(Table meta, ColumnType type, Object value) {
        if (value == null || !type.isObject()) {
            return value;
        }
        if (type != ColumnType.OBJECT) {
            return type.name() + " (a file)";
        }
        String json;
        try {
            json = ObjectJson.of(meta.getObject(value.toString()));
        } catch (RuntimeException e) {
            return "OBJECT (unreadable: " + e.getMessage() + ")";
        }
        return json.length() <= MAX_OBJECT_JSON ? json
                : json.substring(0, MAX_OBJECT_JSON) + "… (" + json.length() + " characters)";
    }
}
