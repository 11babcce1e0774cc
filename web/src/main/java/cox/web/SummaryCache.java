package cox.web;

import cox.io.Locations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the listed runs' stores hold ({@link RunContents}) and their {@link TableSummary}s, computed
 * when asked for on a small pool of reader threads and kept per run while its stamp is unchanged:
 * a reload does not read a store that did not change. How a run is worked out is one
 * {@link Summarizer} (its store read, or its summary from the run index or its writer). The numeric columns read for a summary stay
 * in a {@link SeriesCache} for the charts. With a {@link SummaryFile}, what was saved at the last
 * run of the server is taken in on first use, and {@link #save} writes it back.
 *
 * <p>Thread-safe: each run's summaries are one immutable value, replaced whole.
 */
final class SummaryCache implements AutoCloseable {
    /** The default table is the one most of this many runs (the first listed) have. */
    static final int DEFAULT_TABLE_SAMPLE = 50;

    /** What is known of one run: its contents and its tables' summaries, each valid while its stamp is the run's. */
    private record Known(RunContents contents, Map<String, TableSummary> tables) {
        static final Known NOTHING = new Known(null, Map.of());

        Known with(RunContents c, String table, TableSummary summary) {
            if (table == null) {
                return new Known(c, tables);
            }
            Map<String, TableSummary> t = new LinkedHashMap<>(tables);
            t.put(table, summary);
            return new Known(c, Collections.unmodifiableMap(t));
        }
    }

    private final Path directory;
    /** The last {@link #defaultTable} answer; a request that finds it stale replaces it. */
    private volatile DefaultTable defaultTable;
    private final String metadataTable;
    private final ExecutorService readers;
    private final SeriesCache columnsCache;
    private final SummaryFile summaryFile;
    private final Summarizer summarizer;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Object restoreLock = new Object();
    private volatile boolean restored;
    /** The runs as the summary file saw them, until the scanner takes them ({@link #takeSavedStates}). */
    private Map<String, ListedRun.State> savedStates = Map.of(); // under restoreLock
    private final Map<String, Future<?>> inflight = new ConcurrentHashMap<>();
    private final AtomicInteger toRead = new AtomicInteger();
    private final AtomicInteger read = new AtomicInteger();
    private final AtomicInteger storeReads = new AtomicInteger();
    /** Stores opened to count a table's rows ({@link #defaultTable}), not counted in storeReads. */
    private final AtomicInteger headerOpens = new AtomicInteger();
    private final AtomicInteger generation = new AtomicInteger();
    private int readsAtSave; // under this

    /**
     * @param directory the storage folder
     * @param metadataTable the table whose first row holds the parameters
     * @param readerThreads the reader threads (daemon threads, stopped by {@link #close})
     * @param cacheBytes the budget of the numeric columns kept for the charts
     * @param summaryFile the summaries saved on disk, or null for none
     * @param summarizer how a run is worked out, or null to read its store ({@link #readStore})
     */
    SummaryCache(Path directory, String metadataTable, int readerThreads, long cacheBytes, SummaryFile summaryFile,
                 Summarizer summarizer) {
        this.directory = directory;
        this.summarizer = summarizer != null ? summarizer
                : (dir, run, stamp, table) -> readStore(dir, metadataTable, run, stamp, table);
        this.metadataTable = metadataTable;
        this.summaryFile = summaryFile;
        this.columnsCache = new SeriesCache(cacheBytes);
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(readerThreads, r -> {
            Thread t = new Thread(r, "cox-serve-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    String metadataTable() {
        return metadataTable;
    }

    /** The known summaries: the summary file's, taken in on first use. */
    private Map<String, Known> known() {
        if (!restored) {
            synchronized (restoreLock) {
                if (!restored) {
                    if (summaryFile != null) {
                        Map<String, ListedRun.State> states = new HashMap<>();
                        for (Map.Entry<String, SummaryFile.Entry> e : summaryFile.load().entrySet()) {
                            SummaryFile.Entry v = e.getValue();
                            known.put(e.getKey(), new Known(v.contents(), Map.copyOf(v.summaries())));
                            states.put(e.getKey(), new ListedRun.State(v.stamp(), false, v.closed(), 1,
                                    ListedRun.NEVER_CHANGED, null));
                        }
                        savedStates = states;
                    }
                    restored = true;
                }
            }
        }
        return known;
    }

    /**
     * The runs the summary file lists, each as a scan saw it when the file was written (its
     * stamp, and whether it was closed cleanly; not running), for the scanner to list before its
     * first scan; once only (later calls get nothing).
     *
     * @return the saved states by exp_id; empty without a summary file
     */
    Map<String, ListedRun.State> takeSavedStates() {
        known();
        synchronized (restoreLock) {
            Map<String, ListedRun.State> out = savedStates;
            savedStates = Map.of();
            return out;
        }
    }

    private Known knownOf(ListedRun run) {
        return known().getOrDefault(run.expId, Known.NOTHING);
    }

    /**
     * The run's tables and parameters now, reading its store if its stamp changed.
     *
     * @param run a listed run
     * @return its contents (with an error message if it cannot be read)
     */
    RunContents contents(ListedRun run) {
        RunContents c = knownOf(run).contents();
        if (c != null && c.stamp().equals(run.stamp())) {
            return c;
        }
        return load(run, null).contents();
    }

    /**
     * The contents known of each run, fresh or not, without reading any store.
     *
     * @param runs listed runs
     * @return the contents known, in the order of {@code runs}; runs never read are left out
     */
    List<RunContents> knownContents(List<ListedRun> runs) {
        List<RunContents> out = new ArrayList<>(runs.size());
        for (ListedRun r : runs) {
            RunContents c = knownOf(r).contents();
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The run's summary of {@code table} now, reading its store if its stamp changed.
     *
     * @param run a listed run
     * @param table a table name
     * @return its summary; rows -1 if the run has no such table
     */
    TableSummary summary(ListedRun run, String table) {
        TableSummary s = knownOf(run).tables().get(table);
        if (s != null && s.stamp().equals(run.stamp())) {
            return s;
        }
        return load(run, table).summary();
    }

    /**
     * What {@link #contents} and {@link #summary} give for each run, read once from what is known,
     * if every run's is fresh (known at the stamp of the run's state here): then no store is read.
     *
     * @param runs listed runs
     * @param table a table name, or null (then no summaries)
     * @return the states the stamps were taken from, the contents and the summaries (null without a table),
     *     in the order of {@code runs}; null if some run's is not fresh
     */
    Fresh fresh(List<ListedRun> runs, String table) {
        int n = runs.size();
        ListedRun.State[] states = new ListedRun.State[n];
        RunContents[] contents = new RunContents[n];
        TableSummary[] tables = table == null ? null : new TableSummary[n];
        Map<String, Known> all = known();
        for (int i = 0; i < n; i++) {
            ListedRun run = runs.get(i);
            ListedRun.State state = run.state();
            Known k = all.getOrDefault(run.expId, Known.NOTHING);
            RunContents c = k.contents();
            if (c == null || !c.stamp().equals(state.stamp())) {
                return null;
            }
            if (table != null) {
                TableSummary s = k.tables().get(table);
                if (s == null || !s.stamp().equals(state.stamp())) {
                    return null;
                }
                tables[i] = s;
            }
            states[i] = state;
            contents[i] = c;
        }
        return new Fresh(states, contents, tables);
    }

    /**
     * The fresh contents and summaries of listed runs ({@link #fresh}).
     *
     * @param states each run's state whose stamp they were known at
     * @param contents each run's contents
     * @param tables each run's summary of the table, or null without a table
     */
    record Fresh(ListedRun.State[] states, RunContents[] contents, TableSummary[] tables) {
    }

    /**
     * The run's contents as known, fresh or not, without reading its store.
     *
     * @return the contents, or null if never read
     */
    RunContents knownContents(ListedRun run) {
        return knownOf(run).contents();
    }

    /**
     * The run's summary of {@code table} as known, fresh or not, without reading its store.
     *
     * @return the summary, or null if none was ever read
     */
    TableSummary knownSummary(ListedRun run, String table) {
        return table == null ? null : knownOf(run).tables().get(table);
    }

    /**
     * The numeric columns of {@code table} of the run now, from the cache or read.
     *
     * @return the columns, or null if the run has no such table or cannot be read
     */
    TableColumns columns(ListedRun run, String table) {
        TableColumns c = columnsCache.get(run.expId, table, run.stamp());
        if (c != null) {
            return c;
        }
        // the rows themselves: only the store has them
        return record(run, table, readStore(directory, metadataTable, run, run.stamp(), table)).columns();
    }

    /**
     * Computes, on the reader threads, the summaries of {@code table} (or only the contents, for
     * null) of every run in {@code runs} that lacks a fresh one, and waits for them. A run being
     * read for another caller is waited for, not read twice.
     */
    void summarize(Collection<ListedRun> runs, String table) {
        List<Future<?>> futures = new ArrayList<>();
        for (ListedRun run : runs) {
            if (fresh(run, table)) {
                continue;
            }
            String key = run.expId + '\u0000' + table;
            Future<?> f = inflight.computeIfAbsent(key, k -> {
                toRead.incrementAndGet();
                return readers.submit(() -> {
                    try {
                        if (!fresh(run, table)) {
                            if (table != null) {
                                summary(run, table);
                            }
                            contents(run);
                        }
                    } finally {
                        read.incrementAndGet();
                        inflight.remove(k);
                    }
                });
            });
            futures.add(f);
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the runs of " + Locations.text(directory), e);
            } catch (CancellationException e) {
                throw new IllegalStateException("the server is closing", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private boolean fresh(ListedRun run, String table) {
        RunStamp stamp = run.stamp();
        Known k = knownOf(run);
        if (k.contents() == null || !k.contents().stamp().equals(stamp)) {
            return false;
        }
        TableSummary s = table == null ? null : k.tables().get(table);
        return table == null || s != null && s.stamp().equals(stamp);
    }

    /**
     * What working out a run gave: its contents, and the summary of the table asked for (null for
     * none) and its numeric columns if they were read (null if not: the charts read them later).
     */
    record Loaded(RunContents contents, TableSummary summary, TableColumns columns) {
    }

    /**
     * The one step that works out what the page knows of a run: its contents and its summary of a
     * table. {@link #readStore} reads the store's rows; {@link WrittenSummaries} takes the run's
     * summary from the run index or its writer instead. Must be thread-safe (the reader threads
     * call it at once) and never throw for a run that cannot be read: its contents carry the error.
     */
    @FunctionalInterface
    interface Summarizer {
        /**
         * @param directory the storage folder
         * @param run the run
         * @param stamp its stamp, taken before reading (a write during the read makes the next scan read again)
         * @param table the table to summarize, or null for the contents only
         * @return what was worked out
         */
        Loaded summarize(Path directory, ListedRun run, RunStamp stamp, String table);
    }

    /**
     * Works a run out by reading its store: its contents, and the numeric columns of {@code table}
     * and their {@link MetricSummary}s.
     */
    static Loaded readStore(Path directory, String metadataTable, ListedRun run, RunStamp stamp, String table) {
        RunReader.Read r = RunReader.read(directory, run.expId, stamp, metadataTable, table);
        TableSummary summary = null;
        if (table != null) {
            if (r.contents().error() != null) {
                summary = new TableSummary(stamp, -1, Map.of(), r.contents().error());
            } else if (r.columns() == null) {
                summary = new TableSummary(stamp, -1, Map.of(), null);
            } else {
                Map<String, MetricSummary> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, double[]> c : r.columns().columns().entrySet()) {
                    metrics.put(c.getKey(), MetricSummary.of(c.getValue(), r.columns().rows()));
                }
                summary = new TableSummary(stamp, r.columns().rows(), metrics, null);
            }
        }
        return new Loaded(r.contents(), summary, r.columns());
    }

    private Loaded load(ListedRun run, String table) {
        return record(run, table, summarizer.summarize(directory, run, run.stamp(), table));
    }

    private Loaded record(ListedRun run, String table, Loaded l) {
        if (l.columns() != null && table != null) {
            columnsCache.put(run.expId, table, l.columns());
        }
        TableSummary s = l.summary();
        boolean[] changed = new boolean[1];
        known().compute(run.expId, (id, old) -> {
            Known was = old == null ? Known.NOTHING : old;
            changed[0] = !l.contents().equals(was.contents()) || table != null && !s.equals(was.tables().get(table));
            return was.with(l.contents(), table, s);
        });
        storeReads.incrementAndGet();
        if (changed[0]) {
            generation.incrementAndGet(); // after: a generation() that moved on sees what was recorded
        }
        return l;
    }

    /**
     * The table to show when none is chosen: the table with the most rows per run, other than the
     * metadata table (a run's {@code results}, logged every epoch, over a {@code config} table of
     * one row), counted over up to the first {@link #DEFAULT_TABLE_SAMPLE} runs (those already
     * known, if any are), a run without the table counting 0 rows; ties go to the one seen first.
     * Row counts come from the summaries known, else from the tables' headers (a store open that
     * reads no rows and is not counted as a store read), once for the sample's stamps; the
     * metadata table's are not counted (it is chosen only when it is the one table).
     *
     * @return a table name, or null if no run has a table
     */
    String defaultTable(List<ListedRun> listed) {
        List<ListedRun> sample = listed.subList(0, Math.min(DEFAULT_TABLE_SAMPLE, listed.size()));
        // runs known already (from the summary file, or read before) answer without a read
        List<ListedRun> knownRuns = sample.stream().filter(r -> fresh(r, null)).toList();
        if (knownRuns.isEmpty()) {
            summarize(sample, null);
            knownRuns = sample;
        }
        List<Object> key = new ArrayList<>();
        for (ListedRun run : knownRuns) {
            key.add(run.expId);
            key.add(run.stamp());
        }
        DefaultTable cached = defaultTable;
        if (cached != null && cached.key().equals(key)) {
            return cached.table();
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (ListedRun run : knownRuns) {
            RunContents info = contents(run);
            Map<String, Long> counts = null;
            for (String t : info.tables().keySet()) {
                TableSummary known = knownOf(run).tables().get(t); // no read: a stale summary is as good a count here
                long n;
                if (t.equals(metadataTable)) {
                    n = 0; // never chosen for its rows (only when it is the one table): no store opened to count them
                } else if (known != null && known.rows() >= 0) {
                    n = known.rows();
                } else {
                    if (counts == null) {
                        headerOpens.incrementAndGet();
                        counts = RunReader.rowCounts(directory, run.expId);
                    }
                    n = counts.getOrDefault(t, 0L);
                }
                rows.merge(t, n, Long::sum);
            }
        }
        String best = null;
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            if (!e.getKey().equals(metadataTable) && (best == null || e.getValue() > rows.get(best))) {
                best = e.getKey();
            }
        }
        String table = best != null ? best : rows.isEmpty() ? null : rows.keySet().iterator().next();
        defaultTable = new DefaultTable(List.copyOf(key), table);
        return table;
    }

    /** The default table worked out for the sample of runs (ids and stamps) in {@code key}. */
    private record DefaultTable(List<Object> key, String table) {
    }

    /** @return the summary file, or null for none */
    SummaryFile summaryFile() {
        return summaryFile;
    }

    /**
     * @return whether nothing was read since the start (no store, run index or header): all that is
     *     known came from the summary file, so an answer worked out now depends on it alone
     */
    boolean readNothing() {
        return storeReads.get() == 0 && headerOpens.get() == 0;
    }

    /** @return a number that moves on whenever what is known of a run changes (not when a read finds the same) */
    int generation() {
        return generation.get();
    }

    /** @return reading progress: runs queued for reading and read so far, store opens, cached bytes */
    Map<String, Object> progress() {
        Map<String, Object> out = new HashMap<>();
        out.put("queued", toRead.get());
        out.put("read", read.get());
        out.put("store_reads", storeReads.get());
        out.put("cached_bytes", columnsCache.bytes());
        return out;
    }

    /** Forgets the summaries of runs the listing no longer has (a run that comes back is read again). */
    void forgetUnlisted(RunScanner.Listing listing) {
        Set<String> listed = new HashSet<>();
        for (ListedRun r : listing.runs()) {
            listed.add(r.expId);
        }
        known().keySet().retainAll(listed);
    }

    /**
     * Writes the summary file if stores were read since it was last written; a failure only costs
     * the next start time.
     *
     * @param listing the runs to save (their fresh, error-free summaries), or null before the first scan (nothing saved)
     */
    synchronized void save(RunScanner.Listing listing) {
        if (summaryFile == null || storeReads.get() == readsAtSave || listing == null) {
            return;
        }
        int reads = storeReads.get();
        Map<String, SummaryFile.Entry> entries = new LinkedHashMap<>();
        for (ListedRun r : listing.runs()) {
            Known k = knownOf(r);
            ListedRun.State state = r.state();
            entries.put(r.expId, new SummaryFile.Entry(state.stamp(), k.contents(), k.tables(), state.closed()));
        }
        try {
            summaryFile.save(entries);
            readsAtSave = reads;
        } catch (IOException | RuntimeException e) {
            // no summary file this time: the next start reads the stores
        }
    }

    /** Stops the reader threads (a summarize waiting on them fails: the server is closing). */
    @Override
    public void close() {
        readers.shutdownNow();
    }
}
