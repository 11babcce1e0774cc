package cox.web;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.RunIndex;
import cox.store.ColumnType;
import cox.store.RunSummary;
import cox.store.Schema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link SummaryCache.Summarizer} that reads no rows when it need not: a run's
 * {@link RunSummary} is the one its cox4j writer keeps ({@code .cox.summary}) if it still holds,
 * else the shared {@link RunIndex}'s while the run's files are unchanged, else made from its
 * store and recorded in the index ({@link CollectionReader#summary}). The page's
 * parameters are the metadata table's first row and each metric's first and last value the
 * table's first and last row, all among the rows a summary keeps; a run whose summary keeps no
 * rows (an OBJECT column, long text) or cannot be read is read from its store as before
 * ({@link SummaryCache#readStore}), so the answer is the same either way. Thread-safe.
 */
final class WrittenSummaries implements SummaryCache.Summarizer {
    private final Path directory;
    private final Supplier<RunIndex> indexSupplier;
    private final String metadataTable;
    private volatile CollectionReader reader;
    private volatile RunIndex index;

    /**
     * @param directory the storage folder
     * @param index the run index shared with the other commands (or one in memory), loaded when
     *     first needed: a run without a writer's summary (a Python cox run, or one whose writer was
     *     killed) is the first to need it
     * @param metadataTable the table whose first row holds the parameters
     */
    WrittenSummaries(Path directory, Supplier<RunIndex> index, String metadataTable) {
        this.directory = directory;
        this.indexSupplier = index;
        this.metadataTable = metadataTable;
    }

    private CollectionReader reader() {
        if (reader == null) {
            synchronized (this) {
                if (reader == null) {
                    index = indexSupplier.get();
                    reader = CollectionReader.builder(directory).runIndex(index).build();
                }
            }
        }
        return reader;
    }

    /** Saves the run index if it was loaded and anything was added to it. */
    void saveIndex() {
        RunIndex i = index;
        if (i != null) {
            i.save();
        }
    }

    @Override
    public SummaryCache.Loaded summarize(Path directory, ListedRun run, RunStamp stamp, String table) {
        RunSummary s;
        try {
            // the writer's own summary first (one small file); else the index, else the store
            s = RunSummary.written(run.dir);
            if (s == null) {
                s = reader().summary(run.expId);
            }
        } catch (CoxException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            return SummaryCache.readStore(directory, metadataTable, run, stamp, table); // it words the error
        }
        Map<String, Schema> tables = new LinkedHashMap<>();
        for (Map.Entry<String, cox.store.TableSummary> t : s.tables().entrySet()) {
            tables.put(t.getKey(), t.getValue().schema());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, ColumnType> types = new LinkedHashMap<>();
        cox.store.TableSummary meta = s.tables().get(metadataTable);
        if (meta != null && meta.rows() > 0) {
            Object[] first = firstRow(meta);
            if (first == null) {
                return SummaryCache.readStore(directory, metadataTable, run, stamp, table);
            }
            int k = 0;
            for (Map.Entry<String, ColumnType> c : meta.schema().entrySet()) {
                types.put(c.getKey(), c.getValue());
                params.put(c.getKey(), first[k++]);
            }
        }
        RunContents contents = new RunContents(stamp, tables, params, types, null);
        if (table == null) {
            return new SummaryCache.Loaded(contents, null, null);
        }
        cox.store.TableSummary t = s.tables().get(table);
        if (t == null) {
            return new SummaryCache.Loaded(contents, new TableSummary(stamp, -1, Map.of(), null), null);
        }
        Map<String, MetricSummary> metrics = new LinkedHashMap<>();
        if (t.rows() > 0) {
            Object[] first = firstRow(t);
            Object[] last = lastRow(t);
            if (first == null || last == null) {
                return SummaryCache.readStore(directory, metadataTable, run, stamp, table);
            }
            int k = 0;
            for (Map.Entry<String, ColumnType> c : t.schema().entrySet()) {
                String name = c.getKey();
                if (TableColumns.isNumeric(c.getValue())) {
                    long count = t.count(name);
                    metrics.put(name, new MetricSummary(number(first[k]), number(last[k]), t.min(name), t.max(name),
                            t.mean(name), count));
                }
                k++;
            }
        } else {
            for (Map.Entry<String, ColumnType> c : t.schema().entrySet()) {
                if (TableColumns.isNumeric(c.getValue())) {
                    metrics.put(c.getKey(), MetricSummary.EMPTY);
                }
            }
        }
        return new SummaryCache.Loaded(contents, new TableSummary(stamp, t.rows(), metrics, null), null);
    }

    /** The table's first row among those its summary keeps, or null if it keeps none. */
    private static Object[] firstRow(cox.store.TableSummary t) {
        long[] kept = t.keptRowIndexes();
        return t.rowsKept() && kept.length > 0 && kept[0] == 0 ? t.keptRows().get(0) : null;
    }

    /** The table's last row among those its summary keeps, or null if it keeps none. */
    private static Object[] lastRow(cox.store.TableSummary t) {
        long[] kept = t.keptRowIndexes();
        List<Object[]> rows = t.keptRows();
        return t.rowsKept() && kept.length > 0 && kept[kept.length - 1] == t.rows() - 1 ? rows.get(rows.size() - 1) : null;
    }

    private static double number(Object cell) {
        return cell instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
