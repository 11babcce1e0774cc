package cox.store.journal;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * How far {@code store.h5} reflects the journal ({@code EXP/.cox.checkpoint}): the journal
 * offset up to which every row is in {@code store.h5}, the tables and their row counts there,
 * and whether {@code store.h5} was consistent when this was written (false while the flusher
 * is changing it). Replaced atomically (temporary file and rename).
 *
 * @param consistent whether store.h5 held exactly {@code rows} when this was written
 * @param journalOffset rows of journal records before this offset are in store.h5
 * @param tables every table the journal defined before that offset
 * @param rows per table (by id), rows in store.h5
 */
public record Checkpoint(boolean consistent, long journalOffset, List<JournalTable> tables, long[] rows) {
    private static final byte[] MAGIC = "COXCKPT1".getBytes(StandardCharsets.US_ASCII);

    /**
     * Copies its arguments.
     *
     * @throws IllegalArgumentException if there is not one row count per table
     */
    public Checkpoint {
        if (rows.length != tables.size()) {
            throw new IllegalArgumentException("a checkpoint needs one row count per table: " + tables.size()
                    + " tables, " + rows.length + " counts");
        }
        tables = List.copyOf(tables);
        rows = rows.clone();
    }

    /**
     * Reads the checkpoint at {@code path}.
     *
     * @param path the checkpoint file
     * @return the checkpoint, or null if the file is missing or damaged
     * @throws CoxIOException if the file exists but cannot be read
     */
    public static Checkpoint read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CoxIOException("cannot read checkpoint " + path + ": " + e, e);
        }
        if (bytes.length < 12 || !Arrays.equals(Arrays.copyOf(bytes, 8), MAGIC)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int expected = b.getInt(8);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 12, bytes.length - 12);
        if ((int) crc.getValue() != expected) {
            return null;
        }
        try {
            b.position(12);
            boolean consistent = b.get() != 0;
            long offset = b.getLong();
            int n = Short.toUnsignedInt(b.getShort());
            List<JournalTable> tables = new ArrayList<>();
            long[] rows = new long[n];
            for (int i = 0; i < n; i++) {
                b.get(); // kind byte of the embedded table record
                tables.add(RecordCodec.decodeTable(b));
                rows[i] = b.getLong();
            }
            return new Checkpoint(consistent, offset, tables, rows);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Writes this checkpoint to {@code path} atomically.
     *
     * @param path the checkpoint file
     * @throws CoxIOException if it cannot be written
     */
    public void write(Path path) {
        List<byte[]> defs = new ArrayList<>();
        int size = 12 + 1 + 8 + 2;
        for (JournalTable t : tables) {
            byte[] d = RecordCodec.encodeTable(t);
            defs.add(d);
            size += d.length + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(0).put((byte) (consistent ? 1 : 0)).putLong(journalOffset).putShort((short) tables.size());
        for (int i = 0; i < defs.size(); i++) {
            b.put(defs.get(i)).putLong(rows[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 12, size - 12);
        b.putInt(8, (int) crc.getValue());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.write(tmp, b.array());
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot write checkpoint " + path + ": " + e, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.consistent == consistent && c.journalOffset == journalOffset
                && c.tables.equals(tables) && Arrays.equals(c.rows, rows);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(consistent) * 31 + Long.hashCode(journalOffset) + tables.hashCode() + Arrays.hashCode(rows);
    }

    @Override
    public String toString() {
        return "Checkpoint[consistent=" + consistent + ", journalOffset=" + journalOffset + ", tables="
                + tables.stream().map(JournalTable::name).toList() + ", rows=" + Arrays.toString(rows) + "]";
    }

}
