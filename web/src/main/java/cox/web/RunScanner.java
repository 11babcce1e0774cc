package cox.web;

import cox.io.Locations;
import cox.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The runs of one storage folder, kept current cheaply. A <b>scan</b> lists the folder and takes
 * each run's {@link RunStamp} (sizes and times of {@code store.h5} and the journal) and whether a
 * writer holds it; a run whose stamp or status changed gets the next <b>version</b> number, so a
 * client that saw version V asks for the runs changed since V.
 *
 * <p>A full scan stats two files per run (about half a second for 10,000 runs on a loaded
 * machine), so scanning runs on a background thread every {@code minScanMillis} while clients ask
 * (a request in the last {@link #IDLE_AFTER_NANOS}): a small folder (a full scan under
 * {@link #QUICK_SCAN_MILLIS}) is scanned fully each time; in a big one only the hot runs (running,
 * or changed in the last {@link #HOT_NANOS}) are looked at, and the full scan, which finds new and
 * removed runs, comes every {@code max(}{@link #MIN_FULL_SCAN_MILLIS}{@code , }{@link
 * #FULL_SCAN_SPACING}{@code  x its time)}. Requests answer from the latest scan. With
 * {@code minScanMillis} 0 every request scans first instead (exact, for tests and small folders).
 * With the runs a summary file saved, the first request is answered from them while the thread
 * scans (a restart of a big folder answers at once; what changed meanwhile comes with the scan).
 * The thread also runs a housekeeping task every {@link #HOUSEKEEPING_NANOS}, busy or idle.
 *
 * <p>Thread-safe: scans run under one lock; the listing and each run's state are immutable
 * values published through volatile fields.
 */
final class RunScanner implements AutoCloseable {
    /** With no request for this long, the scanner thread stops scanning until the next one. */
    static final long IDLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long an idle scanner thread sleeps before it looks again. */
    static final long IDLE_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A run running, or changed this recently, is hot: scanned between full scans. */
    static final long HOT_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** A full scan faster than this marks a small folder: it is scanned fully every time. */
    static final long QUICK_SCAN_MILLIS = 50;
    /** Full scans of a big folder come at least this far apart... */
    static final long MIN_FULL_SCAN_MILLIS = 5_000;
    /** ...and at least this many times the last full scan's duration apart. */
    static final long FULL_SCAN_SPACING = 8;
    /** The scanner thread pauses at least this long between scans, whatever {@code minScanMillis} says. */
    static final long MIN_PAUSE_MILLIS = 100;
    /** A URL naming an unknown run rescans only if the last scan is older than this (or {@code minScanMillis}). */
    static final long MIN_RESCAN_MILLIS = 200;
    /** Where /proc/locks cannot be read, a run written within this long may be running (the store decides). */
    static final long RECENT_WRITE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** How often the scanner thread runs the housekeeping task. */
    static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * The listing after a scan.
     *
     * @param version the version of the latest change
     * @param runs the runs, sorted by exp_id
     * @param removed the runs removed since the server started, by the version that removed them
     */
    record Listing(long version, List<ListedRun> runs, Map<String, Long> removed) {
    }

    private final Path directory;
    private final long minScanMillis;
    private final Runnable housekeeping;
    private final Supplier<Map<String, ListedRun.State>> saved;
    private final Thread thread;
    private final Object scanLock = new Object();
    private final Map<String, Long> removed = new LinkedHashMap<>(); // under scanLock
    private volatile Map<String, ListedRun> runs = Map.of();
    /** The runs by their lock file's key, as of the last full scan: a writer that takes a lock is found by it. */
    private volatile Map<String, ListedRun> byLockKey = Map.of();
    /** Locked files that are no run's lock (another program's locks), already looked for; under scanLock. */
    private final Set<String> foreignKeys = new HashSet<>();
    /** The folder's modification time when it was last listed (taken before the listing), or never; under scanLock. */
    private long listedModified = Long.MIN_VALUE;
    private volatile Listing listing = new Listing(0, List.of(), Map.of());
    private volatile long version;
    private volatile boolean scanned;
    private volatile long lastScanNanos;
    private volatile long lastScanMillis;
    private volatile long lastRequestNanos;
    private volatile boolean closed;
    /** Whether the listing was made from the saved runs ({@link #listSaved}); never unset. */
    private volatile boolean listedSaved;
    /** Whether the saved runs were asked for and there were none (the folder was scanned instead). */
    private volatile boolean savedMissing;
    private volatile Clock clock = Clock.systemUTC();

    /**
     * @param directory the storage folder
     * @param minScanMillis the pause between background scans; 0 for no thread (every request scans)
     * @param housekeeping what the scanner thread also does every {@link #HOUSEKEEPING_NANOS} (not run without a thread)
     */
    RunScanner(Path directory, long minScanMillis, Runnable housekeeping) {
        this(directory, minScanMillis, housekeeping, null);
    }

    /**
     * @param directory the storage folder
     * @param minScanMillis the pause between background scans; 0 for no thread (every request scans)
     * @param housekeeping what the scanner thread also does every {@link #HOUSEKEEPING_NANOS} (not run without a thread)
     * @param saved the runs as a summary file saw them (asked once, at the first request), or null: with a
     *     thread, the first request is answered from them at once while the thread scans
     */
    RunScanner(Path directory, long minScanMillis, Runnable housekeeping, Supplier<Map<String, ListedRun.State>> saved) {
        this.directory = directory;
        this.minScanMillis = minScanMillis;
        this.housekeeping = housekeeping;
        this.saved = saved;
        this.thread = minScanMillis == 0 ? null : new Thread(this::scanLoop, "cox-serve-scanner");
        if (thread != null) {
            thread.setDaemon(true);
        }
    }

    Path directory() {
        return directory;
    }

    private void scanLoop() {
        long lastHousekeeping = System.nanoTime();
        while (!closed) {
            if (System.nanoTime() - lastHousekeeping > HOUSEKEEPING_NANOS) {
                housekeeping.run();
                lastHousekeeping = System.nanoTime();
            }
            if (System.nanoTime() - lastRequestNanos > IDLE_AFTER_NANOS) {
                LockSupport.parkNanos(this, IDLE_SLEEP_NANOS);
                continue;
            }
            try {
                synchronized (scanLock) {
                    long sinceFull = (System.nanoTime() - lastScanNanos) / 1_000_000;
                    long fullEvery = lastScanMillis <= QUICK_SCAN_MILLIS ? 0
                            : Math.max(MIN_FULL_SCAN_MILLIS, FULL_SCAN_SPACING * lastScanMillis);
                    if (sinceFull >= fullEvery) {
                        scan(true);
                    } else {
                        scanHot();
                    }
                }
            } catch (RuntimeException e) {
                // the folder vanished or cannot be listed for a moment: the next scan tries again
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(Math.max(minScanMillis, MIN_PAUSE_MILLIS)));
        }
    }

    /**
     * The listing, scanning the folder first if it was never scanned or there is no scanner thread;
     * the first call starts the thread.
     *
     * @return the current listing
     */
    Listing refresh() {
        lastRequestNanos = System.nanoTime();
        if (!scanned || thread == null) {
            synchronized (scanLock) {
                if (!scanned && thread != null && saved != null && !savedMissing && listSaved(saved.get())) {
                    // listed as the summary file saw the runs; the thread's first scan follows at once
                } else if (!scanned || thread == null) {
                    scan(false);
                }
            }
            if (thread != null && !thread.isAlive() && !closed) {
                synchronized (this) {
                    if (thread.getState() == Thread.State.NEW) {
                        thread.start();
                    }
                }
            }
        }
        return listing;
    }

    /**
     * Lists the runs as they were saved, before any scan: a restarted server answers at once, and
     * the scan that follows (the thread's first, at once) brings every run that changed, came or
     * went meanwhile as a change of the next version, as it would a change seen while running.
     *
     * @return false if nothing was saved (then the caller scans)
     */
    private boolean listSaved(Map<String, ListedRun.State> states) {
        if (states.isEmpty()) {
            savedMissing = true;
            return false;
        }
        Map<String, ListedRun> now = new TreeMap<>();
        for (Map.Entry<String, ListedRun.State> e : states.entrySet()) {
            ListedRun run = new ListedRun(e.getKey(), directory.resolve(e.getKey()));
            run.update(e.getValue());
            now.put(e.getKey(), run);
        }
        version = 1;
        runs = Collections.unmodifiableMap(now);
        listing = new Listing(version, List.copyOf(now.values()), Map.of());
        lastScanMillis = 0; // a full scan at once
        lastScanNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
        listedSaved = true;
        scanned = true;
        return true;
    }

    /**
     * Whether the listing a request gets now is the saved runs' (version 1, as {@link #listSaved}
     * makes it): listed from them and unchanged since (the scans since found no change), or not
     * listed yet while the saved runs are there to list (with a thread; the first request lists
     * them). What a {@link SavedAnswer} needs to be the answer now.
     *
     * @return true if the listing is, or will be at the first request, the saved runs'
     */
    boolean listsSavedRuns() {
        if (thread == null || saved == null) {
            return false;
        }
        return scanned ? listedSaved && version == 1 : !savedMissing;
    }

    /** Counts a request answered without the listing (the scanner thread keeps scanning while requests come). */
    void touch() {
        lastRequestNanos = System.nanoTime();
    }

    /** @return the latest listing without scanning, or null before the first scan */
    Listing latest() {
        return scanned ? listing : null;
    }

    /**
     * Scans now if the last scan is older than the minimum interval, for a URL naming a run the
     * last scan did not see (it may be new).
     */
    void rescanIfStale() {
        long stale = TimeUnit.MILLISECONDS.toNanos(Math.max(minScanMillis, MIN_RESCAN_MILLIS));
        if (System.nanoTime() - lastScanNanos >= stale) {
            synchronized (scanLock) {
                if (System.nanoTime() - lastScanNanos >= stale) {
                    scan(false);
                }
            }
        }
    }

    /** @return the run listed under {@code expId} at the last scan, or null: the only way a URL's id reaches a path */
    ListedRun run(String expId) {
        if (!scanned) {
            refresh();
        }
        return expId == null ? null : runs.get(expId);
    }

    /** @return the version of the latest change */
    long version() {
        return version;
    }

    /** @return how long the last full scan took, in milliseconds */
    long lastScanMillis() {
        return lastScanMillis;
    }

    /**
     * Takes the stamps of the hot runs only: those running or changed in the last minute, and
     * those whose lock a writer took since (found in {@code /proc/locks} by their lock file's key;
     * a lock no run is known by makes the folder's names be listed, to find a new run, unless the
     * folder's modification time is the one it had when last listed: no run was made since). Between
     * two full scans of a big folder (which find removed and long-quiet runs, and runs written
     * without a lock) this keeps a run that is being written current within about
     * {@code minScanMillis}, whether it was hot or not.
     */
    private void scanHot() {
        long next = version + 1;
        boolean changed = false;
        WriterLocks locks = WriterLocks.now();
        long now = System.nanoTime();
        Set<ListedRun> seen = new HashSet<>();
        for (ListedRun run : runs.values()) {
            ListedRun.State was = run.state();
            if (!was.running() && now - was.changedNanos() > HOT_NANOS) {
                continue;
            }
            seen.add(run);
            changed |= observeIfThere(run, locks, next, now);
        }
        boolean unknownLock = false;
        if (locks.readable()) {
            for (String key : locks.held()) {
                ListedRun run = byLockKey.get(key);
                if (run != null) {
                    if (seen.add(run)) {
                        changed |= observeIfThere(run, locks, next, now);
                    }
                } else if (foreignKeys.add(key)) {
                    unknownLock = true;
                }
            }
        }
        // a new run is a new folder, which changes the folder's time: unchanged, no new run to look for
        Map<String, ListedRun> added = unknownLock && folderModified() != listedModified ? newRuns(locks, next) : Map.of();
        if (!added.isEmpty()) {
            Map<String, ListedRun> all = new TreeMap<>(runs);
            all.putAll(added);
            Map<String, ListedRun> keys = new java.util.HashMap<>(byLockKey);
            for (ListedRun r : added.values()) {
                if (r.state().lockKey() != null) {
                    keys.put(r.state().lockKey(), r);
                    foreignKeys.remove(r.state().lockKey());
                }
            }
            runs = Collections.unmodifiableMap(all);
            byLockKey = keys;
            changed = true;
        }
        if (changed) {
            version = next;
            listing = new Listing(version, added.isEmpty() ? listing.runs() : List.copyOf(runs.values()),
                    added.isEmpty() ? listing.removed() : Map.copyOf(removed));
        }
    }

    private boolean observeIfThere(ListedRun run, WriterLocks locks, long next, long now) {
        RunStamp stamp = RunStamp.of(run.dir);
        if (stamp.h5Size() < 0 && stamp.journalSize() < 0) {
            return false; // gone: the next full scan removes it
        }
        return observe(run, run.state(), stamp, locks, next, now, true);
    }

    /** The runs in the folder that the listing lacks: its names listed, only the new ones looked at. */
    private Map<String, ListedRun> newRuns(WriterLocks locks, long next) {
        Map<String, ListedRun> out = new TreeMap<>();
        Map<String, ListedRun> known = runs;
        long modified = folderModified(); // before listing: a run made meanwhile changes it again
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = Locations.name(child);
                if (known.containsKey(name) || !Files.isDirectory(child) || !Store.isExperiment(child)) {
                    continue;
                }
                RunStamp stamp = RunStamp.of(child);
                ListedRun run = new ListedRun(name, child);
                removed.remove(name);
                observe(run, run.state(), stamp, locks, next, System.nanoTime(), true);
                out.put(name, run);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of(); // the next full scan finds them
        }
        listedModified = modified;
        return out;
    }

    /**
     * @return the folder's modification time (nanoseconds), which a run made or removed in it
     *     changes; a value no listing records if it cannot be read
     */
    private long folderModified() {
        try {
            return Files.getLastModifiedTime(directory).to(TimeUnit.NANOSECONDS);
        } catch (IOException | RuntimeException e) {
            return Long.MIN_VALUE + 1;
        }
    }

    /** @param withKeys whether to learn each run's lock key (the thread's scans; a request's scan saves the stats) */
    private void scan(boolean withKeys) {
        long start = System.nanoTime();
        Map<String, ListedRun> old = runs;
        Map<String, ListedRun> now = new TreeMap<>();
        long next = version + 1;
        boolean changed = false;
        WriterLocks locks = WriterLocks.now();
        long modified = folderModified(); // before listing: a run made meanwhile changes it again
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
            for (Path child : children) {
                String name = Locations.name(child);
                ListedRun run = old.get(name);
                RunStamp stamp = RunStamp.of(child);
                if (stamp.h5Size() < 0 && stamp.journalSize() < 0 && (run != null || !Store.isExperiment(child))) {
                    continue;
                }
                if (run == null) {
                    if (!Files.isDirectory(child) || !Store.isExperiment(child)) {
                        continue;
                    }
                    run = new ListedRun(name, child);
                    removed.remove(name);
                }
                ListedRun.State was = run.state();
                // a run seen for the first time is hot only if it was written in the last minute
                long changedNanos = was.stamp() != RunStamp.NONE
                        || System.currentTimeMillis() - stamp.lastWriteMillis() < TimeUnit.NANOSECONDS.toMillis(HOT_NANOS)
                        ? System.nanoTime() : ListedRun.NEVER_CHANGED;
                changed |= observe(run, was, stamp, locks, next, changedNanos, withKeys);
                now.put(name, run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs in " + Locations.text(directory), e);
        } catch (java.nio.file.DirectoryIteratorException e) { // a failure while listing, after the first child
            throw new UncheckedIOException("cannot list the runs in " + Locations.text(directory) + ": " + e.getCause(),
                    e.getCause());
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
        runs = Collections.unmodifiableMap(now);
        Map<String, ListedRun> keys = new java.util.HashMap<>();
        for (ListedRun r : now.values()) {
            String k = r.state().lockKey();
            if (k != null) {
                keys.put(k, r);
            }
        }
        byLockKey = keys;
        foreignKeys.retainAll(locks.held());
        listedModified = modified;
        listing = new Listing(version, List.copyOf(now.values()), Map.copyOf(removed));
        lastScanNanos = System.nanoTime();
        lastScanMillis = (lastScanNanos - start) / 1_000_000;
        scanned = true;
    }

    /**
     * Gives a run its new state if its stamp or status changed (or its lock key became known).
     *
     * @param withKeys whether to learn its lock key even if no lock is held now
     * @return whether its stamp or status changed (the listing's version moves on)
     */
    private static boolean observe(ListedRun run, ListedRun.State was, RunStamp stamp, WriterLocks locks, long next,
                                   long changedNanos, boolean withKeys) {
        String lockKey = was.lockKey();
        if (lockKey == null && locks.readable() && (locks.any() || withKeys) && stamp.journalSize() >= 0) {
            lockKey = WriterLocks.keyOf(run.dir.resolve(".cox.lock"));
        }
        boolean running = running(locks, run.dir, lockKey, stamp);
        if (!stamp.equals(was.stamp()) || running != was.running()) {
            // a clean close marks the checkpoint before the lock is released: seen once running turns false
            boolean closed = !running && stamp.journalSize() >= 0 && closedCleanly(run.dir);
            run.update(new ListedRun.State(stamp, running, closed, next, changedNanos, lockKey));
            return true;
        }
        if (!Objects.equals(lockKey, was.lockKey())) {
            run.update(new ListedRun.State(was.stamp(), was.running(), was.closed(), was.version(), was.changedNanos(),
                    lockKey));
        }
        return false;
    }

    private static boolean running(WriterLocks locks, Path runDir, String lockKey, RunStamp stamp) {
        if (!locks.readable()) {
            return System.currentTimeMillis() - stamp.lastWriteMillis() < RECENT_WRITE_MILLIS && isOpenForWriting(runDir);
        }
        if (!locks.any()) {
            return false;
        }
        // the one look at /proc/locks finds candidates; the store decides
        return locks.isHeld(lockKey) && isOpenForWriting(runDir);
    }

    private static boolean closedCleanly(Path runDir) {
        try {
            return Store.isClosedCleanly(runDir);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** @return the clock that tells an active store (without a cox4j journal) from an idle one */
    Clock clock() {
        return clock;
    }

    /** Sets the clock that tells active from idle (tests fix it). */
    void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static boolean isOpenForWriting(Path runDir) {
        try {
            return Store.isOpenForWriting(runDir);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stops the scanner thread (it ends within its pause); idempotent. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
