package cox.web;

import java.nio.file.Path;

/**
 * The runs of one storage folder and what the page knows of each: the {@link RunScanner} that
 * lists them and the {@link SummaryCache} of what their stores hold (worked out from the runs'
 * summaries: {@link WrittenSummaries}), made, started and stopped together. The endpoints are
 * given the two parts; this class only ties their lives: the scanner
 * thread saves the summary file and the shared run index and forgets removed runs every half minute, and closing saves
 * it once more and stops both.
 */
final class RunIndex implements AutoCloseable {
    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final WrittenSummaries written;
    private volatile boolean closed;
    /** How long the warm-up waits for what it is told to wait for. */
    static final long WARM_UP_WAIT_MILLIS = 5_000;

    /**
     * @param directory the storage folder
     * @param metadataTable the table whose first row holds the parameters
     * @param readerThreads threads reading stores for summaries
     * @param cacheBytes the budget of the numeric columns kept for the charts
     * @param minScanMillis the pause between background scans; 0 to scan on every request instead
     * @param summaryFile the summaries saved on disk, or null for none
     * @param runIndex loads the run index shared with {@code cox ls} and {@code cox df} (saved with
     *     the summary file) when first needed, or null for one in memory
     */
    RunIndex(Path directory, String metadataTable, int readerThreads, long cacheBytes, long minScanMillis,
             SummaryFile summaryFile, java.util.function.Supplier<cox.readers.RunIndex> runIndex) {
        this.written = new WrittenSummaries(directory,
                runIndex != null ? runIndex : () -> cox.readers.RunIndex.inMemory(directory), metadataTable);
        this.summaries = new SummaryCache(directory, metadataTable, readerThreads, cacheBytes, summaryFile, written);
        this.scanner = new RunScanner(directory, minScanMillis, this::housekeeping, summaries::takeSavedStates);
    }

    RunScanner scanner() {
        return scanner;
    }

    SummaryCache summaries() {
        return summaries;
    }

    private void housekeeping() {
        RunScanner.Listing listing = scanner.latest();
        if (listing != null) {
            summaries.forgetUnlisted(listing);
        }
        summaries.save(listing);
        written.saveIndex();
    }

    /**
     * Starts scanning and reading the default table's summaries in the background, so the first page load waits less.
     *
     * @param after what to wait for first, up to {@link #WARM_UP_WAIT_MILLIS} (a restart's saved answer is sent
     *     quicker without the loading of every run beside it)
     */
    void warmUp(java.util.concurrent.Future<?> after) {
        Thread t = new Thread(() -> {
            try {
                after.get(WARM_UP_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // warm up now
            }
            try {
                RunScanner.Listing listing = scanner.refresh();
                String table = summaries.defaultTable(listing.runs());
                if (table != null) {
                    summaries.summarize(listing.runs(), table);
                }
            } catch (RuntimeException e) {
                // a request will report it
            }
        }, "cox-serve-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Saves the summary file (if anything was read), stops the scanner and the reader threads; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            summaries.save(scanner.latest());
            written.saveIndex();
        }
        closed = true;
        scanner.close();
        summaries.close();
    }
}
