package cox.readers;

import cox.exceptions.CoxException;
import cox.io.Locations;
import cox.io.PositionalInputs;
import cox.io.internal.Settling;
import cox.store.RunSummary;
import cox.store.Store;
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
 * {@code cox ls}, {@code cox df --last/--best/--summary/--group-by}, {@code cox serve} and
 * {@code cox sql}'s runs table share it through {@link CollectionReader}; Spark's planning uses
 * an index in memory (the writers' summaries), for its executors may not share the driver's
 * cache folder.
 *
 * <p>Thread-safe. Two processes saving at once each write a whole file (the last one stays);
 * what it holds is checked against the runs' files when used, so either is right.
 */
public final class RunIndex {
    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    /** Version 4: summaries in {@code SummaryCodec}'s second bytes (a file of an earlier version is ignored). */
    private static final byte[] MAGIC = "COXRIDX4".getBytes(StandardCharsets.US_ASCII);
    /** The closed-cleanly byte of an entry whose checkpoint is looked at again ({@link #racy}). */
    private static final int UNKNOWN = 2;
    /** An index file larger than this, or than a quarter of the heap, is not read. */
    private static final long MAX_FILE = 1L << 31;

    /**
     * What a run's files look like now, cheaply: size and modification time (ns) of
     * {@code store.h5}, of the cox4j journal and of its checkpoint; -1 for a missing file, -2 for
     * one that cannot be looked at or is not a regular file (such a stamp is never cached).
     *
     * @param h5Size size of {@code store.h5}
     * @param h5Time its modification time
     * @param journalSize size of {@code .cox.journal}
     * @param journalTime its modification time
     * @param checkpointSize size of {@code .cox.checkpoint}
     * @param checkpointTime its modification time
     */
    record Stamp(long h5Size, long h5Time, long journalSize, long journalTime, long checkpointSize,
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
                if (!a.isRegularFile()) {
                    return new long[] {-2, -2}; // a folder or device where a file should be: never cached
                }
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
     *     ({@link cox.store.Store#isClosedCleanly}), which depends only on files the stamp covers;
     *     the index keeps it only once those files are older than their file system's time
     *     resolution, and reads it again from the checkpoint until then
     */
    record Known(RunSummary summary, boolean closedCleanly) {
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

    /**
     * A run's entry: its stamp, its summary (decoded from {@code bytes} on first use), and whether
     * its last writer closed it cleanly, or null when that was found while the run's files were
     * too recently written ({@link #racy}) and is looked at again.
     */
    private static final class Entry {
        final Stamp stamp;
        final byte[] bytes;
        final Boolean closedCleanly;
        volatile RunSummary summary;

        Entry(Stamp stamp, RunSummary summary, byte[] bytes, Boolean closedCleanly) {
            this.stamp = stamp;
            this.summary = summary;
            this.bytes = bytes;
            this.closedCleanly = closedCleanly;
        }

        RunSummary summary() {
            RunSummary s = summary;
            if (s == null) {
                s = RunSummary.fromBytes(bytes);
                summary = s;
            }
            return s;
        }
    }

    /**
     * Whether a stamp taken now may not tell the run's files from the next version of them: one of
     * them was modified too recently by the local clock ({@link Settling#byClock}: within a file
     * system's time resolution for a local collection, widened by a remote server's possible clock
     * skew for any other), as git's "racily clean" index entries. The cache persists across
     * processes, so the time a stamp was first seen cannot be used. The rows of a summary do not
     * depend on it (the journal grows with every record); whether the run was closed cleanly, read
     * from the checkpoint, does.
     */
    boolean racy(Stamp stamp) {
        long latest = Math.max(stamp.h5Time(), Math.max(stamp.journalTime(), stamp.checkpointTime()));
        return !Settling.byClock(collection, latest);
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
     * @param cacheDir the cache folder (a local one); created when the index is first saved
     * @param collection the storage folder, on any file system: a local one is known by its
     *     absolute path, any other by its URI ({@code s3://bucket/runs}, {@code hdfs://nn:8020/runs})
     * @return the index
     * @throws IllegalArgumentException if {@code cacheDir} is not a local folder
     */
    public static RunIndex load(Path cacheDir, Path collection) {
        if (!PositionalInputs.isLocal(cacheDir)) {
            throw new IllegalArgumentException("the run index's cache folder must be a local folder, not "
                    + Locations.text(cacheDir));
        }
        Path dir = collection.toAbsolutePath().normalize();
        RunIndex index = new RunIndex(dir, cacheDir.resolve("runs-" + hash(key(dir)) + ".idx"));
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
    Path file() {
        return file;
    }

    /**
     * @param expId a run
     * @param stamp its files' stamp now
     * @return what the index knows of it at that stamp, else null
     */
    Known lookup(String expId, Stamp stamp) {
        Entry e = entries.get(expId);
        if (e == null || !e.stamp.equals(stamp)) {
            return null;
        }
        RunSummary summary;
        try {
            summary = e.summary();
        } catch (RuntimeException damaged) {
            entries.remove(expId, e);
            return null;
        }
        if (e.closedCleanly != null) {
            return new Known(summary, e.closedCleanly);
        }
        // found while the files could still change unseen: look at the checkpoint again
        boolean closed;
        try {
            Path folder = collection.resolve(expId);
            closed = Store.isClosedCleanly(folder);
        } catch (CoxException | java.io.UncheckedIOException unreadable) {
            return null;
        }
        if (!racy(stamp) && entries.replace(expId, e, new Entry(stamp, summary, e.bytes, closed))) {
            changed = true; // the files have settled since: what they say now holds while the stamp does
        }
        return new Known(summary, closed);
    }

    /**
     * Records what is known of run {@code expId} when its files had {@code stamp}.
     *
     * @param expId a run
     * @param stamp its files' stamp, taken before {@code known} was found
     * @param known what was found; not kept for a run without a journal whose files changed less
     *     too recently ({@link #racy}: its next write may leave the same stamp)
     */
    void put(String expId, Stamp stamp, Known known) {
        Objects.requireNonNull(known, "known");
        if (stamp.unreadable() || (stamp.journalSize() < 0 && racy(stamp))) {
            // a run without a journal (Python cox's) can change within its file clock's tick with its
            // size unchanged (HDF5 writes inside allocated chunks): its summary is kept once it settled
            return;
        }
        Boolean closed = racy(stamp) ? null : known.closedCleanly();
        Entry old = entries.put(expId, new Entry(stamp, known.summary(), null, closed));
        if (old == null || !old.stamp.equals(stamp) || !Objects.equals(old.closedCleanly, closed)) {
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
        Path tmp = null;
        try {
            if (PositionalInputs.isLocal(collection)) {
                // (a remote collection keeps the entries of deleted runs: looking costs a request per run)
                entries.keySet().removeIf(id -> !Files.isDirectory(collection.resolve(id)));
            }
            Map<String, Entry> snapshot = new java.util.LinkedHashMap<>(entries); // reader threads may put meanwhile
            changed = false;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + snapshot.size() * 512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeUTF(key(collection));
            out.writeInt(snapshot.size());
            for (Map.Entry<String, Entry> e : snapshot.entrySet()) {
                Entry v = e.getValue();
                out.writeUTF(e.getKey());
                Stamp s = v.stamp;
                for (long l : new long[] {s.h5Size, s.h5Time, s.journalSize, s.journalTime, s.checkpointSize,
                    s.checkpointTime}) {
                    out.writeLong(l);
                }
                byte[] b = v.bytes != null ? v.bytes : v.summary.toBytes();
                out.writeByte(v.closedCleanly == null ? UNKNOWN : v.closedCleanly ? 1 : 0);
                out.writeInt(b.length);
                out.write(b);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            changed = true; // tried again at the next save
            LOG.warn("the run index {} could not be saved ({}); the next command reads the runs again", file, e.toString());
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private void read() {
        byte[] all;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > Math.min(MAX_FILE, Runtime.getRuntime().maxMemory() / 4)) {
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
            if (!in.readUTF().equals(key(collection))) {
                return; // another folder whose name hashes alike
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                Stamp s = new Stamp(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
                int closed = in.readUnsignedByte();
                int len = in.readInt();
                if (closed > UNKNOWN || len < 0 || len > in.available()) {
                    entries.clear();
                    return;
                }
                byte[] payload = new byte[len];
                in.readFully(payload);
                entries.put(id, new Entry(s, null, payload, closed == UNKNOWN ? null : closed == 1));
            }
            if (in.available() != 0) {
                entries.clear(); // bytes after the last entry: not a file this class wrote
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("run index {} cannot be read ({}); it is rebuilt", file, e.toString());
            entries.clear();
        }
    }

    /**
     * What names a collection in its cache file: the absolute path of a local folder, the URI of
     * any other ({@code s3://bucket/runs}), so two file systems' folders of the same path differ.
     */
    private static String key(Path collection) {
        return Locations.text(collection);
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
