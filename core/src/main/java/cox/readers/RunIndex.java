package cox.readers;

import cox.store.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run index of one collection: each run's {@link RunSummary} with the {@link Stamp} of its
 * files when it was made, kept in one cache file per collection under a cache folder
 * ({@code $XDG_CACHE_HOME/cox4j} by default, {@link #defaultDirectory()}), read in one go and
 * written back (temporary file and rename) when something in it changed. A summary is used only
 * while its run's files have the same stamp; a run whose files changed is read again. The file
 * is only a cache: a missing, damaged or foreign one is ignored, and deleting it is always safe.
 * {@code cox ls}, {@code cox df --last/--best/--summary/--group-by}, {@code cox serve},
 * {@code cox sql}'s runs table and Spark's planning share it through {@link CollectionReader}.
 *
 * <p>Thread-safe. Two processes saving at once each write a whole file (the last one stays);
 * what it holds is checked against the runs' files when used, so either is right.
 */
public final class RunIndex {
    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    private static final byte[] MAGIC = "COXRIDX2".getBytes(StandardCharsets.US_ASCII);
    /** An index file larger than this is not read. */
    private static final long MAX_FILE = 1L << 31;

    /**
     * What a run's files look like now, cheaply: size and modification time (ns) of
     * {@code store.h5}, of the cox4j journal and of its checkpoint; -1 for a missing file, -2 for
     * one that cannot be looked at (never equal to a stamp that was taken).
     *
     * @param h5Size size of {@code store.h5}
     * @param h5Time its modification time
     * @param journalSize size of {@code .cox.journal}
     * @param journalTime its modification time
     * @param checkpointSize size of {@code .cox.checkpoint}
     * @param checkpointTime its modification time
     */
    public record Stamp(long h5Size, long h5Time, long journalSize, long journalTime, long checkpointSize,
            long checkpointTime) {
        /**
         * @param runDir an experiment folder
         * @return its stamp now
         */
        public static Stamp of(Path runDir) {
            long[] h5 = sizeAndTime(runDir.resolve("store.h5"));
            long[] journal = sizeAndTime(runDir.resolve(".cox.journal"));
            long[] checkpoint = sizeAndTime(runDir.resolve(".cox.checkpoint"));
            return new Stamp(h5[0], h5[1], journal[0], journal[1], checkpoint[0], checkpoint[1]);
        }

        /**
         * @return when the run's files last changed (the latest of the three times), or null if
         *     none exists
         */
        public java.time.Instant lastWrite() {
            long t = Math.max(h5Time, Math.max(journalTime, checkpointTime));
            return t < 0 ? null : java.time.Instant.ofEpochSecond(0, t);
        }

        /** @return whether a file could not be looked at: such a stamp is never cached */
        boolean unreadable() {
            return h5Size == -2 || journalSize == -2 || checkpointSize == -2;
        }

        private static long[] sizeAndTime(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new long[] {a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)};
            } catch (java.nio.file.NoSuchFileException e) {
                return new long[] {-1, -1};
            } catch (IOException e) {
                return new long[] {-2, -2};
            }
        }
    }

    /**
     * What the index knows of a run at a stamp.
     *
     * @param summary its tables in brief
     * @param closedCleanly whether its last cox4j writer closed it cleanly
     *     ({@link cox.store.Store#isClosedCleanly}), which depends only on files the stamp covers
     */
    public record Known(RunSummary summary, boolean closedCleanly) {
        /**
         * Checks the summary.
         *
         * @param summary its tables in brief
         * @param closedCleanly whether its last cox4j writer closed it cleanly
         */
        public Known {
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** A run's entry: its stamp, and what is known at it (decoded from {@code bytes} on first use). */
    private static final class Entry {
        final Stamp stamp;
        final byte[] bytes;
        final boolean closedCleanly;
        volatile Known known;

        Entry(Stamp stamp, Known known, byte[] bytes, boolean closedCleanly) {
            this.stamp = stamp;
            this.known = known;
            this.bytes = bytes;
            this.closedCleanly = closedCleanly;
        }

        Known known() {
            Known k = known;
            if (k == null) {
                k = new Known(RunSummary.fromBytes(bytes), closedCleanly);
                known = k;
            }
            return k;
        }
    }

    private final Path collection;
    private final Path file;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private RunIndex(Path collection, Path file) {
        this.collection = collection;
        this.file = file;
    }

    /**
     * The default cache folder: {@code $XDG_CACHE_HOME/cox4j}, else {@code ~/.cache/cox4j}.
     *
     * @return the folder (it may not exist yet)
     */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cox4j");
    }

    /**
     * The index of {@code collection} kept in {@code cacheDir}, as last saved there (empty if it
     * was never saved, or the file cannot be read or is damaged).
     *
     * @param cacheDir the cache folder; created when the index is first saved
     * @param collection the storage folder
     * @return the index
     */
    public static RunIndex load(Path cacheDir, Path collection) {
        Path dir = collection.toAbsolutePath().normalize();
        RunIndex index = new RunIndex(dir, cacheDir.resolve("runs-" + hash(dir.toString()) + ".idx"));
        index.read();
        return index;
    }

    /**
     * An index kept in memory only: summaries made by one reader are reused by its later calls.
     *
     * @param collection the storage folder
     * @return an empty index that is never saved
     */
    public static RunIndex inMemory(Path collection) {
        return new RunIndex(collection.toAbsolutePath().normalize(), null);
    }

    /** @return the cache file, or null for an index kept in memory */
    public Path file() {
        return file;
    }

    /**
     * @param expId a run
     * @param stamp its files' stamp now
     * @return what the index knows of it at that stamp, else null
     */
    public Known lookup(String expId, Stamp stamp) {
        Entry e = entries.get(expId);
        if (e == null || !e.stamp.equals(stamp)) {
            return null;
        }
        try {
            return e.known();
        } catch (RuntimeException damaged) {
            entries.remove(expId, e);
            return null;
        }
    }

    /**
     * Records what is known of run {@code expId} when its files had {@code stamp}.
     *
     * @param expId a run
     * @param stamp its files' stamp, taken before {@code known} was found
     * @param known what was found
     */
    public void put(String expId, Stamp stamp, Known known) {
        Objects.requireNonNull(known, "known");
        if (stamp.unreadable()) {
            return;
        }
        Entry old = entries.put(expId, new Entry(stamp, known, null, known.closedCleanly()));
        if (old == null || !old.stamp.equals(stamp)) {
            changed = true;
        }
    }

    /** @return how many runs the index holds */
    public int size() {
        return entries.size();
    }

    /**
     * Writes the index to its file if anything changed since it was read or saved, forgetting the
     * runs whose folder is gone. A failure is logged, not thrown: the index only speeds reading up.
     */
    public synchronized void save() {
        if (file == null || !changed) {
            return;
        }
        changed = false;
        entries.keySet().removeIf(id -> !Files.isDirectory(collection.resolve(id)));
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeUTF(collection.toString());
            out.writeInt(entries.size());
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry v = e.getValue();
                out.writeUTF(e.getKey());
                Stamp s = v.stamp;
                for (long l : new long[] {s.h5Size, s.h5Time, s.journalSize, s.journalTime, s.checkpointSize,
                    s.checkpointTime}) {
                    out.writeLong(l);
                }
                byte[] b = v.bytes != null ? v.bytes : v.known.summary().toBytes();
                out.writeBoolean(v.closedCleanly);
                out.writeInt(b.length);
                out.write(b);
            }
            CRC32C crc = new CRC32C();
            byte[] all = bytes.toByteArray();
            crc.update(all);
            out.writeInt((int) crc.getValue());
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the run index {} could not be saved ({}); the next command reads the runs again", file, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private void read() {
        byte[] all;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE) {
                return;
            }
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            return;
        }
        try {
            if (all.length < MAGIC.length + 4) {
                return;
            }
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - 4);
            ByteBuffer b = ByteBuffer.wrap(all);
            if ((int) crc.getValue() != b.getInt(all.length - 4)) {
                LOG.debug("run index {} is damaged; it is rebuilt", file);
                return;
            }
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                return;
            }
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(all, MAGIC.length,
                    all.length - MAGIC.length - 4));
            if (!in.readUTF().equals(collection.toString())) {
                return; // another folder whose name hashes alike
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                Stamp s = new Stamp(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
                boolean closed = in.readBoolean();
                int len = in.readInt();
                if (len < 0 || len > in.available()) {
                    entries.clear();
                    return;
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                entries.put(id, new Entry(s, null, payload, closed));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("run index {} cannot be read ({}); it is rebuilt", file, e.toString());
            entries.clear();
        }
    }

    private static String hash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "RunIndex of " + collection + (file == null ? " (in memory)" : " in " + file) + ": " + entries.size() + " runs";
    }
}
