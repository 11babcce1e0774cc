package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreLockedException;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer lock of a store: an OS lock on {@code .cox.lock}, plus a registry of the stores
 * this JVM holds.
 *
 * <p>The registry exists because of how POSIX record locks work: a process holds them per file,
 * not per descriptor, so closing <em>any</em> channel this JVM has open on the lock file releases
 * the lock a writer of this JVM holds on it. A second {@code Store} of the same run in the same JVM
 * (a retry, a notebook cell run again) must therefore be refused before it opens a channel on the
 * lock file; {@link #acquire} checks the registry first, by the folder's real path and by the lock
 * file's identity (device and inode), and {@link WriterProbe} asks {@link #heldInThisJvm} before it
 * tries a lock of its own.
 *
 * <p>A lock file deleted or replaced while a writer holds it (by hand, by a cleaning script) no
 * longer excludes anyone: another process can create a new one and lock that. {@link #isIntact()}
 * tells whether {@code .cox.lock} is still the file this writer locked; {@link StoreWriter} asks it
 * at every flush (every {@value StoreWriter#FLUSH_INTERVAL_MS} ms), before {@code sync()},
 * {@code close()} and a table definition, and stops accepting rows once it is not.
 *
 * <p>Thread-safe.
 */
final class WriterLock {
    /** The stores held by this JVM, by the real path of their folder. */
    private static final Map<Path, WriterLock> HELD = new ConcurrentHashMap<>();

    private final StoreFiles files;
    private final Path key;
    private final String holder;
    private FileChannel channel;
    /** The lock file's identity (device and inode) once locked; null where the file system has none. */
    private Object fileKey;

    private WriterLock(StoreFiles files, Path key) {
        this.files = files;
        this.key = key;
        this.holder = Thread.currentThread().getName();
    }

    /**
     * Takes the lock of the store in {@code files}, whose folder exists.
     *
     * @return the held lock
     * @throws StoreLockedException if another writer holds it, in this JVM or in another process
     * @throws CoxIOException if the lock file cannot be created or locked
     */
    static WriterLock acquire(StoreFiles files) {
        Path key = registryKey(files);
        WriterLock lock = new WriterLock(files, key);
        WriterLock other = HELD.putIfAbsent(key, lock);
        if (other != null) {
            throw other.heldHere();
        }
        try {
            Object existing = identity(files.lock());
            if (existing != null) {
                for (WriterLock held : HELD.values()) {
                    if (held != lock && existing.equals(held.fileKey)) {
                        throw held.heldHere(); // the same lock file, reached through another path
                    }
                }
            }
            lock.lockFile();
            return lock;
        } catch (RuntimeException e) {
            HELD.remove(key, lock);
            throw e;
        }
    }

    /**
     * Whether a writer of this JVM holds the store in {@code files}; asked before anything opens a
     * channel on its lock file, since closing that channel would release the writer's lock.
     */
    static boolean heldInThisJvm(StoreFiles files) {
        if (HELD.isEmpty() || !PositionalInputs.isLocal(files.dir())) {
            return false; // a reader's JVM, listing many runs, or a remote store no writer here can hold
        }
        Path key;
        try {
            key = files.dir().toRealPath();
        } catch (IOException e) {
            return false;
        }
        if (HELD.containsKey(key)) {
            return true;
        }
        Object id = identity(files.lock());
        if (id != null) {
            for (WriterLock held : HELD.values()) {
                if (id.equals(held.fileKey)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void lockFile() {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw lockedElsewhere();
            }
            channel = ch;
            fileKey = identity(files.lock());
        } catch (OverlappingFileLockException e) {
            // not reached through the registry (it is checked first), but never close the channel of a held lock quietly
            closeQuietly(ch);
            throw lockedElsewhere();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CoxIOException("cannot lock store " + files.dir() + " (" + files.lock() + "): " + e, e);
        }
    }

    /**
     * Whether {@code .cox.lock} is still the file this writer locked: true while it is, false once it
     * was deleted or replaced by another file. On a file system that gives files no identity, only a
     * deleted lock file is noticed.
     */
    boolean isIntact() {
        Object now;
        try {
            now = identity(files.lock());
        } catch (CoxIOException e) {
            return true; // cannot tell: only a lock file seen gone or replaced stops the writer
        }
        if (now == null) {
            return fileKey == null && Files.exists(files.lock(), LinkOption.NOFOLLOW_LINKS);
        }
        return fileKey == null || now.equals(fileKey);
    }

    /** The error of a writer whose lock file was deleted or replaced under it. */
    StoreLockedException lost() {
        return new StoreLockedException("store " + files.dir() + " stopped accepting rows: its lock file " + files.lock()
                + " was deleted or replaced while this writer held it, so another writer may have opened the store; every"
                + " row flushed before this error is in the journal " + files.journal() + ". Close this store and open it"
                + " again (Mode.READ shows what it holds); never delete .cox.lock under a running writer");
    }

    /** Releases the lock; idempotent. */
    void release() {
        try {
            FileChannel ch = channel;
            channel = null;
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot release the lock of store " + files.dir() + ": " + e, e);
        } finally {
            HELD.remove(key, this);
        }
    }

    private StoreLockedException heldHere() {
        return new StoreLockedException("store " + files.dir() + " is open for writing already in this JVM (opened by thread '"
                + holder + "' and not closed yet): close that Store before opening it again, or open it with Mode.READ to"
                + " read it meanwhile");
    }

    private StoreLockedException lockedElsewhere() {
        return new StoreLockedException("store " + files.dir() + " is open for writing by another writer (lock file "
                + files.lock() + " is held); open it with Mode.READ to read it meanwhile");
    }

    /** The real path of the store's folder, which must exist: one key however the folder was named. */
    private static Path registryKey(StoreFiles files) {
        try {
            return files.dir().toRealPath();
        } catch (IOException e) {
            throw new CoxIOException("cannot resolve the folder of store " + files.dir() + ": " + e, e);
        }
    }

    /** The file's identity (device and inode where the file system has them), or null if it is missing or has none. */
    private static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CoxIOException("cannot read the attributes of the lock file " + file + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to add
            }
        }
    }

    @Override
    public String toString() {
        return "WriterLock[" + Objects.toString(key) + "]";
    }
}
