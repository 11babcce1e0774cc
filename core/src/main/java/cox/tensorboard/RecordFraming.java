package cox.tensorboard;

import java.util.zip.CRC32C;

/**
 * The TFRecord framing of an event file: {@code uint64 length} (little-endian),
 * {@code uint32 masked_crc32c(length bytes)}, the data, {@code uint32 masked_crc32c(data)}.
 */
final class RecordFraming {
    /** Bytes before the data: the length and its CRC. */
    static final int HEADER_BYTES = 12;
    /** Bytes after the data: its CRC. */
    static final int FOOTER_BYTES = 4;

    private static final int MASK_DELTA = 0xa282ead8;

    private RecordFraming() {}

    /** TensorFlow masks stored CRCs so that a CRC of data that embeds CRCs stays well-mixed. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** Masked CRC32C of {@code bytes[offset, offset + length)}, reusing {@code crc}. */
    static int maskedCrc(CRC32C crc, byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        return mask((int) crc.getValue());
    }
}
