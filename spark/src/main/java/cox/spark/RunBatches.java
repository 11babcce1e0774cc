package cox.spark;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.dflib.DataFrame;
import org.dflib.Series;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of one input partition, read one after the other on an executor: each run's store is
 * opened read-only (so a run still being written gives the rows flushed so far), its table read
 * whole, the store closed, and its rows handed to Spark as one {@link ColumnarBatch} whose
 * vectors read the run's columns in place. A run without the table gives no rows; a run that
 * cannot be read fails the task with a {@link CoxException} naming it, or with
 * {@code skipErrors} is left out, logged and counted when its store itself cannot be read (a
 * failure of the storage still fails the task, see {@link RunErrors}). Not thread-safe: one task owns it.
 */
final class RunBatches {
    private static final Logger LOG = LoggerFactory.getLogger(RunBatches.class);

    private final ReadOptions options;
    private final List<String> expIds;
    private final FieldSource[] fields;
    private final String firstExpId;
    private final Set<String> expectedColumns;
    private int next;
    private long storesRead;
    private long storesSkipped;
    private long rowsRead;

    /**
     * @param firstExpId with {@code unionSchemas=false}, the first run that has the table (of all
     *     runs read, in id order); null to union the runs' columns
     * @param expectedColumns the columns of {@code firstExpId}'s table, which every run's table must have
     */
    RunBatches(ReadOptions options, List<String> expIds, FieldSource[] fields, String firstExpId,
            Set<String> expectedColumns) {
        this.options = options;
        this.expIds = expIds;
        this.fields = fields;
        this.firstExpId = firstExpId;
        this.expectedColumns = expectedColumns;
    }

    /**
     * @return the next run's rows, or null when every run of the partition has been read
     * @throws CoxException naming the run that cannot be read (unless skipErrors and its store is unreadable)
     */
    ColumnarBatch next() {
        while (next < expIds.size()) {
            String expId = expIds.get(next++);
            ColumnarBatch batch;
            try {
                batch = read(expId);
            } catch (CoxException e) {
                if (!options.skipErrors() || RunErrors.isStorageFailure(e)) {
                    throw e; // a failure of the storage fails the task, so Spark retries it
                }
                storesSkipped++;
                LOG.warn("cox: skipping experiment {}: {}", expId, e.getMessage());
                continue;
            }
            if (batch != null) {
                rowsRead += batch.numRows();
                return batch;
            }
        }
        return null;
    }

    long storesRead() {
        return storesRead;
    }

    long storesSkipped() {
        return storesSkipped;
    }

    long rowsRead() {
        return rowsRead;
    }

    private ColumnarBatch read(String expId) {
        String where = "cannot read table '" + options.table() + "' of experiment " + expId + " in " + options.directory();
        try (Store store = Store.open(options.directoryPath(), expId, Mode.READ)) {
            storesRead++;
            Set<String> keys = store.keys();
            if (!keys.contains(options.table())) {
                return null;
            }
            Table table = store.table(options.table());
            Schema schema = table.schema();
            if (firstExpId != null && !expectedColumns.equals(schema.keySet())) {
                throw otherColumns(expId, schema.keySet());
            }
            DataFrame df = table.df();
            Map<String, Object> parameters = null;
            if (options.metadata() != null && keys.contains(options.metadata())) {
                parameters = lastRow(store.table(options.metadata()));
            }
            return batch(expId, schema, df, parameters);
        } catch (CoxException e) {
            throw e.withContext(where);
        } catch (UncheckedIOException e) {
            throw new CoxIOException(where + ": " + e.getMessage(), e);
        }
    }

    private StoreException otherColumns(String expId, Set<String> own) {
        Set<String> missing = new LinkedHashSet<>(expectedColumns);
        missing.removeAll(own);
        Set<String> extra = new LinkedHashSet<>(own);
        extra.removeAll(expectedColumns);
        return new StoreException("table '" + options.table() + "' has other columns than in experiment " + firstExpId
                + " (missing " + missing + ", extra " + extra + "); use option unionSchemas=true to join them on column names");
    }

    private ColumnarBatch batch(String expId, Schema schema, DataFrame df, Map<String, Object> parameters) {
        int rows = df.height();
        Map<String, Integer> index = new LinkedHashMap<>();
        int c = 0;
        for (String name : schema.keySet()) {
            index.put(name, c++);
        }
        ColumnVector[] vectors = new ColumnVector[fields.length];
        for (int f = 0; f < fields.length; f++) {
            FieldSource field = fields[f];
            String source = field.source();
            if (source == null) { // a field of the user's schema: the table's column, else the parameter
                source = index.containsKey(field.column()) && !field.column().equals(cox.readers.CollectionReader.EXP_ID)
                        ? SchemaInference.FROM_TABLE : SchemaInference.FROM_PARAMETER;
            }
            String where = "experiment " + expId + " in " + options.directory() + ": ";
            switch (source) {
                case SchemaInference.FROM_EXP_ID ->
                    vectors[f] = CellVector.constant(expId, field.type(), rows, where + "the experiment id");
                case SchemaInference.FROM_PARAMETER ->
                    vectors[f] = CellVector.constant(parameters == null ? null : parameters.get(field.column()), field.type(),
                            rows, where + "parameter '" + field.column() + "' of table '" + options.metadata() + "'");
                default -> {
                    Integer i = index.get(field.column());
                    if (i == null) {
                        vectors[f] = CellVector.constant(null, field.type(), rows, where);
                    } else {
                        Series<?> cells = df.getColumn(i);
                        vectors[f] = CellVector.of(cells, field.type(),
                                where + "column '" + field.column() + "' of table '" + options.table() + "'");
                    }
                }
            }
        }
        return new ColumnarBatch(vectors, rows);
    }

    /** The run's parameters: the last row of its metadata table (as cox4j's reader joins them), or null if empty. */
    private static Map<String, Object> lastRow(Table metadata) {
        DataFrame df = metadata.df();
        if (df.height() == 0) {
            return null;
        }
        int last = df.height() - 1;
        Map<String, Object> row = new LinkedHashMap<>();
        String[] names = metadata.schema().keySet().toArray(new String[0]);
        for (int c = 0; c < names.length; c++) {
            row.put(names[c], df.getColumn(c).get(last));
        }
        return row;
    }

    @Override
    public String toString() {
        return "runs " + Arrays.toString(expIds.toArray()) + " of " + options.directory();
    }
}
