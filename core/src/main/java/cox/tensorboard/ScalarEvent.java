package cox.tensorboard;

/**
 * One scalar as {@code add_scalar} wrote it: the row a reader of scalars wants, and what
 * {@link EventFileReader#readScalars(java.nio.file.Path)} returns.
 *
 * @param tag the tag, e.g. {@code results/loss} as cox's {@code log_table_and_tb} writes it
 * @param step the global step
 * @param value the value, a 32-bit float as TensorBoard stores {@code simple_value}
 * @param wallTime seconds since the epoch
 */
public record ScalarEvent(String tag, long step, float value, double wallTime) {}
