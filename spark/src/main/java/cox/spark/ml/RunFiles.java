package cox.spark.ml;

import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/** Writes the runs: a new store per run, closed before its handle is given out. */
final class RunFiles {
    /** The table of a run's parameters, as Python cox's examples name it. */
    static final String METADATA = "metadata";
    /** The table of a run's metrics. */
    static final String RESULTS = "results";

    private RunFiles() {
    }

    /**
     * Creates a new run (a random UUID4 experiment id) with a one-row {@code metadata} table and,
     * if {@code results} is not null, a one-row {@code results} table; closes it.
     */
    static FitRun write(Path storageFolder, Map<String, Object> metadata, Map<String, ?> results) {
        try (Store store = Store.builder(storageFolder).mustBeNew().build()) {
            store.addTable(METADATA, Schema.fromExample(metadata)).appendRow(metadata);
            if (results != null) {
                store.addTable(RESULTS, Schema.fromExample(results)).appendRow(results);
            }
            return new FitRun(storageFolder, store.expId());
        }
    }

    /**
     * Appends a row to the run's {@code results} table, adding the table with the row's columns
     * if the run has none.
     *
     * @throws IllegalArgumentException if the run's {@code results} table has other columns
     */
    static void appendResults(FitRun run, Map<String, ?> row) {
        try (Store store = Store.open(run.storageFolder(), run.expId())) {
            Table results;
            if (store.keys().contains(RESULTS)) {
                results = store.table(RESULTS);
                if (!new TreeSet<>(results.schema().keySet()).equals(new TreeSet<>(row.keySet()))) {
                    throw new IllegalArgumentException("run " + run.path() + ": table '" + RESULTS + "' has the columns "
                            + results.schema().keySet() + ", cannot append a row of " + row.keySet()
                            + ": log the same metrics to every row of a run");
                }
            } else {
                results = store.addTable(RESULTS, Schema.fromExample(row));
            }
            results.appendRow(row);
        }
    }
}
