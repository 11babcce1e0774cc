package cox.web;

import cox.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runs of one storage folder and what the page knows of each, kept current cheaply.
 *
 * <p>A <b>scan</b> lists the folder and takes each run's {@link RunStamp} (sizes and times of
 * {@code store.h5} and the journal) and whether a writer holds it; a run whose stamp changed gets
 * the next <b>version</b> number, so a client that saw version V asks for the runs changed since
 * V. A full scan stats two files per run (about half a second for 10,000 runs on a loaded
 * machine), so scanning runs on a background thread every {@code minScanMillis} while clients ask
 * (a request in the last 30 s): a small folder is scanned fully each time; in a big one (a full
 * scan over 50 ms) only the hot runs (running, or changed in the last minute) are looked at, and
 * the full scan, which finds new and removed runs, comes every {@code max(5 s, 8 x its time)}.
 * Requests answer from the latest scan. With {@code minScanMillis} 0 every request scans first instead
 * (exact, for tests and small folders).
 *
 * <p>Summaries ({@link RunInfo}, {@link TableSummary}) are computed when asked for, on a small
 * pool of reader threads, and kept per run while its stamp is unchanged: a reload does not read a
 * store that did not change. The numeric columns read for a summary stay in a {@link SeriesCache}
 * for the charts.
 *
 * <p>Thread-safe.
 */
final class RunIndex implements AutoCloseable {
    /** One run; its fields change under the scan lock and are read without it (volatile). */
    static final class Run {
        final String expId;
        final Path dir;
        volatile RunStamp stamp = RunStamp.NONE;
        volatile long changed;
        volatile boolean running;
        volatile String lockKey;
        volatile long changedNanos = Long.MIN_VALUE / 2;
        volatile RunInfo info;
        final Map<String, TableSummary> summaries = new ConcurrentHashMap<>();

        Run(String expId, Path dir) {
            this.expId = expId;
            this.dir = dir;
        }
    }

    /** The listing after a scan: runs sorted by id, and runs removed since, by the version that removed them. */
    record Snapshot(long version, List<Run> runs, Map<String, Long> removed) {
    }

    private final Path directory;
    private final String metadataTable;
    private final long minScanMillis;
    private final ExecutorService readers;
    private final SeriesCache cache;
    private final Object scanLock = new Object();
    private volatile Map<String, Run> runs = Map.of();
    private volatile Snapshot snapshot = new Snapshot(0, List.of(), Map.of());
    private final Map<String, Long> removed = new LinkedHashMap<>();
    private volatile long version;
    private volatile long lastScanNanos;
    private volatile boolean scanned;
    private final AtomicInteger toRead = new AtomicInteger();
    private final AtomicInteger read = new AtomicInteger();
    private final AtomicInteger storeReads = new AtomicInteger();
    private final Thread scanner;
    private final Map<String, Future<?>> inflight = new ConcurrentHashMap<>();
    private volatile long lastRequestNanos;
    private volatile long lastScanMillis;
    private volatile boolean closed;
    private static final long IDLE_NANOS = 30_000_000_000L;
    private static final long HOT_NANOS = 60_000_000_000L;

    private final SummaryFile summaryFile;
    private Map<String, SummaryFile.Entry> saved = Map.of();
    private int readsAtSave;

