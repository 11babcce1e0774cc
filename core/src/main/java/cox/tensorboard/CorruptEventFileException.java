package cox.tensorboard;

import cox.store.StoreFormatException;
import java.nio.file.Path;

/**
 * An event file holds a record whose CRC does not match its bytes, or whose data is not
 * an {@code Event}. A truncated last record is not corruption (a writer that was killed
 * leaves one) and does not raise this.
 *
 * <p>The message names the file, the byte offset of the record and, for a CRC mismatch,
 * {@code actual 0x… != expected 0x…}.
 */
public final class CorruptEventFileException extends StoreFormatException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    CorruptEventFileException(Path file, long offset, String message, Throwable cause) {
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
