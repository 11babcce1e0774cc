package cox.exceptions;

import java.nio.file.Path;

/**
 * A TensorBoard event file holds a record whose CRC does not match its bytes, or whose data is
 * not an {@code Event}. A truncated last record is not damage (a writer that was killed leaves
 * one) and does not raise this.
 *
 * <p>The message names the file, the byte offset of the record and, for a CRC mismatch,
 * {@code actual 0x… != expected 0x…}.
 */
public class EventFileException extends CoxException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** Where the damaged record starts in the file. */
    private final long offset;

    /**
     * @param file the damaged event file
     * @param offset where the damaged record starts
     * @param message what is wrong, naming the file and offset
     * @param cause the underlying failure, or null
     */
    public EventFileException(Path file, long offset, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.offset = offset;
    }

    /**
     * The event file that is damaged.
     *
     * @return the path the reader was opened with
     */
    public Path file() {
        return file;
    }

    /**
     * Where the damaged record starts.
     *
     * @return the byte offset of the record's length field
     */
    public long offset() {
        return offset;
    }
}