    RunIndex(Path directory, String metadataTable, int readerThreads, long cacheBytes, long minScanMillis,
             SummaryFile summaryFile) {
        this.directory = directory;
        this.summaryFile = summaryFile;
        this.metadataTable = metadataTable;
        this.minScanMillis = minScanMillis;
        this.cache = new SeriesCache(cacheBytes);
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(readerThreads, r -> {
            Thread t = new Thread(r, "cox-serve-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scanner = minScanMillis == 0 ? null : new Thread(this::scanLoop, "cox-serve-scanner");
        if (scanner != null) {
            scanner.setDaemon(true);
        }
    }

    private void scanLoop() {
        long lastSave = System.nanoTime();
        while (!closed) {
            if (System.nanoTime() - lastSave > 30_000_000_000L) {
                saveSummaries();
                lastSave = System.nanoTime();
            }
            if (System.nanoTime() - lastRequestNanos > IDLE_NANOS) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, 1_000_000_000L);
                continue;
            }
            try {
                synchronized (scanLock) {
                    long sinceFull = (System.nanoTime() - lastScanNanos) / 1_000_000;
                    long fullEvery = lastScanMillis <= 50 ? 0 : Math.max(5_000, 8 * lastScanMillis);
                    if (sinceFull >= fullEvery) {
                        scan();
                    } else {
                        scanHot();
                    }
                }
            } catch (RuntimeException e) {
                // the folder vanished or cannot be listed for a moment: the next scan tries again
            }
            long pause = Math.max(minScanMillis, 100);
            java.util.concurrent.locks.LockSupport.parkNanos(this, pause * 1_000_000L);
        }
    }

    Path directory() {
        return directory;
    }

    String metadataTable() {
        return metadataTable;
    }

    /**
     * The listing, scanning the folder first if the last scan is older than the minimum interval.
     *
     * @return the current snapshot
     */
    Snapshot refresh() {
        lastRequestNanos = System.nanoTime();
        if (!scanned || scanner == null) {
            synchronized (scanLock) {
                if (!scanned || scanner == null) {
                    scan();
                }
            }
            if (scanner != null && !scanner.isAlive() && !closed) {
                synchronized (this) {
                    if (scanner.getState() == Thread.State.NEW) {
                        scanner.start();
                    }
                }
            }
        }
        return snapshot;
    }

    /**
     * Scans now if the last scan is older than the minimum interval, for a URL naming a run the
     * last scan did not see (it may be new).
     */
    void rescanIfStale() {
        if (System.nanoTime() - lastScanNanos >= Math.max(minScanMillis, 200) * 1_000_000L) {
            synchronized (scanLock) {
                if (System.nanoTime() - lastScanNanos >= Math.max(minScanMillis, 200) * 1_000_000L) {
                    scan();
                }
            }
        }
    }

    /** @return the run listed under {@code expId} at the last scan, or null: the only way a URL's id reaches a path */
    Run run(String expId) {
        if (!scanned) {
            refresh();
        }
        return expId == null ? null : runs.get(expId);
    }

    /**
     * Takes the stamps of the hot runs only: those running or changed in the last minute. Between
     * two full scans of a big folder (which find new, removed and long-quiet runs) this keeps a
     * run that is being written current within about {@code minScanMillis}.
     */
    private void scanHot() {
        long next = version + 1;
        boolean changed = false;
        WriterLocks locks = WriterLocks.now();
        long now = System.nanoTime();
        for (Run run : runs.values()) {
            if (!run.running && now - run.changedNanos > HOT_NANOS) {
                continue;
            }
            RunStamp stamp = RunStamp.of(run.dir);
            if (stamp.h5Size() < 0 && stamp.journalSize() < 0) {
                continue; // gone: the next full scan removes it
            }
            boolean running = running(locks, run, stamp);
            if (!stamp.equals(run.stamp) || running != run.running) {
                run.stamp = stamp;
                run.running = running;
                run.changed = next;
                run.changedNanos = now;
                changed = true;
            }
        }
        if (changed) {
            version = next;
            snapshot = new Snapshot(version, snapshot.runs(), snapshot.removed());
        }
    }

    private static boolean running(WriterLocks locks, Run run, RunStamp stamp) {
        if (!locks.readable()) {
            return System.currentTimeMillis() - stamp.lastWriteMillis() < 600_000 && isOpenForWriting(run.dir);
        }
        if (!locks.any()) {
            return false;
        }
        if (run.lockKey == null) {
            run.lockKey = WriterLocks.keyOf(run.dir.resolve(".cox.lock"));
        }
        // the one look at /proc/locks finds candidates; the store decides
        return locks.isHeld(run.lockKey) && isOpenForWriting(run.dir);
    }

    private void scan() {
        long start = System.nanoTime();
        if (!scanned && summaryFile != null) {
            saved = summaryFile.load();
        }
        Map<String, Run> old = runs;
        Map<String, Run> now = new TreeMap<>();
        long next = version + 1;
        boolean changed = false;
        WriterLocks locks = WriterLocks.now();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                Run run = old.get(name);
                RunStamp stamp = RunStamp.of(child);
                if (stamp.h5Size() < 0 && stamp.journalSize() < 0 && (run != null || !Store.isExperiment(child))) {
                    continue;
                }
                if (run == null) {
                    if (!Files.isDirectory(child) || !Store.isExperiment(child)) {
                        continue;
                    }
                    run = new Run(name, child);
                    removed.remove(name);
                    SummaryFile.Entry entry = saved.get(name);
                    if (entry != null && entry.stamp().equals(stamp)) {
                        run.info = entry.info();
                        run.summaries.putAll(entry.summaries());
                    }
                }
                boolean running = running(locks, run, stamp);
                if (!stamp.equals(run.stamp) || running != run.running) {
                    boolean first = run.stamp == RunStamp.NONE;
                    run.stamp = stamp;
                    run.running = running;
                    run.changed = next;
                    // a run seen for the first time is hot only if it was written in the last minute
                    run.changedNanos = !first || System.currentTimeMillis() - stamp.lastWriteMillis() < 60_000
                            ? System.nanoTime() : Long.MIN_VALUE / 2;
                    changed = true;
                }
                now.put(name, run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs in " + directory, e);
        }
        for (String id : old.keySet()) {
            if (!now.containsKey(id)) {
                removed.put(id, next);
                changed = true;
            }
        }
        if (changed) {
            version = next;
        }
        saved = Map.of();
        runs = Collections.unmodifiableMap(now);
        snapshot = new Snapshot(version, List.copyOf(now.values()), Map.copyOf(removed));
        lastScanNanos = System.nanoTime();
        lastScanMillis = (lastScanNanos - start) / 1_000_000;
        scanned = true;
    }

    private static boolean isOpenForWriting(Path runDir) {
        try {
            return Store.isOpenForWriting(runDir);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The run's tables and parameters now, reading its store if its stamp changed.
     *
     * @param run a listed run
     * @return its info (with an error message if it cannot be read)
     */
    RunInfo info(Run run) {
        RunInfo info = run.info;
        if (info != null && info.stamp().equals(run.stamp)) {
            return info;
        }
        load(run, null);
        return run.info;
    }

    /**
     * The run's summary of {@code table} now, reading its store if its stamp changed.
     *
     * @param run a listed run
     * @param table a table name
     * @return its summary; rows -1 if the run has no such table
     */
    TableSummary summary(Run run, String table) {
        TableSummary s = run.summaries.get(table);
        if (s != null && s.stamp().equals(run.stamp)) {
            return s;
        }
        load(run, table);
        return run.summaries.get(table);
    }

    /**
     * The numeric columns of {@code table} of the run now, from the cache or read.
     *
     * @return the columns, or null if the run has no such table or cannot be read
     */
    TableColumns columns(Run run, String table) {
        RunStamp stamp = run.stamp;
        TableColumns c = cache.get(run.expId, table, stamp);
        if (c != null) {
            return c;
        }
        return load(run, table);
    }

    /**
     * Computes, on the reader threads, the summaries of {@code table} (or only the infos, for
     * null) of every run in {@code runs} that lacks a fresh one, and waits for them. A run being
     * read for another caller is waited for, not read twice.
     */
    void summarize(Collection<Run> runs, String table) {
        List<Future<?>> futures = new ArrayList<>();
        for (Run run : runs) {
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
                            info(run);
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
                throw new IllegalStateException("interrupted while reading the runs of " + directory, e);
            } catch (java.util.concurrent.CancellationException e) {
                throw new IllegalStateException("the server is closing", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static boolean fresh(Run run, String table) {
        RunStamp stamp = run.stamp;
        RunInfo info = run.info;
        if (info == null || !info.stamp().equals(stamp)) {
            return false;
        }
        TableSummary s = table == null ? null : run.summaries.get(table);
        return table == null || s != null && s.stamp().equals(stamp);
    }

    /** Starts scanning and reading the default table's summaries in the background, so the first page load waits less. */
    void warmUp() {
        Thread t = new Thread(() -> {
            try {
                Snapshot snap = refresh();
                String table = defaultTable(snap.runs());
                if (table != null) {
                    summarize(snap.runs(), table);
                }
            } catch (RuntimeException e) {
                // a request will report it
            }
        }, "cox-serve-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private TableColumns load(Run run, String table) {
        RunStamp stamp = run.stamp;
        storeReads.incrementAndGet();
        RunReader.Read r = RunReader.read(directory, run.expId, stamp, metadataTable, table);
        run.info = r.info();
        if (table != null) {
            TableSummary summary;
            if (r.info().error() != null) {
                summary = new TableSummary(stamp, -1, Map.of(), r.info().error());
            } else if (r.columns() == null) {
                summary = new TableSummary(stamp, -1, Map.of(), null);
            } else {
                Map<String, MetricSummary> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, double[]> c : r.columns().columns().entrySet()) {
                    metrics.put(c.getKey(), MetricSummary.of(c.getValue(), r.columns().rows()));
                }
                summary = new TableSummary(stamp, r.columns().rows(), metrics, null);
                cache.put(run.expId, table, r.columns());
            }
            run.summaries.put(table, summary);
        }
        return r.columns();
    }

    /**
     * The table to show when none is chosen: the table most runs have, other than the metadata
     * table, looking at up to the first 50 runs (those already known, if any are); ties go to
     * the one seen first.
     *
     * @return a table name, or null if no run has a table
     */
    String defaultTable(List<Run> listed) {
        List<Run> sample = listed.subList(0, Math.min(50, listed.size()));
        // runs known already (from the summary file, or read before) answer without a read
        List<Run> known = sample.stream().filter(r -> fresh(r, null)).toList();
        if (known.isEmpty()) {
            summarize(sample, null);
            known = sample;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Run run : known) {
            for (String t : info(run).tables().keySet()) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        String best = null;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (!e.getKey().equals(metadataTable) && (best == null || e.getValue() > counts.get(best))) {
                best = e.getKey();
            }
        }
        return best != null ? best : counts.isEmpty() ? null : counts.keySet().iterator().next();
    }

    /** @return reading progress: runs queued for reading and read so far, store opens, cached bytes */
    Map<String, Object> progress() {
        Map<String, Object> out = new HashMap<>();
        out.put("queued", toRead.get());
        out.put("read", read.get());
        out.put("store_reads", storeReads.get());
        out.put("cached_bytes", cache.bytes());
        out.put("last_scan_ms", lastScanMillis);
        return out;
    }

    long version() {
        return version;
    }

    /** Writes the summary file if stores were read since it was last written; a failure only costs the next start time. */
    synchronized void saveSummaries() {
        if (summaryFile == null || storeReads.get() == readsAtSave || !scanned) {
            return;
        }
        int reads = storeReads.get();
        try {
            summaryFile.save(runs.values());
            readsAtSave = reads;
        } catch (IOException | RuntimeException e) {
            // no summary file this time: the next start reads the stores
        }
    }

    @Override
    public void close() {
        if (!closed) {
            saveSummaries();
        }
        closed = true;
        if (scanner != null) {
            java.util.concurrent.locks.LockSupport.unpark(scanner);
        }
        readers.shutdownNow();
    }
}
