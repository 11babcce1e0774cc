package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live publication (docs/live-reads.md, W3 and W4) driven by a ticker and a scheduler the test
 * holds: rows in new chunks reach readers exactly when the delay Δ has passed on the file's ticker,
 * through the task the file scheduled, without the test waiting on the wall clock.
 */
class LivePublisherTest {
    private static final long DELTA = LivePublisher.PUBLISH_DELAY_NANOS;
    private static final List<FrameColumn> COLUMNS = List.of(new FrameColumn("i", ColumnKind.INT, "int"));

    @TempDir
    Path dir;

    /** A ticker the test advances by hand. */
    private static final class ManualTicker implements Ticker {
        final AtomicLong now = new AtomicLong(1_000_000_000_000L);

        @Override
        public long read() {
            return now.get();
        }
    }

    /** A scheduler that runs its tasks when the test asks, once the ticker reached their time. */
    private static final class ManualScheduler implements Scheduler {
        private final ManualTicker ticker;
        final List<Object[]> tasks = new ArrayList<>(); // {due, task, future}

        ManualScheduler(ManualTicker ticker) {
            this.ticker = ticker;
        }

        @Override
        public Future<?> schedule(Runnable task, long delayNanos) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (tasks) {
                tasks.add(new Object[] {ticker.read() + delayNanos, task, f});
            }
            return f;
        }

        /** Runs, in order of time, every task due by now that was not cancelled. */
        void runDue() {
            while (true) {
                Object[] next = null;
                synchronized (tasks) {
                    for (Object[] t : tasks) {
                        if ((long) t[0] <= ticker.read() && !((Future<?>) t[2]).isDone()
                                && (next == null || (long) t[0] < (long) next[0])) {
                            next = t;
                        }
                    }
                    if (next == null) {
                        return;
                    }
                    tasks.remove(next);
                }
                ((CompletableFuture<?>) next[2]).complete(null);
                ((Runnable) next[1]).run();
            }
        }

        long waiting() {
            synchronized (tasks) {
                return tasks.stream().filter(t -> !((Future<?>) t[2]).isDone()).count();
            }
        }
    }

    private static List<Object[]> rows(long from, long to) {
        List<Object[]> rows = new ArrayList<>();
        for (long i = from; i < to; i++) {
            rows.add(new Object[] {i});
        }
        return rows;
    }

    private static long visibleRows(Path file) {
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            return f.table("t").nrows();
        }
    }

    @Test
    void flush_rowsInNewChunks_reachReadersOnlyOnceTheDelayPassedOnTheTicker_throughTheScheduledTask() {
        Path file = dir.resolve("store.h5");
        ManualTicker ticker = new ManualTicker();
        ManualScheduler scheduler = new ManualScheduler(ticker);
        PandasStoreFile.Options options = PandasStoreFile.Options.DEFAULT.withChunkRows(1)
                .withTicker(ticker).withScheduler(scheduler);
        try (PandasStoreFile f = PandasStoreFile.create(file, options)) {
            f.createTable("t", COLUMNS, 1, 1).append(rows(0, 1));
            f.flush(); // a rewrite: the new table appears with its first row
            assertThat(visibleRows(file)).isEqualTo(1);

            f.table("t").append(rows(1, 20)); // nineteen new chunks of one row
            f.flush();
            assertThat(visibleRows(file)).isEqualTo(1);
            assertThat(scheduler.waiting()).as("a publication is scheduled").isEqualTo(1);

            ticker.now.addAndGet(DELTA - 1);
            scheduler.runDue();
            assertThat(visibleRows(file)).as("not before Δ has passed").isEqualTo(1);

            for (int step = 0; step < 8 && visibleRows(file) < 20; step++) {
                ticker.now.addAndGet(DELTA);
                scheduler.runDue();
            }
            assertThat(visibleRows(file)).isEqualTo(20);
            assertThat(scheduler.waiting()).as("nothing left to publish").isZero();

            f.table("t").append(rows(20, 30));
            f.flush();
            assertThat(scheduler.waiting()).isEqualTo(1);
        }
        assertThat(scheduler.waiting()).as("close publishes what waits and cancels the task").isZero();
        assertThat(visibleRows(file)).isEqualTo(30);
    }

    @Test
    void options_negativeChunkRows_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> PandasStoreFile.Options.DEFAULT.withChunkRows(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("chunkRows < 0: -1");
    }
}
