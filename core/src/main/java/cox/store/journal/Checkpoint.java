package cox.store.journal;

import cox.exceptions.CoxIOException;
import cox.io.PositionalInputs;
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
 * offset up to which every row is in {@code store.h5}, the tables and their row counts there, a
 * digest of each table's rows there (so that a reader can tell whether {@code store.h5} still
 * holds them), the tables {@code store.h5} could not take, and whether {@code store.h5} was
 * consistent when this was written (false while the flusher is changing it), and whether the
 * writer closed the store cleanly right after writing it. Replaced atomically (temporary file and
 * rename).
 *
 * <p>Format 3 ({@code COXCKPT3}) is written. Format 2 ({@code COXCKPT2}, without the closed flag)
 * is read with {@link #closed()} false; format 1 ({@code COXCKPT1}, also without digests and
 * without the tables store.h5 does not hold) with {@link #digests()} null.
 *
 * @param consistent whether store.h5 held exactly {@code rows} when this was written
 * @param journalOffset rows of journal records before this offset are in store.h5, except those
 *     of the tables {@code store.h5} does not hold
 * @param tables every table the journal defined when this was written
 * @param rows per table (by id), rows in store.h5
 * @param digests per table (by id), the digest of those rows as the store layer computes it; null
 *     in a format-1 checkpoint
 * @param notHeld per table (by id), whether store.h5 does not hold the table (it failed there);
 *     its rows are then only in the journal
 * @param closed whether this is the last checkpoint of a writer that closed the store cleanly
 *     ({@code Store.close()} after its final flush); false in format 1 and 2, and in every
 *     checkpoint written while a writer has the store open
 */
public record Checkpoint(boolean consistent, long journalOffset, List<JournalTable> tables, long[] rows,
        long[] digests, boolean[] notHeld, boolean closed) {
    private static final byte[] MAGIC_1 = "COXCKPT1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_2 = "COXCKPT2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = "COXCKPT3".getBytes(StandardCharsets.US_ASCII);

    /**
     * Copies its arguments.
     *
     * @throws IllegalArgumentException if there is not one count, digest and flag per table
     */
    public Checkpoint {
        if (rows.length != tables.size() || (digests != null && digests.length != tables.size())
                || notHeld.length != tables.size()) {
            throw new IllegalArgumentException("a checkpoint needs one row count, digest and flag per table: "
                    + tables.size() + " tables, " + rows.length + " counts, "
                    + (digests == null ? "no" : String.valueOf(digests.length)) + " digests, " + notHeld.length + " flags");
        }
        tables = List.copyOf(tables);
        rows = rows.clone();
        digests = digests == null ? null : digests.clone();
        notHeld = notHeld.clone();
    }

    /**
     * A checkpoint of a writer that has the store open (not closed).
     *
     * @throws IllegalArgumentException if there is not one count, digest and flag per table
     */
    public Checkpoint(boolean consistent, long journalOffset, List<JournalTable> tables, long[] rows, long[] digests,
            boolean[] notHeld) {
        this(consistent, journalOffset, tables, rows, digests, notHeld, false);
    }

    /**
     * @param isClosed the closed flag
     * @return this checkpoint with the closed flag {@code isClosed}
     */
    public Checkpoint withClosed(boolean isClosed) {
        return new Checkpoint(consistent, journalOffset, tables, rows, digests, notHeld, isClosed);
    }

    /** @return whether it has digests (format 2 or 3), so that store.h5's rows can be checked against it */
    public boolean hasDigests() {
        return digests != null;
    }

    /** @return whether store.h5 does not hold some table (a writer rebuilds it) */
    public boolean anyNotHeld() {
        for (boolean b : notHeld) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** @return the position of table {@code name} in {@link #tables()}, or -1 */
    public int indexOf(String name) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads the checkpoint at {@code path}.
     *
     * @param path the checkpoint file
     * @return the checkpoint, or null if the file is missing or damaged (or not a regular file)
     * @throws CoxIOException if the file exists but cannot be read
     */
    public static Checkpoint read(Path path) {
        byte[] bytes;
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            return null; // a FIFO or device would block or never end: damaged, never opened
        }
        try {
            bytes = PositionalInputs.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CoxIOException("cannot read checkpoint " + cox.io.Locations.text(path) + ": " + e, e);
        }
        if (bytes.length < 12) {
            return null;
        }
        byte[] magic = Arrays.copyOf(bytes, 8);
        boolean v3 = Arrays.equals(magic, MAGIC);
        boolean v2 = v3 || Arrays.equals(magic, MAGIC_2);
        if (!v2 && !Arrays.equals(magic, MAGIC_1)) {
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
            boolean closed = v3 && (b.get() & 1) != 0;
            long offset = b.getLong();
            int n = Short.toUnsignedInt(b.getShort());
            List<JournalTable> tables = new ArrayList<>();
            long[] rows = new long[n];
            long[] digests = v2 ? new long[n] : null;
            boolean[] notHeld = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (b.get() != RecordCodec.TABLE) {
                    return null;
                }
                tables.add(RecordCodec.decodeTable(b));
                rows[i] = b.getLong();
                if (v2) {
                    digests[i] = b.getLong();
                    notHeld[i] = (b.get() & 1) != 0;
                }
            }
            if (b.hasRemaining() || offset < RowJournal.HEADER_SIZE) {
                return null;
            }
            return new Checkpoint(consistent, offset, tables, rows, digests, notHeld, closed);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The format of the checkpoint at {@code path}, from its first 8 bytes alone (nothing else is
     * checked): 1, 2 or 3, or 0 if the file is missing, not a regular file, or of no known format.
     * Format 3 is the first to say whether the writer closed the store cleanly.
     *
     * @param path the checkpoint file
     * @return its format, or 0
     * @throws CoxIOException if the file exists but cannot be read
     */
    public static int format(Path path) {
        if (!Files.isRegularFile(path)) {
            return 0;
        }
        byte[] magic = new byte[8];
        try (java.io.InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(magic, 0, 8) < 8) {
                return 0;
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new CoxIOException("cannot read checkpoint " + cox.io.Locations.text(path) + ": " + e, e);
        }
        return Arrays.equals(magic, MAGIC) ? 3 : Arrays.equals(magic, MAGIC_2) ? 2 : Arrays.equals(magic, MAGIC_1) ? 1 : 0;
    }

    /**
     * Writes this checkpoint to {@code path} atomically.
     *
     * @param path the checkpoint file
     * @throws CoxIOException if it cannot be written
     */
    public void write(Path path) {
        List<byte[]> defs = new ArrayList<>();
        if (digests == null) {
            throw new IllegalStateException("a checkpoint is written with digests (format 3)");
        }
        int size = 12 + 1 + 1 + 8 + 2;
        for (JournalTable t : tables) {
            byte[] d = RecordCodec.encodeTable(t);
            defs.add(d);
            size += d.length + 8 + 8 + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(0).put((byte) (consistent ? 1 : 0)).put((byte) (closed ? 1 : 0)).putLong(journalOffset).putShort((short) tables.size());
        for (int i = 0; i < defs.size(); i++) {
            b.put(defs.get(i)).putLong(rows[i]).putLong(digests[i]).put((byte) (notHeld[i] ? 1 : 0));
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 12, size - 12);
        b.putInt(8, (int) crc.getValue());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp); // whatever is there (a FIFO would block the write): a new file
            Files.write(tmp, b.array(), java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a full disk leaves a short or empty temporary file: it is of no use to anyone
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new CoxIOException("cannot write checkpoint " + path + ": " + e, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.consistent == consistent && c.journalOffset == journalOffset
                && c.tables.equals(tables) && Arrays.equals(c.rows, rows) && Arrays.equals(c.digests, digests)
                && Arrays.equals(c.notHeld, notHeld) && c.closed == closed;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(consistent) * 31 + Long.hashCode(journalOffset) + tables.hashCode() + Arrays.hashCode(rows)
                + Arrays.hashCode(digests) + Arrays.hashCode(notHeld) + Boolean.hashCode(closed) * 7;
    }

    @Override
    public String toString() {
        return "Checkpoint[consistent=" + consistent + ", journalOffset=" + journalOffset + ", tables="
                + tables.stream().map(JournalTable::name).toList() + ", rows=" + Arrays.toString(rows) + ", notHeld="
                + Arrays.toString(notHeld) + (closed ? ", closed" : "") + (digests == null ? ", format 1" : "") + "]";
    }

}
