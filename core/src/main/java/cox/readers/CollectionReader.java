package cox.readers;

import cox.exceptions.CoxIOException;
import cox.exceptions.CoxException;
import cox.store.Mode;
import cox.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.dflib.JoinType;
import org.dflib.Series;

/**
 * The experiments of one storage folder, read together: every sub-folder holding a store (a
 * {@code store.h5} or a cox4j journal) is an experiment, opened read-only, so stores that are
 * still being written can be read. Mirrors Python cox's {@code cox.readers.CollectionReader}.
 *
 * <pre>{@code
 * try (CollectionReader reader = new CollectionReader(Path.of("runs"))) {
 *     DataFrame results = reader.df("results");   // every run's rows, plus an exp_id column
 * }
 * }</pre>
 *
 * <p>Thread-safe: it holds no open files between calls.
 */
public final class CollectionReader implements AutoCloseable {
    /** The column {@link #df} adds: the experiment id of each row. */
    public static final String EXP_ID = "exp_id";

    private final Path directory;
    private volatile boolean closed;

    /**
     * @param directory the storage folder whose sub-folders are experiments
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public CollectionReader(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        if (!Files.isDirectory(this.directory)) {
            throw new IllegalArgumentException("not a folder of experiments: " + this.directory);
        }
    }

    /** @return the storage folder */
    public Path directory() {
        return directory;
    }

    /**
     * @return the ids (folder names) of the experiments, sorted
     */
    public List<String> expIds() {
        checkOpen();
        try (Stream<Path> children = Files.list(directory)) {
            return children
                    .filter(Store::isExperiment)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new CoxIOException("cannot list experiments in " + directory + ": " + e, e);
        }
    }

    /**
     * The rows of table {@code table} of every experiment that has it, experiment by experiment
     * (sorted by id), with a last column {@value #EXP_ID}. Experiments whose tables have other
     * columns are joined on column names; a missing cell is null. Python:
     * {@code CollectionReader.df(table_id)}.
     *
     * @param table the table name
     * @return one data frame; with no rows (and only the {@value #EXP_ID} column) if no experiment has the table
     * @throws CoxException naming the experiment whose store cannot be read (its type kept:
     *     {@code StoreFormatException}, {@code StoreRecoveryException}, ...)
     */
    public DataFrame df(String table) {
        Objects.requireNonNull(table, "table");
        checkOpen();
        List<DataFrame> frames = new ArrayList<>();
        for (String expId : expIds()) {
            DataFrame df;
            try (Store store = new Store(directory, expId, false, Mode.READ)) {
                if (!store.keys().contains(table)) {
                    continue;
                }
                df = store.table(table).df();
            } catch (CoxException e) {
                throw e.withContext("cannot read table '" + table + "' of experiment " + expId + " in " + directory);
            }
            frames.add(df.cols(EXP_ID).merge(Series.ofVal(expId, df.height())));
        }
        if (frames.isEmpty()) {
            return DataFrame.empty(EXP_ID);
        }
        DataFrame first = frames.get(0);
        return frames.size() == 1 ? first
                : first.vConcat(JoinType.full, frames.subList(1, frames.size()).toArray(new DataFrame[0]));
    }

    /** Releases the reader; idempotent. Python: {@code CollectionReader.close()}. */
    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("collection reader of " + directory + " is closed");
        }
    }
}
