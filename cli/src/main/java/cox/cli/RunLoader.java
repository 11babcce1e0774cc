package cox.cli;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.ProgressListener;
import cox.readers.ReadError;
import cox.readers.RunStatus;
import cox.readers.ShortRuns;
import cox.readers.SummaryRows;
import cox.readers.filter.RunFilter;
import cox.readers.query.RunSelection;
import cox.readers.summary.Goal;
import cox.readers.summary.RunMetadata;
import cox.readers.summary.RunSummaries;
import cox.readers.summary.Statistic;
import cox.store.Store;
import cox.store.TableSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * Reads the tables of a folder's runs into a {@link RunDatabase}, a batch of runs at a time (so
 * memory holds one batch besides the database), and builds the {@code runs} table: one row per
 * run with its id, its {@code status} ({@link RunStatus#label()}), whether a writer holds it
 * ({@code running}), when it was last written, its parameters (the metadata table's last row) and,
 * for every other table, its row count {@code TABLE.rows}, whether it is {@code TABLE.short}
 * ({@link ShortRuns}), and the summaries of each numeric column that {@code cox df --summary}
 * prints (first, last, min, max, mean, best and count, as {@link RunSummaries#summary} computes
 * them), named {@code TABLE.COLUMN.STAT} ({@code results.loss.last}, {@code results.loss.count}) — the shape
 * of MLflow's runs table beside the full history of each table.
 *
 * <p>Cells are those of {@link CollectionReader#df}: OBJECT and PICKLE values decoded (unless
 * kept serialized), PYTORCH_STATE the UID. Shared by {@code cox sql} and {@code cox export}. Not
 * thread-safe.
 */
final class RunLoader implements AutoCloseable {
    /** Runs read per call of the reader, by default. */
    static final int BATCH = 256;
    /** The statistics of each numeric column in the runs table: those of {@code cox df --summary}. */
    private static final List<Statistic> STATISTICS = List.of(Statistic.values());

    private final CollectionReader reader;
    private final String metadataTable;
    private final String[] keepSerialized;
    private final ProgressDisplay display;
    private final PrintWriter err;
    private final String command;
    private final Set<String> reported = new HashSet<>();
    private final Map<String, Map<String, Object>> runRows = new LinkedHashMap<>();
    private final Set<String> runColumns = new LinkedHashSet<>();
    private final Set<String> summarizedTables = new LinkedHashSet<>();
    private int batchRuns = BATCH;
    private String step = "";
    private int offset;
    private int total;
    private RunMetadata metadata;

    /**
     * @param metadataTable the table of each run's parameters, or null for none
     * @param err where skipped runs are named
     * @param command the command's name, e.g. {@code cox export}, for messages
     */
    RunLoader(Path dir, boolean skipErrors, String metadataTable, List<String> keepSerialized, PrintWriter err,
            String command) {
        this(dir, skipErrors, metadataTable, keepSerialized, err, command, null);
    }

    /**
     * @param cache the command's {@code --cache-dir}/{@code --no-cache}, or null to keep run
     *     summaries in memory only
     */
    RunLoader(Path dir, boolean skipErrors, String metadataTable, List<String> keepSerialized, PrintWriter err,
            String command, CacheOptions cache) {
        this.metadataTable = metadataTable;
        this.keepSerialized = keepSerialized.toArray(new String[0]);
        this.display = new ProgressDisplay(System.err);
        this.err = err;
        this.command = command;
        ProgressListener overall = (readerStep, done, n) -> display.progress(step, offset + done, total);
        CollectionReader.Builder b = CollectionReader.builder(dir).skipErrors(skipErrors).progress(overall);
        this.reader = (cache == null ? b : cache.apply(b, dir)).build();
    }

    /** Sets how many runs are read per call of the reader (tests make it small to cover many batches). */
    void batchRuns(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("--batch-runs must be at least 1, not " + runs);
        }
        this.batchRuns = runs;
    }

    /** @return the reader (its errors are reported by this loader) */
    CollectionReader reader() {
        return reader;
    }

    /**
     * The runs whose id, parameters and status pass {@code where} (all runs when null), in id
     * order, as {@link RunSelection} chooses them.
     *
     * @throws cox.readers.query.QueryException if {@code where} names a column that is neither
     *     {@code exp_id}, {@code status} nor a parameter, or compares a number with text
     */
    List<String> selectRuns(RunFilter where) {
        List<String> ids = reader.expIds();
        return where == null ? ids : RunSelection.select(reader, metadata(), ids, where);
    }

    /** Each run's parameters (read once): the last row of the metadata table. */
    RunMetadata metadata() {
        if (metadata == null) {
            DataFrame rows = metadataTable == null ? DataFrame.empty(CollectionReader.EXP_ID)
                    : reader.df(metadataTable, DfOptions.defaults().keepSerialized(keepSerialized));
            report();
            metadata = RunMetadata.of(metadataTable == null ? "metadata" : metadataTable, rows);
        }
        return metadata;
    }

    /**
     * Reads {@code table} of the runs {@code expIds} into {@code db} (unless null), batch by batch,
     * keeping each run's summary of it when {@code summarize}.
     *
     * @return the rows read
     * @throws CoxException naming a run that cannot be read (unless skipping errors)
     */
    long load(RunDatabase db, String table, List<String> expIds, boolean summarize) throws SQLException {
        step = "reading " + table;
        total = expIds.size();
        long rows = 0;
        for (offset = 0; offset < expIds.size(); offset += batchRuns) {
            Set<String> batch = new HashSet<>(expIds.subList(offset, Math.min(expIds.size(), offset + batchRuns)));
            DataFrame frame = reader.df(table, DfOptions.defaults().keepSerialized(keepSerialized).expFilter(batch::contains));
            report();
            if (db != null && frame.width() > 1) { // else no run of the batch has the table
                db.append(table, frame);
            }
            rows += frame.height();
            if (summarize) {
                summarize(table, frame);
            }
        }
        display.progress(step, total, total);
        if (db != null && !db.has(table)) { // no run has it: an empty table of exp_id alone
            db.append(table, DataFrame.empty(CollectionReader.EXP_ID));
        }
        return rows;
    }

    /**
     * Keeps each run's summary of {@code table} for the runs table without reading its rows: from
     * the rows the run summaries keep ({@link CollectionReader#summaryRows}), when they can answer
     * for every run of {@code expIds}.
     *
     * @return whether they could; if not, {@link #load} the table
     */
    boolean summarizeFromIndex(String table, List<String> expIds) {
        Set<String> wanted = new HashSet<>(expIds);
        SummaryRows kept = reader.summaryRows(table, DfOptions.defaults().keepSerialized(keepSerialized)
                .expFilter(wanted::contains));
        if (kept == null) {
            return false;
        }
        summarize(table, kept.rows(), kept.tables());
        return true;
    }

    private void summarize(String table, DataFrame frame) {
        summarize(table, frame, null);
    }

    /**
     * Keeps each run's summary of {@code table}: from all its rows in {@code frame}, or, with
     * {@code summaries}, from the rows they keep, taking the row count, mean, count and the least
     * and greatest numbers no kept row holds from them.
     */
    private void summarize(String table, DataFrame frame, Map<String, TableSummary> summaries) {
        if (frame.height() == 0) {
            return;
        }
        summarizedTables.add(table);
        List<String> metrics = RunSummaries.metricColumns(frame);
        DataFrame summary = RunSummaries.summary(frame, metrics, STATISTICS, Goal::guess, summaries);
        Series<?> ids = summary.getColumn(CollectionReader.EXP_ID);
        Map<String, Integer> counts = rowCounts(frame);
        Map<String, Set<String>> present = presentMetrics(frame, metrics);
        String rowsColumn = rowsColumn(table);
        runColumns.add(rowsColumn);
        runColumns.add(shortColumn(table));
        List<String> names = new ArrayList<>();
        for (String m : metrics) {
            for (Statistic s : STATISTICS) {
                names.add(s.label(table + "." + m));
            }
            runColumns.addAll(names.subList(names.size() - STATISTICS.size(), names.size()));
        }
        for (int r = 0; r < summary.height(); r++) {
            String id = (String) ids.get(r);
            TableSummary t = summaries == null ? null : summaries.get(id);
            Map<String, Object> row = runRows.computeIfAbsent(id, k -> new LinkedHashMap<>());
            row.put(rowsColumn, t == null ? (long) counts.get(id) : t.rows());
            Set<String> has = present.getOrDefault(id, Set.of());
            for (int c = 0; c < names.size(); c++) {
                // a run without the column has no statistics of it (null), unlike a run whose cells are NaN
                String metric = metrics.get(c / STATISTICS.size());
                boolean known = has.contains(metric);
                row.put(names.get(c), known ? summary.getColumn(c + 1).get(r) : null);
            }
        }
    }

    /** The runs table's column of a table's row count: {@code results.rows}. */
    static String rowsColumn(String table) {
        return table + ".rows";
    }

    /** The runs table's column saying whether a run is short in a table ({@link ShortRuns}): {@code results.short}. */
    static String shortColumn(String table) {
        return table + ".short";
    }

    /** For each run, the metrics it has a cell of (not null) in some row. */
    private static Map<String, Set<String>> presentMetrics(DataFrame frame, List<String> metrics) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Series<?> ids = frame.getColumn(CollectionReader.EXP_ID);
        for (String m : metrics) {
            Series<?> s = frame.getColumn(m);
            boolean primitive = s instanceof org.dflib.LongSeries || s instanceof org.dflib.DoubleSeries;
            for (int r = 0; r < ids.size(); r++) {
                if (primitive || s.get(r) != null) {
                    out.computeIfAbsent((String) ids.get(r), k -> new HashSet<>()).add(m);
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> rowCounts(DataFrame frame) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Series<?> ids = frame.getColumn(CollectionReader.EXP_ID);
        for (int r = 0; r < ids.size(); r++) {
            counts.merge((String) ids.get(r), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Writes the {@code runs} table into {@code db} under {@code name}: one row per run of
     * {@code expIds} that could be read, in id order, from the summaries {@link #load} kept.
     */
    void appendRuns(RunDatabase db, String name, List<String> expIds) throws SQLException {
        RunMetadata meta = metadata();
        Set<String> skipped = new HashSet<>();
        for (ReadError e : reader.errors()) {
            skipped.add(e.expId());
        }
        List<String> columns = new ArrayList<>();
        columns.add(CollectionReader.EXP_ID);
        columns.add("status");
        columns.add("running");
        columns.add("last_write");
        for (String p : meta.columns()) {
            if (!columns.contains(p)) {
                columns.add(p);
            }
        }
        for (String c : runColumns) {
            if (!columns.contains(c)) {
                columns.add(c);
            }
        }
        List<String> ids = new ArrayList<>();
        for (String id : expIds) {
            if (!skipped.contains(id)) {
                ids.add(id);
            }
        }
        Map<String, Set<String>> shortIn = shortRuns(meta, ids);
        Object[][] cells = new Object[columns.size()][ids.size()];
        Path dir = reader.directory();
        Instant now = reader.clock().instant();
        for (int r = 0; r < ids.size(); r++) {
            String id = ids.get(r);
            Map<String, Object> row = new LinkedHashMap<>(meta.parameters(id));
            Map<String, Object> summaries = runRows.get(id);
            if (summaries != null) {
                row.putAll(summaries);
            }
            row.put(CollectionReader.EXP_ID, id);
            Path folder = dir.resolve(id);
            for (String table : summarizedTables) {
                if (row.containsKey(rowsColumn(table))) {
                    row.put(shortColumn(table), shortIn.getOrDefault(table, Set.of()).contains(id));
                }
            }
            try { // a parameter of the same name keeps its column (docs/querying.md: a stored column wins)
                RunStatus status = RunStatus.of(folder, now);
                row.putIfAbsent("status", status.label());
                row.putIfAbsent("running", status == RunStatus.RUNNING);
                row.putIfAbsent("last_write", Store.lastWriteTime(folder));
            } catch (CoxException e) {
                // a run deleted meanwhile: its time and state are unknown
            }
            for (int c = 0; c < columns.size(); c++) {
                cells[c][r] = row.get(columns.get(c));
            }
        }
        List<Series<?>> series = new ArrayList<>();
        for (Object[] column : cells) {
            series.add(Series.of(column));
        }
        DataFrame runs = DataFrame.byColumn(columns.toArray(new String[0])).of(series.toArray(new Series<?>[0]));
        db.append(name, runs);
    }

    /** For each summarized table, the runs of {@code ids} short in it ({@link ShortRuns}). */
    private Map<String, Set<String>> shortRuns(RunMetadata meta, List<String> ids) {
        Map<String, Map<String, Object>> parameters = new HashMap<>();
        Series<?> withMetadata = meta.frame().getColumn(CollectionReader.EXP_ID);
        for (int i = 0; i < withMetadata.size(); i++) {
            String id = (String) withMetadata.get(i);
            parameters.put(id, meta.parameters(id));
        }
        Map<String, Set<String>> out = new HashMap<>();
        for (String table : summarizedTables) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String id : ids) {
                Map<String, Object> summaries = runRows.get(id);
                if (summaries != null && summaries.get(rowsColumn(table)) instanceof Long n) {
                    counts.put(id, n);
                }
            }
            out.put(table, ShortRuns.of(parameters, counts));
        }
        return out;
    }

    /** Names each run skipped so far on standard error, once: {@code cox export: skipped experiment b: REASON}. */
    void report() {
        for (ReadError e : reader.errors()) {
            if (reported.add(e.expId())) {
                err.println(command + ": skipped experiment " + e.expId() + ": " + e.reason().replace('\n', ' '));
            }
        }
        err.flush();
    }

    /** @return the runs skipped so far, in the order met */
    List<String> skipped() {
        List<String> out = new ArrayList<>();
        for (ReadError e : reader.errors()) {
            if (!out.contains(e.expId())) {
                out.add(e.expId());
            }
        }
        return out;
    }

    @Override
    public void close() {
        display.close();
        reader.close();
    }
}
