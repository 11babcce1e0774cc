package cox.readers;

import cox.io.Locations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The threads of one {@link CollectionReader}: runs a function on each item of a list, on
 * {@code parallelism} daemon threads made when first needed (or on the caller's thread when
 * {@code parallelism} is 1 or there is one item), and returns the results in item order.
 *
 * <p>One error policy, whoever calls: the first {@link RuntimeException} a function throws stops
 * the items not yet started; when the started ones have finished, the failure of the earliest
 * item (in list order) is thrown as it is. A function that must not stop the others (a skipped
 * experiment) returns its failure as a value instead; naming an experiment in a failure is the
 * caller's job. An {@link Error} is thrown as soon as it is met.
 *
 * <p>{@link #runReporting} also tells the reader's {@link ProgressListener} how many items are done:
 * counted and reported under one lock, so reports never go backwards.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and makes later runs fail.
 */
final class ReaderThreads implements AutoCloseable {
    private final Path directory;
    private final int parallelism;
    private final ProgressListener progress;
    private final Object poolLock = new Object();
    private ExecutorService pool;
    private boolean closed;

    /**
     * @param directory the reader's folder, named when the reader is closed or interrupted
     * @param parallelism how many items at once, at least 1
     * @param progress where {@link #runReporting} reports
     */
    ReaderThreads(Path directory, int parallelism, ProgressListener progress) {
        this.directory = directory;
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /**
     * Applies {@code work} to each item, with the policy of the class.
     *
     * @return the results, in item order
     * @throws IllegalStateException if the reader is closed, or the calling thread is interrupted
     */
    <T, R> List<R> run(List<T> items, Function<? super T, ? extends R> work) {
        return run(items, work, null);
    }

    /**
     * Applies {@code work} to each item, with the policy of the class, reporting {@code step} to
     * the progress listener: 0 done before the first item, then one more as each item finishes
     * (failed or not; an item the policy does not start is not reported).
     *
     * @return the results, in item order
     * @throws IllegalStateException if the reader is closed, or the calling thread is interrupted
     */
    <T, R> List<R> runReporting(String step, List<T> items, Function<? super T, ? extends R> work) {
        return run(items, work, step);
    }

    private <T, R> List<R> run(List<T> items, Function<? super T, ? extends R> work, String step) {
        checkOpen();
        int n = items.size();
        List<R> results = new ArrayList<>(n);
        RuntimeException[] failures = new RuntimeException[n];
        AtomicBoolean stop = new AtomicBoolean();
        Counter done = step == null ? null : new Counter(step, n);
        for (int i = 0; i < n; i++) {
            results.add(null);
        }
        List<Runnable> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            tasks.add(() -> {
                if (stop.get()) {
                    return;
                }
                try {
                    results.set(index, work.apply(items.get(index)));
                } catch (RuntimeException e) {
                    failures[index] = e;
                    stop.set(true);
                }
                if (done != null) {
                    done.reportOneMore();
                }
            });
        }
        runAll(tasks);
        for (RuntimeException f : failures) {
            if (f != null) {
                throw f;
            }
        }
        return results;
    }

    private void runAll(List<Runnable> tasks) {
        if (parallelism == 1 || tasks.size() <= 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        ExecutorService p = pool();
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable t : tasks) {
            futures.add(p.submit(t));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while reading " + Locations.text(directory), e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c); // tasks catch every RuntimeException themselves
            }
        }
    }

    private ExecutorService pool() {
        synchronized (poolLock) {
            checkOpen();
            if (pool == null) {
                AtomicInteger count = new AtomicInteger();
                ThreadFactory daemons = r -> {
                    Thread t = new Thread(r, "cox-reader-" + count.incrementAndGet());
                    t.setDaemon(true); // a reader that is never closed does not keep the JVM alive
                    return t;
                };
                pool = Executors.newFixedThreadPool(parallelism, daemons);
            }
            return pool;
        }
    }

    private void checkOpen() {
        synchronized (poolLock) {
            if (closed) {
                throw new IllegalStateException("collection reader of " + Locations.text(directory) + " is closed");
            }
        }
    }

    /** Stops the threads; a run started later fails with an {@link IllegalStateException}. */
    @Override
    public void close() {
        synchronized (poolLock) {
            closed = true;
            if (pool != null) {
                pool.shutdownNow();
                pool = null;
            }
        }
    }

    /** How many items of one step are done, reported as it grows. */
    private final class Counter {
        private final String step;
        private final int total;
        private int done;

        Counter(String step, int total) {
            this.step = step;
            this.total = total;
            synchronized (progress) {
                progress.progress(step, 0, total);
            }
        }

        /** Counts one more item done and reports it: counted and reported under one lock, so reports never go backwards. */
        void reportOneMore() {
            synchronized (progress) {
                progress.progress(step, ++done, total);
            }
        }
    }
}
