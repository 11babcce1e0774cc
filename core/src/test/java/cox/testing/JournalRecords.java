package cox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records of a cox4j journal ({@code .cox.journal}) parsed field by field as docs/format.md
 * describes them, independently of the journal code under test, so that tests damage a named
 * field of a named record (the length of the tenth row, say) rather than a hard-coded offset.
 */
public final class JournalRecords {
    /** Bytes before the first record: {@code COXJRNL1}. */
    public static final int HEADER_SIZE = 8;

    private JournalRecords() {
    }

    /**
     * One whole record.
     *
     * @param offset where its frame starts (its u32 length field)
     * @param length the payload length it claims
     * @param crc its crc32c field
     * @param kind the payload's first byte: {@code 'T'} or {@code 'R'}
     * @param tableId the u16 after the kind: the table a row belongs to, or the id a definition gives
     */
    public record Record(long offset, long length, int crc, char kind, int tableId) {
        /** @return the offset of the u32 length field */
        public long lengthField() {
            return offset;
        }

        /** @return the offset of the u32 crc32c field */
        public long crcField() {
            return offset + 4;
        }

        /** @return the offset of the payload */
        public long payload() {
            return offset + 8;
        }

        /** @return the offset after the record */
        public long end() {
            return offset + 8 + length;
        }
    }

    /**
     * The whole records of {@code journal}, in order, up to the first that is not whole.
     *
     * @param journal a journal file
     * @return its records
     */
    public static List<Record> parse(Path journal) {
        byte[] all = read(journal);
        if (all.length < HEADER_SIZE
                || !Arrays.equals(Arrays.copyOf(all, HEADER_SIZE), "COXJRNL1".getBytes(StandardCharsets.US_ASCII))) {
            throw new AssertionError(journal + " is not a cox4j journal");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Record> out = new ArrayList<>();
        long pos = HEADER_SIZE;
        while (pos + 8 <= all.length) {
            long length = Integer.toUnsignedLong(b.getInt((int) pos));
            if (length < 3 || pos + 8 + length > all.length) {
                break;
            }
            int at = (int) pos + 8;
            out.add(new Record(pos, length, b.getInt((int) pos + 4), (char) all[at],
                    Short.toUnsignedInt(b.getShort(at + 1))));
            pos += 8 + length;
        }
        return out;
    }

    /** The row records of {@code journal} of table {@code tableId}, in order. */
    public static List<Record> rows(Path journal, int tableId) {
        return parse(journal).stream().filter(r -> r.kind() == 'R' && r.tableId() == tableId).toList();
    }

    /**
     * Overwrites the length field of {@code record} with {@code length} (its low 32 bits).
     *
     * @param journal the journal file
     * @param record a record of it
     * @param length the new claimed length
     */
    public static void setLength(Path journal, Record record, long length) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) length);
        write(journal, record.lengthField(), b.array());
    }

    /**
     * XORs the byte at {@code offset} of {@code file} with {@code mask}.
     *
     * @param file a file
     * @param offset where
     * @param mask the bits to flip
     */
    public static void flip(Path file, long offset, int mask) {
        byte[] one = new byte[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(one), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        one[0] ^= (byte) mask;
        write(file, offset, one);
    }

    private static void write(Path file, long offset, byte[] bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
