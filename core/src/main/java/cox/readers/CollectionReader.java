package cox.readers;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.io.Locations;
import cox.readers.filter.RunFilter;
import cox.store.Mode;
import cox.store.RunSummary;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.store.TableSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * The experiments of one storage folder, read together: every sub-folder holding a store (a
 * {@code store.h5} or a cox4j journal, see {@link Store#isExperiment}) is an experiment, opened
 * read-only, so stores that are still being written are read with the rows their writer has
 * flushed so far. Mirrors Python cox's {@code cox.readers.CollectionReader}.
 *
 * <pre>{@code
 * try (CollectionReader reader = CollectionReader.builder(Path.of("runs")).skipErrors(true).build()) {
 *     DataFrame results = reader.df("results");                          // every run's rows + exp_id
 *     DataFrame joined = reader.df("results", DfOptions.defaults()
 *             .metadataTable("metadata")                                  // + each run's parameters
 *             .where(RunFilter.parse("optimizer == adam and lr < 0.1")));
 *     reader.errors().forEach(System.err::println);                       // what was skipped, and why
 * }
 * }</pre>
 *
 * <table>
 * <caption>Python cox's parameters</caption>
 * <tr><th>Python</th><th>cox4j</th></tr>
 * <tr><td>{@code CollectionReader(directory)}</td><td>{@code CollectionReader.open(dir)}, {@link #builder}</td></tr>
 * <tr><td>{@code exp_filter}</td><td>{@link Builder#expFilter}, {@link DfOptions#expFilter}</td></tr>
 * <tr><td>{@code skip_errs}, {@code skip_errors}</td><td>{@link Builder#skipErrors}, {@link DfOptions#skipErrors}; skipped experiments in {@link #errors()}</td></tr>
 * <tr><td>{@code log_warnings}</td><td>{@link #schemas()} reports differing schemas; nothing is printed</td></tr>
 * <tr><td>{@code mode}</td><td>always read-only ({@code 'r'}); open a {@link Store} to write</td></tr>
 * <tr><td>{@code reader.tables}, {@code reader.schemas}</td><td>{@link #tables()}, {@link #schemas()}</td></tr>
 * <tr><td>{@code reader.stores[exp_id]}</td><td>{@link #store(String)}</td></tr>
 * <tr><td>{@code df(key, append_exp_id, keep_serialized, union_schemas, exp_filter, skip_errors)}</td>
 *     <td>{@link #df(String, DfOptions)}</td></tr>
 * </table>
 *
 * <p>Each call lists the folder and opens the stores anew (nothing is cached), so new experiments
 * and new rows are seen. Stores are read by {@code parallelism} threads at once; the result does
 * not depend on it. An experiment that cannot be read fails the call with a {@link CoxException}
 * naming it, or, with {@code skipErrors}, is left out and reported by {@link #errors()}.
 *
 * <p>The folder may be on any {@code java.nio} file system: a local one, or HDFS, S3 and the like
 * through their providers ({@link #builder(URI)} takes {@code s3://bucket/runs} or
 * {@code hdfs://namenode/runs}). A remote collection is read as a local one is, through positional
 * reads in large ranges ({@link cox.io.PositionalInputs}), and only read: no writer's lock can be
 * seen there, so a run is reported running only when its writer is on this machine.
 *
 * <p>Thread-safe: any number of threads may call a reader at once.
 */
public final class CollectionReader implements AutoCloseable {
    /** The column {@link #df} adds: the experiment id of each row. */
    public static final String EXP_ID = "exp_id";

    private final Path directory;
    /** The folder as messages name it: its path if local, else its URI ({@code s3://bucket/runs}). */
    private final String name;
    private final Predicate<String> expFilter;
    private final boolean skipErrors;
    private final List<ReadError> errors = new ArrayList<>();
    private final Set<String> errorKeys = new HashSet<>();
    private final ReaderThreads threads;
    private final Clock clock;
    private final RunIndex index;
    private volatile boolean closed;

    /**
     * A reader of every experiment in {@code directory}, with the defaults of {@link #builder}.
     * Python: {@code CollectionReader(directory)}.
     *
     * @param directory the storage folder whose sub-folders are experiments
     * @return the reader; close it
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public static CollectionReader open(Path directory) {
        return builder(directory).build();
    }

    /**
     * A reader of every experiment in {@code directory}, with the defaults of {@link #builder}:
     * {@link #open(Path)}. Python: {@code CollectionReader(directory)}.
     *
     * @param directory the storage folder whose sub-folders are experiments, on any
     *     {@code java.nio} file system (a folder that is not local is read-only)
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public CollectionReader(Path directory) {
        this(new Builder(directory));
    }

    /**
     * A reader of every experiment in the folder {@code directory} names, with the defaults of
     * {@link #builder}: {@link #open(URI)}.
     *
     * @param directory {@code file:///runs}, {@code s3://bucket/runs}, {@code hdfs://namenode/runs}, ...
     * @throws IllegalArgumentException if no installed file system serves the URI, or it is not a folder
     */
    public CollectionReader(URI directory) {
        this(builder(directory));
    }

    /**
     * A reader of every experiment in the folder {@code directory} names, with the defaults of
     * {@link #builder}.
     *
     * @param directory {@code file:///runs}, {@code s3://bucket/runs}, {@code hdfs://namenode/runs}, ...
     * @return the reader; close it
     * @throws IllegalArgumentException if no installed file system serves the URI, or it is not a folder
     */
    public static CollectionReader open(URI directory) {
        return builder(directory).build();
    }

    private CollectionReader(Builder b) {
        this.directory = b.directory;
        this.name = Locations.text(directory);
        this.expFilter = b.expFilter;
        this.skipErrors = b.skipErrors;
        this.clock = b.clock;
        this.index = !b.useSummaries ? null : b.index != null ? b.index : RunIndex.inMemory(b.directory);
        this.threads = new ReaderThreads(directory, b.parallelism, b.progress);
    }

    /**
     * A builder of a reader of {@code directory}: by default every experiment, errors fail the
     * call, no progress reports, one thread per processor.
     *
     * @param directory the storage folder whose sub-folders are experiments, on any
     *     {@code java.nio} file system (a folder that is not local is read-only)
     * @return a new builder
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * A builder of a reader of the folder {@code directory} names: a {@code file:} URI is a local
     * folder; any other scheme is read through the {@code java.nio} file system provider installed
     * for it ({@link Locations#path}): {@code s3://} with {@code aws-java-nio-spi-for-s3} (set up
     * from the usual AWS settings, {@code AWS_ENDPOINT_URL} included),
     * {@code hdfs://} and Hadoop's other schemes with module {@code cox4j-hadoop} and the Hadoop
     * client jars. A remote collection is read-only.
     *
     * @param directory {@code file:///runs}, {@code s3://bucket/runs}, {@code hdfs://namenode/runs}, ...
     * @return a new builder
     * @throws IllegalArgumentException naming the URI if no installed file system serves its scheme
     *     (the message says which jars do), or it is not a folder
     */
    public static Builder builder(URI directory) {
        return new Builder(Locations.path(directory));
    }

    /** @return the storage folder, absolute */
    public Path directory() {
        return directory;
    }

    /** @return the clock that tells an {@link RunStatus#ACTIVE active} store from an {@link RunStatus#IDLE idle} one */
    public Clock clock() {
        return clock;
    }

    /**
     * The ids (folder names) of the experiments that pass the reader's filter, sorted. Python:
     * the keys of {@code reader.stores}.
     *
     * @return the experiment ids
     * @throws CoxIOException if the folder cannot be listed
     */
    public List<String> expIds() {
        checkOpen();
        try (Stream<Path> children = Files.list(directory)) {
            return children
                    .filter(Store::isExperiment)
                    .map(Locations::name)
                    .filter(expFilter)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CoxIOException("cannot list the experiments in " + name, e);
        }
    }

    /**
     * The ids among {@code ids} that {@code prefix} may name, the rule of {@link #resolveExpId}
     * for callers that keep their own list of runs (the web page): {@code prefix} alone if it is
     * one of them, else every id that starts with it (none for an empty prefix).
     *
     * @param ids experiment ids
     * @param prefix an experiment id or its first characters
     * @return the candidates, in the order of {@code ids}: one means {@code prefix} names that run
     */
    public static List<String> expIdsNamedBy(Collection<String> ids, String prefix) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(prefix, "prefix");
        if (ids.contains(prefix)) {
            return List.of(prefix);
        }
        return prefix.isEmpty() ? List.of() : ids.stream().filter(id -> id.startsWith(prefix)).toList();
    }

    /**
     * The experiment an id or the start of one names, as a user types it: {@code expId} itself
     * if an experiment has that id, else the one experiment whose id starts with it (as git takes
     * a commit's prefix).
     *
     * @param prefix an experiment id or its first characters
     * @return the full experiment id
     * @throws IllegalArgumentException if no experiment's id is or starts with {@code prefix}
     *     (the message names the folder), or several start with it (the message lists them, at
     *     most ten, and how many more)
     * @throws CoxIOException if the folder cannot be listed
     */
    public String resolveExpId(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<String> matches = expIdsNamedBy(expIds(), prefix);
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no run '" + prefix + "' in " + name
                    + " (no run's exp_id is or starts with it)");
        }
        int shown = Math.min(10, matches.size());
        throw new IllegalArgumentException("'" + prefix + "' is the start of " + matches.size() + " runs' exp_ids in "
                + name + ": " + String.join(", ", matches.subList(0, shown))
                + (shown < matches.size() ? " and " + (matches.size() - shown) + " more" : "") + "; give more of it");
    }

    /**
     * Opens experiment {@code expId} read-only; the caller closes it. Python: {@code reader.stores[exp_id]}.
     *
     * @param expId an experiment id
     * @return the store, in {@link Mode#READ}
     * @throws IllegalArgumentException if {@code expId} is not a plain folder name
     * @throws CoxException if there is no such store or it cannot be opened
     */
    public Store store(String expId) {
        Objects.requireNonNull(expId, "expId");
        checkOpen();
        try {
            return Store.open(directory, expId, Mode.READ);
        } catch (CoxException e) {
            throw e.withContext("experiment " + expId + " of " + name);
        }
    }

    /**
     * The names of the tables any experiment has, in the order first seen (experiments in id
     * order). Python: {@code reader.tables}.
     *
     * @return the table names
     */
    public Set<String> tables() {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, Schema> s : openAll("listing tables", skipErrors)) {
            if (s != null) {
                out.addAll(s.keySet());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Each table's schema across the experiments: the merged schema (INT with FLOAT is FLOAT, as
     * cox merges) and the experiments whose schema differs. Python: {@code reader.schemas} (one
     * schema per table, the last seen) and the warnings {@code log_warnings} prints.
     *
     * @return table name to its schema report, tables in the order first seen
     */
    public Map<String, TableSchema> schemas() {
        List<String> ids = expIds();
        List<Map<String, Schema>> perExp = openAll("reading schemas", skipErrors, ids);
        Map<String, Map<String, Schema>> byTable = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Schema> s = perExp.get(i);
            if (s == null) {
                continue;
            }
            for (Map.Entry<String, Schema> e : s.entrySet()) {
                byTable.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(ids.get(i), e.getValue());
            }
        }
        Map<String, TableSchema> out = new LinkedHashMap<>();
        byTable.forEach((table, schemas) -> out.put(table, TableSchema.merge(table, schemas)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * What {@code cox ls} shows of each experiment: tables with row counts, last write time, and
     * its {@link RunStatus} (the builder's {@link Builder#clock clock} tells {@code active} from
     * {@code idle}). An experiment that cannot be read is listed with its error (this method does
     * not fail for one experiment, whatever {@code skipErrors} says). A collection that is not
     * local never has a {@link RunStatus#RUNNING running} run: a writer on another machine cannot
     * be seen, so a cox4j run being written there is {@link RunStatus#INTERRUPTED interrupted}.
     *
     * @return one entry per experiment, in id order
     */
    public List<RunInfo> runs() {
        return listRuns(null, DfOptions.defaults()).runs();
    }

    /**
     * {@link #runs()} and {@link #summaryRows(String, DfOptions) summaryRows(table, options)} from
     * one look at each run's files (its stamp and the run index's summary are taken once for both):
     * what {@code cox ls} lists, with the metadata rows it tells short runs by.
     *
     * @param table the table whose kept rows to gather, or null for none
     * @param options how to gather them; {@link DfOptions#where} must not be set
     * @return the runs, and the rows as {@code summaryRows} returns them (null when they cannot
     *     answer for every run, or {@code table} is null)
     * @throws IllegalArgumentException if {@code options} has a {@code where} filter
     */
    public RunListing listRuns(String table, DfOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.where() != null) {
            throw new IllegalArgumentException("listRuns gathers whole runs: filter the rows with df(table, options)");
        }
        List<String> ids = expIds();
        Instant now = clock.instant();
        java.util.function.Predicate<Path> openForWriting = Store.openForWritingProbe();
        boolean gather = table != null && options.unionSchemas() && index != null;
        Predicate<String> wanted = options.expFilter() == null ? id -> true : options.expFilter();
        List<Listed> out = readEach("listing runs", ids, null, false, id -> {
            Path folder = directory.resolve(id);
            if (index == null) {
                return new Listed(runInfoFromStore(id, folder, now, openForWriting), null);
            }
            RunIndex.Stamp stamp = RunIndex.Stamp.of(folder);
            Instant lastWrite = stamp.lastWrite();
            if (lastWrite == null || stamp.unreadable()) {
                return new Listed(runInfoFromStore(id, folder, now, openForWriting), null); // says why
            }
            RunIndex.Known known;
            try {
                known = knownOf(id, folder, stamp);
            } catch (CoxException | UncheckedIOException | IllegalArgumentException e) {
                return new Listed(runInfoFromStore(id, folder, now, openForWriting), null); // says why
            }
            boolean running = openForWriting.test(folder);
            boolean journal = stamp.journalSize() >= 0;
            RunStatus status = RunStatus.of(running, journal, !running && journal && known.closedCleanly(), lastWrite, now);
            Map<String, Long> rows = new LinkedHashMap<>();
            known.summary().tables().forEach((t, summary) -> rows.put(t, summary.rows()));
            Outcome<ExperimentRows> kept = null;
            if (gather) {
                kept = wanted.test(id) ? keptRows(id, known.summary(), table, options.metadataTable(), List.of(), List.of())
                        : new Outcome<>(null, null);
            }
            return new Listed(new RunInfo(id, rows, lastWrite, status, null), kept);
        });
        if (index != null) {
            index.save();
        }
        List<RunInfo> runs = new ArrayList<>(out.size());
        List<Outcome<ExperimentRows>> read = new ArrayList<>(out.size());
        for (Listed l : out) {
            runs.add(l.info());
            read.add(l.rows());
        }
        return new RunListing(runs, gather ? gathered(read, options) : null);
    }

    /** A run as {@link #listRuns} lists it: what {@link #runs()} says, and its kept rows (null: they cannot answer). */
    private record Listed(RunInfo info, Outcome<ExperimentRows> rows) {
    }

    /** What {@link #runs()} says of a run, from its files and store, without the run index. */
    private static RunInfo runInfoFromStore(String id, Path folder, Instant now, java.util.function.Predicate<Path> locked) {
        Instant lastWrite;
        RunStatus status;
        try {
            lastWrite = Store.lastWriteTime(folder);
            status = RunStatus.of(folder, now, locked);
        } catch (CoxException e) {
            return new RunInfo(id, Map.of(), Instant.EPOCH, null, e.getMessage());
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Store s = Store.open(folder.getParent(), id, Mode.READ)) {
            for (String t : s.keys()) {
                rows.put(t, s.table(t).nrows());
            }
        } catch (CoxException | UncheckedIOException | IllegalArgumentException e) { // an id no store may have
            return new RunInfo(id, Map.of(), lastWrite, status, e.getMessage());
        }
        return new RunInfo(id, rows, lastWrite, status, null);
    }

    /**
     * The {@link RunSummary} of one experiment: from the reader's {@link RunIndex} while the
     * run's files are unchanged, else the one its cox4j writer keeps if it still holds, else made
     * from its store (and recorded in the index).
     *
     * @param expId an experiment id
     * @return its summary
     * @throws CoxException if the store cannot be read
     */
    public RunSummary summary(String expId) {
        Objects.requireNonNull(expId, "expId");
        checkOpen();
        try {
            return summaryOf(expId);
        } catch (CoxException e) {
            throw e.withContext("experiment " + expId + " of " + name);
        }
    }

    private RunSummary summaryOf(String id) {
        Path folder = directory.resolve(id);
        if (index == null) {
            try (Store store = Store.open(directory, id, Mode.READ)) {
                return RunSummary.of(store);
            }
        }
        return knownOf(id, folder, RunIndex.Stamp.of(folder)).summary();
    }

    /**
     * The run's summary if it is known without reading its rows (the index has it, or its
     * writer's summary file holds), else null: listing tables and schemas then opens the store,
     * which reads no rows.
     */
    private RunSummary knownSummary(String id) {
        if (index == null) {
            return null;
        }
        Store.checkExpId(id); // as opening its store would
        Path folder = directory.resolve(id);
        RunIndex.Stamp stamp = RunIndex.Stamp.of(folder);
        RunIndex.Known known = index.lookup(id, stamp);
        if (known != null) {
            return known.summary();
        }
        RunSummary written = RunSummary.written(folder);
        if (written != null) {
            try {
                index.put(id, stamp, new RunIndex.Known(written, Store.isClosedCleanly(folder)));
            } catch (CoxException e) {
                // its checkpoint cannot be read: not recorded
            }
        }
        return written;
    }

    /** What the index knows of a run at {@code stamp}; found (and recorded) if it knows nothing yet. */
    private RunIndex.Known knownOf(String id, Path folder, RunIndex.Stamp stamp) {
        Store.checkExpId(id); // as opening its store would
        RunIndex.Known known = index.lookup(id, stamp);
        if (known != null) {
            return known;
        }
        RunSummary s = RunSummary.written(folder);
        if (s == null) {
            try (Store store = Store.open(directory, id, Mode.READ)) {
                s = RunSummary.of(store);
            }
        }
        known = new RunIndex.Known(s, Store.isClosedCleanly(folder));
        index.put(id, stamp, known);
        return known;
    }

    /**
     * {@link #summaryRows(String, DfOptions, Collection, Collection)} needing no row of a least or
     * greatest number: what the first and last rows, the least and greatest numbers and the means
     * answer from ({@code --last}, {@code --summary}, {@code --group-by}).
     *
     * @param table the table name
     * @param options how to gather it; {@link DfOptions#where} must not be set
     * @return the rows and summaries, or null as said there
     * @throws IllegalArgumentException if {@code options} has a {@code where} filter
     */
    public SummaryRows summaryRows(String table, DfOptions options) {
        return summaryRows(table, options, List.of(), List.of());
    }

    /**
     * The rows a one-row-per-run answer needs, taken from the runs' {@link RunSummary summaries}
     * instead of their stores: for each run, the rows of {@code table} its summary keeps (the first,
     * the last, and some of those holding a numeric column's least or greatest number), gathered as
     * {@link #df(String, DfOptions)} gathers all rows, with each run's {@link TableSummary}. What
     * {@code RunQuery} reduces from ({@code cox df --last/--best/--summary/--group-by}), so that
     * they read no store whose summary is known and keeps the rows asked for. A run whose summary
     * does not keep the row of the least number of a column of {@code leastRowsOf} (the greatest of
     * {@code greatestRowsOf}) is read from its store, and its rows are then the first, the last and
     * every row of a least or greatest number, with a summary made from them. Not in Python cox.
     *
     * @param table the table name
     * @param options how to gather it; {@link DfOptions#where} must not be set
     * @param leastRowsOf columns whose row of the least number the answer needs ({@code --best loss})
     * @param greatestRowsOf columns whose row of the greatest number the answer needs ({@code --best acc})
     * @return the rows and summaries, or null when they cannot answer for every run (or the
     *     reader was built not to {@link Builder#useSummaries use summaries}): a run that
     *     cannot be read, a table or metadata table that keeps no rows (OBJECT, PICKLE or
     *     PYTORCH_STATE columns, or long text), or {@code unionSchemas(false)}; then read with
     *     {@link #df(String, DfOptions)}
     * @throws IllegalArgumentException if {@code options} has a {@code where} filter
     */
    public SummaryRows summaryRows(String table, DfOptions options, Collection<String> leastRowsOf,
            Collection<String> greatestRowsOf) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(leastRowsOf, "leastRowsOf");
        Objects.requireNonNull(greatestRowsOf, "greatestRowsOf");
        if (options.where() != null) {
            throw new IllegalArgumentException("summaryRows gathers whole runs: filter the rows with df(table, options)");
        }
        if (!options.unionSchemas() || index == null) {
            return null;
        }
        List<String> ids = expIds();
        if (options.expFilter() != null) {
            ids = ids.stream().filter(options.expFilter()).toList();
        }
        String meta = options.metadataTable();
        List<Outcome<ExperimentRows>> read = threads.run(ids, id -> {
            try {
                return keptRows(id, summaryOf(id), table, meta, leastRowsOf, greatestRowsOf);
            } catch (CoxException | UncheckedIOException | IllegalArgumentException e) {
                return null; // df says why, or skips the run
            }
        });
        index.save();
        return gathered(read, options);
    }

    /**
     * The rows of {@code table} that run {@code id}'s summary {@code s} keeps, with the last row of
     * {@code meta} as its parameters; read from its store when {@code s} lacks a row asked for.
     *
     * @return the rows (a null value: the run has no such table), or null when the summary cannot answer
     */
    private Outcome<ExperimentRows> keptRows(String id, RunSummary s, String table, String meta,
            Collection<String> leastRowsOf, Collection<String> greatestRowsOf) {
        try {
            TableSummary t = s.tables().get(table);
            if (t == null) {
                return new Outcome<>(null, null);
            }
            Map<String, Object> parameters = null;
            if (meta != null && s.tables().containsKey(meta)) {
                TableSummary m = s.tables().get(meta);
                if (m.rows() > 0 && !m.rowsKept()) {
                    return null;
                }
                parameters = m.rows() == 0 ? null : ExperimentRows.lastKeptRow(m);
            }
            if (t.rowsKept() && !keepsRowsOf(t, leastRowsOf, greatestRowsOf)) {
                try (Store store = Store.open(directory, id, Mode.READ)) {
                    t = store.keys().contains(table) ? TableSummary.withEveryExtremeRow(store, table) : null;
                }
                if (t == null) {
                    return new Outcome<>(null, null); // gone since its summary was made
                }
            }
            ExperimentRows rows = ExperimentRows.kept(id, t, parameters);
            return rows == null ? null : new Outcome<>(rows, null);
        } catch (CoxException | UncheckedIOException | IllegalArgumentException e) {
            return null; // df says why, or skips the run
        }
    }

    /** The runs' kept rows gathered into one frame, or null if a run's summary cannot answer. */
    private SummaryRows gathered(List<Outcome<ExperimentRows>> read, DfOptions options) {
        List<ExperimentRows> runs = new ArrayList<>();
        Map<String, TableSummary> summaries = new LinkedHashMap<>();
        for (Outcome<ExperimentRows> o : read) {
            if (o == null) {
                return null;
            }
            if (o.value() != null) {
                runs.add(o.value());
                summaries.put(o.value().expId, o.value().summary);
            }
        }
        if (runs.isEmpty()) {
            return new SummaryRows(options.appendExpId() ? DataFrame.empty(EXP_ID) : DataFrame.empty(), summaries);
        }
        Concatenation concat = new Concatenation(runs, options.appendExpId(), options.metadataTable());
        List<Series<?>> columns = threads.run(concat.columnTasks(), Supplier::get);
        return new SummaryRows(concat.frame(columns), summaries);
    }

    /** Whether {@code t} keeps the row of the least number of each of {@code least} and the greatest of {@code greatest}. */
    private static boolean keepsRowsOf(TableSummary t, Collection<String> least, Collection<String> greatest) {
        for (int m = 0; m < 2; m++) {
            for (String c : m == 0 ? least : greatest) {
                if (t.schema().containsKey(c) && t.isNumeric(c) && t.count(c) > 0
                        && !t.keeps(m == 0 ? t.minRow(c) : t.maxRow(c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The rows of table {@code table} of every experiment that has it, experiment by experiment
     * (in id order), with a last column {@value #EXP_ID}; OBJECT and PICKLE cells decoded, columns
     * of differing schemas unioned (missing cells null). Python: {@code CollectionReader.df(key)}.
     *
     * @param table the table name
     * @return one data frame; with no rows (and only the {@value #EXP_ID} column) if no experiment has the table
     * @throws CoxException naming the experiment whose store cannot be read (unless {@code skipErrors})
     */
    public DataFrame df(String table) {
        return df(table, DfOptions.defaults());
    }

    /**
     * The rows of table {@code table} of every experiment that has it, gathered as
     * {@code options} says. Python: {@code CollectionReader.df(key, append_exp_id, keep_serialized,
     * union_schemas, exp_filter, skip_errors)}.
     *
     * <p>Columns: the table's columns in the order first seen, then {@value #EXP_ID} (unless
     * {@link DfOptions#appendExpId(boolean) appendExpId(false)}), then the joined parameters. An
     * INT column is a {@code long} series, FLOAT {@code double}, BOOL {@code boolean} and STR
     * {@code String}; a column that is INT in some experiments and FLOAT in others is FLOAT (as
     * cox merges); a column some experiments lack, or whose types conflict otherwise, holds boxed
     * values and nulls. OBJECT and PICKLE cells are decoded with the experiment's own column type
     * (cox looks at the first experiment's) into maps, lists, numbers, strings...
     *
     * @param table the table name
     * @param options how to gather it
     * @return one data frame
     * @throws CoxException naming the experiment whose store cannot be read (unless skipping errors)
     * @throws cox.readers.filter.FilterTypeException if {@link DfOptions#where} compares a number
     *     column with text that is neither a number nor a column's name (the filter is bound to the
     *     frame's columns as {@link RunFilter#bind} says)
     */
    public DataFrame df(String table, DfOptions options) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(options, "options");
        boolean skip = options.skipErrors() != null ? options.skipErrors() : skipErrors;
        List<String> ids = expIds();
        if (options.expFilter() != null) {
            ids = ids.stream().filter(options.expFilter()).toList();
        }
        List<ExperimentRows> read = readEach("reading " + table, ids, table, skip,
                id -> ExperimentRows.read(directory, id, table, options.metadataTable(), options.keepSerialized()));
        List<ExperimentRows> runs = new ArrayList<>();
        for (ExperimentRows r : read) {
            if (r != null) {
                runs.add(r);
            }
        }
        if (!options.unionSchemas()) {
            runs = sameColumns(runs, table, skip);
        }
        if (runs.isEmpty()) {
            return options.appendExpId() ? DataFrame.empty(EXP_ID) : DataFrame.empty();
        }
        Concatenation concat = new Concatenation(runs, options.appendExpId(), options.metadataTable());
        RunFilter where = options.where() == null ? null : concat.bind(options.where());
        if (where != null) {
            threads.run(runs, r -> {
                concat.select(r, where);
                return r;
            });
        }
        List<Series<?>> columns = threads.run(concat.columnTasks(), Supplier::get);
        return concat.frame(columns);
    }

    /** With {@code unionSchemas(false)}: experiments whose columns are not the first's are errors. */
    private List<ExperimentRows> sameColumns(List<ExperimentRows> runs, String table, boolean skip) {
        if (runs.isEmpty()) {
            return runs;
        }
        ExperimentRows first = runs.get(0);
        Set<String> expected = new LinkedHashSet<>(Arrays.asList(first.names));
        List<ExperimentRows> out = new ArrayList<>();
        for (ExperimentRows r : runs) {
            Set<String> own = new LinkedHashSet<>(Arrays.asList(r.names));
            if (own.equals(expected)) {
                out.add(r);
                continue;
            }
            Set<String> missing = new LinkedHashSet<>(expected);
            missing.removeAll(own);
            Set<String> extra = new LinkedHashSet<>(own);
            extra.removeAll(expected);
            StoreException e = new StoreException("experiment " + r.expId + " of " + name + ": table '" + table
                    + "' has other columns than in experiment " + first.expId + " (missing " + missing + ", extra " + extra
                    + "); use unionSchemas(true) to join them on column names");
            if (!skip) {
                throw e;
            }
            record(new ReadError(r.expId, table, e));
        }
        return out;
    }

    /**
     * The experiments skipped so far because they could not be read (with {@code skipErrors}),
     * each once per table, in the order met. Python cox prints these instead.
     *
     * @return a snapshot of the skipped experiments and why
     */
    public List<ReadError> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /**
     * Saves the run index (if it keeps a file and learned something) and releases the reader's
     * threads; idempotent. Later calls fail with an {@link IllegalStateException}. Python:
     * {@code CollectionReader.close()}.
     */
    @Override
    public void close() {
        closed = true;
        if (index != null) {
            index.save(); // what summary() found, for the next reader
        }
        threads.close();
    }

    @Override
    public String toString() {
        return "CollectionReader " + name + (closed ? " (closed)" : "");
    }

    // ------------------------------------------------------------------ internals

    private List<Map<String, Schema>> openAll(String step, boolean skip) {
        return openAll(step, skip, expIds());
    }

    /** Each experiment's tables and schemas (null for one skipped). */
    private List<Map<String, Schema>> openAll(String step, boolean skip, List<String> ids) {
        List<Map<String, Schema>> out = readEach(step, ids, null, skip, id -> {
            RunSummary known = knownSummary(id);
            if (known != null) {
                Map<String, Schema> m = new LinkedHashMap<>();
                known.tables().forEach((t, summary) -> m.put(t, summary.schema()));
                return m;
            }
            try (Store s = Store.open(directory, id, Mode.READ)) {
                Map<String, Schema> m = new LinkedHashMap<>();
                for (String t : s.keys()) {
                    Table table = s.table(t);
                    m.put(t, table.schema());
                }
                return m;
            }
        });
        if (index != null) {
            index.save();
        }
        return out;
    }

    /** What is done to one experiment; anything it throws is that experiment's failure. */
    @FunctionalInterface
    private interface ExperimentWork<R> {
        R apply(String expId) throws Exception;
    }

    /** An experiment's result, or why it was skipped. */
    private record Outcome<R>(R value, CoxException skipped) {
    }

    /**
     * Runs {@code work} on each experiment on the reader's threads, reporting {@code step}; results
     * in id order. Whatever an experiment's work throws becomes a {@link CoxException} naming the
     * experiment (and {@code table}); with {@code skip} it is recorded in {@link #errors()} and the
     * experiment's result is null, otherwise the call fails with it as {@link ReaderThreads} does
     * (the first failure stops the experiments not yet started).
     */
    private <R> List<R> readEach(String step, List<String> ids, String table, boolean skip, ExperimentWork<R> work) {
        checkOpen();
        List<Outcome<R>> outcomes = threads.runReporting(step, ids, id -> {
            CoxException failure;
            try {
                return new Outcome<>(work.apply(id), null);
            } catch (CoxException e) {
                failure = e.withContext(where(id, table));
            } catch (UncheckedIOException e) {
                failure = new CoxIOException(where(id, table) + ": " + e.getMessage(), e);
            } catch (Exception e) {
                failure = new StoreException(where(id, table) + ": " + e, e);
            }
            if (!skip) {
                throw failure;
            }
            return new Outcome<>(null, failure);
        });
        List<R> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Outcome<R> o = outcomes.get(i);
            if (o.skipped() != null) {
                record(new ReadError(ids.get(i), table, o.skipped()));
            }
            out.add(o.value());
        }
        return out;
    }

    private String where(String expId, String table) {
        return table == null ? "experiment " + expId + " of " + name
                : "cannot read table '" + table + "' of experiment " + expId + " in " + name;
    }

    private void record(ReadError e) {
        synchronized (errors) {
            if (errorKeys.add(e.expId() + "\0" + e.table())) {
                errors.add(e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("collection reader of " + name + " is closed");
        }
    }

    /**
     * Configures a {@link CollectionReader}. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private final Path directory;
        private Predicate<String> expFilter = id -> true;
        private boolean skipErrors;
        private ProgressListener progress = ProgressListener.NONE;
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private Clock clock = Clock.systemUTC();
        private RunIndex index;
        private boolean useSummaries = true;

        private Builder(Path directory) {
            Objects.requireNonNull(directory, "directory");
            this.directory = directory.toAbsolutePath().normalize();
            if (!Files.isDirectory(this.directory)) {
                throw new IllegalArgumentException("not a folder of experiments: " + Locations.text(this.directory));
            }
        }

        /**
         * Reads only experiments whose id passes. Python: {@code exp_filter}.
         *
         * @param filter a predicate on experiment ids
         * @return this builder
         */
        public Builder expFilter(Predicate<String> filter) {
            this.expFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Whether experiments that cannot be read are skipped and reported by
         * {@link CollectionReader#errors()} (true) or fail the call (false, the default). Python:
         * {@code skip_errs}.
         *
         * @param skip whether to skip unreadable experiments
         * @return this builder
         */
        public Builder skipErrors(boolean skip) {
            this.skipErrors = skip;
            return this;
        }

        /**
         * Where to report progress through the experiments. Python cox shows a {@code tqdm} bar.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How many stores to read at once (default: the number of processors). With the native
         * HDF5 library, whose calls are serialised, only the non-HDF5 work overlaps.
         *
         * @param threads at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder parallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism < 1: " + threads);
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * The clock {@link CollectionReader#runs()} reads to tell an {@link RunStatus#ACTIVE active}
         * store from an {@link RunStatus#IDLE idle} one (default: the system clock; tests fix it).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The run index whose summaries the reader uses and adds to (default: one kept in memory
         * for the reader's life). The CLI passes {@link RunIndex#load} of the user's cache folder.
         *
         * @param runIndex an index of this reader's folder
         * @return this builder
         */
        public Builder runIndex(RunIndex runIndex) {
            this.index = Objects.requireNonNull(runIndex, "runIndex");
            return this;
        }

        /**
         * Whether run summaries are used at all (default true). With false, every answer is read
         * from the stores' rows, as before there was a run index: what {@code cox --no-cache}
         * does, to check that the index never changes an answer.
         *
         * @param use whether to use run summaries and the run index
         * @return this builder
         */
        public Builder useSummaries(boolean use) {
            this.useSummaries = use;
            return this;
        }

        /** @return a new reader */
        public CollectionReader build() {
            return new CollectionReader(this);
        }
    }
}
