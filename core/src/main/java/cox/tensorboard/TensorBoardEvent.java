package cox.tensorboard;

import java.util.List;
import java.util.Objects;

/**
 * One event read from an event file: TensorBoard's {@code Event} message in a form that
 * does not expose protobuf classes.
 *
 * <p>Immutable and therefore thread-safe.
 *
 * @param wallTime seconds since the epoch, as Python's {@code time.time()} ({@code Event.wall_time})
 * @param step the global step ({@code Event.step}); 0 when the writer gave none
 * @param fileVersion {@code "brain.Event:2"} for the first event of a file, otherwise {@code null}
 * @param values the summary values ({@code Event.summary.value}); empty for non-summary events
 */
public record TensorBoardEvent(double wallTime, long step, String fileVersion, List<SummaryValue> values) {
    /**
     * Checks and copies the values.
     *
     * @param wallTime seconds since the epoch, as Python's {@code time.time()} ({@code Event.wall_time})
     * @param step the global step ({@code Event.step}); 0 when the writer gave none
     * @param fileVersion {@code "brain.Event:2"} for the first event of a file, otherwise {@code null}
     * @param values the summary values ({@code Event.summary.value}); empty for non-summary events
     * @throws NullPointerException if {@code values} is null or holds null
     */
    public TensorBoardEvent {
        values = List.copyOf(Objects.requireNonNull(values, "values"));
    }
}
