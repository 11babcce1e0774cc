package cox.store.hdf5;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once, after a delay, on a thread other than the caller's: how a writable
 * {@link PandasStoreFile} publishes rows that become due when no more rows come
 * (docs/live-reads.md, W4; the shape of Caffeine's {@code Scheduler}).
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
interface Scheduler {
    /**
     * One daemon thread shared by every file of the process, started when a task is first scheduled
     * and ended when it has had nothing to run for a while (so it never keeps the JVM alive, and
     * needs no shutting down).
     */
    Scheduler SHARED_DAEMON = SharedDaemon::schedule;

    /**
     * Runs {@code task} once, {@code delayNanos} nanoseconds from now.
     *
     * @param task what to run; it takes the locks it needs itself
     * @param delayNanos the delay, in nanoseconds (at least 1)
     * @return a handle whose {@link Future#cancel(boolean) cancel(false)} keeps the task from running
     *     if it has not started
     */
    Future<?> schedule(Runnable task, long delayNanos);

    /** The thread behind {@link #SHARED_DAEMON}, created on first use. */
    final class SharedDaemon {
        /** How long the thread waits with nothing scheduled before it ends (a new task starts another). */
        private static final long IDLE_SECONDS = 10;
        private static final ScheduledThreadPoolExecutor EXECUTOR = executor();

        private SharedDaemon() {
        }

        private static ScheduledThreadPoolExecutor executor() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "cox4j-store.h5-publisher");
                t.setDaemon(true);
                return t;
            });
            e.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
            e.allowCoreThreadTimeOut(true);
            e.setRemoveOnCancelPolicy(true);
            return e;
        }

        private static Future<?> schedule(Runnable task, long delayNanos) {
            return EXECUTOR.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        }
    }
}
