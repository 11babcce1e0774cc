package cox.store.hdf5;

/**
 * A source of elapsed time in nanoseconds, as {@link System#nanoTime()} gives it: only the
 * difference between two readings means anything. The live-read delays of a writable
 * {@link PandasStoreFile} are measured with it, so a test can drive them (the shape of Caffeine's
 * {@code Ticker}).
 *
 * <p>Implementations must be thread-safe: the file reads it from the writer's thread and from its
 * {@link Scheduler}'s.
 */
@FunctionalInterface
interface Ticker {
    /** The system's monotonic clock, {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds, on a scale of this ticker's own */
    long read();
}
