package cox.store;

import cox.exceptions.CoxIOException;
import cox.io.PositionalInputs;
import cox.store.journal.Checkpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * Looks at an experiment folder from outside, without opening the store: whether a writer holds
 * its lock now, whether its last writer closed it cleanly, and when its files last changed. For
 * the status of {@code cox ls} and of the web page.
 */
final class WriterProbe {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private WriterProbe() {
    }

    /**
     * Whether a process on this machine holds the store's writer lock; false for a store that is
     * not on the local file system (its writer, if any, is on another machine). On Linux this reads
     * {@code /proc/locks}, which disturbs nobody; elsewhere it tries a shared lock on the lock file
     * and releases it at once (a writer opening the store in that microsecond would see it locked).
     */
    static boolean isLocked(StoreFiles files) {
        Path lock = files.lock();
        if (!PositionalInputs.isLocal(lock) || !Files.exists(lock)) {
            // a store on another file system (HDFS, S3): no lock of its writer can be seen from here
            return false;
        }
        if (Files.isReadable(PROC_LOCKS)) {
            try {
                return lockedPerProc(lock, Files.readAllLines(PROC_LOCKS));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                // fall back on trying the lock
            }
        }
        return lockedPerTry(files);
    }

    /**
     * A test of whether stores are open for writing that reads the lock table once: on Linux,
     * {@code /proc/locks} is read and parsed when this is called, and each store's lock file is
     * then looked up in it (two numbers from one {@code stat}); elsewhere each store is probed as
     * {@link #isLocked} does. For listing many runs at once: a lock taken after this call is not
     * seen.
     */
    static java.util.function.Predicate<StoreFiles> lockedSnapshot() {
        if (!Files.isReadable(PROC_LOCKS)) {
            return WriterProbe::isLocked;
        }
        java.util.Set<String> locked;
        try {
            locked = lockedFiles(Files.readAllLines(PROC_LOCKS));
        } catch (IOException | UnsupportedOperationException e) {
            return WriterProbe::isLocked;
        }
        return files -> {
            if (!PositionalInputs.isLocal(files.dir())) {
                return false; // no lock can be seen on another file system
            }
            if (WriterLock.heldInThisJvm(files)) {
                return true;
            }
            if (locked.isEmpty()) {
                return false; // no process holds a lock: no need to look at the lock file's identity
            }
            try {
                return locked.contains(key(files.lock()));
            } catch (NoSuchFileException e) {
                return false;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return isLocked(files);
            }
        };
    }

    /** Whether a shared lock on the lock file is refused (another process holds it) or overlaps one of this JVM. */
    static boolean lockedPerTry(StoreFiles files) {
        Path lock = files.lock();
        if (!PositionalInputs.isLocal(lock)) {
            return false; // no lock can be seen on another file system
        }
        if (WriterLock.heldInThisJvm(files)) {
            return true; // and opening a channel here would release it when closed
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.READ)) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new CoxIOException("cannot check the writer lock " + lock + " of store " + files.dir(), e);
        }
    }

    /** Whether a line of {@code /proc/locks} ({@code 1: POSIX ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF}) names the file. */
    static boolean lockedPerProc(Path file, List<String> procLocks) throws IOException {
        return lockedFiles(procLocks).contains(key(file));
    }

    /** The files {@code /proc/locks} lists as locked, each as {@code MAJOR:MINOR:INODE} in decimal ({@link #key}). */
    private static java.util.Set<String> lockedFiles(List<String> procLocks) {
        java.util.Set<String> locked = new java.util.HashSet<>();
        for (String line : procLocks) {
            for (String field : line.trim().split("\\s+")) {
                String[] parts = field.split(":");
                if (parts.length == 3 && !parts[2].isEmpty() && parts[2].chars().allMatch(Character::isDigit)) {
                    try {
                        locked.add(Long.parseLong(parts[0], 16) + ":" + Long.parseLong(parts[1], 16) + ":"
                                + Long.parseLong(parts[2]));
                    } catch (NumberFormatException e) {
                        // not a device:inode field
                    }
                }
            }
        }
        return locked;
    }

    /** A file's device and inode as {@code /proc/locks} names them: {@code MAJOR:MINOR:INODE}, from one {@code stat}. */
    private static String key(Path file) throws IOException {
        java.util.Map<String, Object> a = Files.readAttributes(file, "unix:ino,dev");
        long ino = ((Number) a.get("ino")).longValue();
        long dev = ((Number) a.get("dev")).longValue();
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        return major + ":" + minor + ":" + ino;
    }

    /**
     * Whether the store's last writer closed it cleanly: its checkpoint says so (format 3) and no
     * journal record follows the checkpoint's offset. A checkpoint of format 1 or 2 (an earlier
     * cox4j, which did not mark a clean close) counts when it is consistent and no record follows
     * it. False without a journal (not a cox4j store) or without a valid checkpoint.
     */
    static boolean closedCleanly(StoreFiles files) {
        Path journal = files.journal();
        int format = Checkpoint.format(files.checkpoint());
        Checkpoint cp = format == 0 ? null : Checkpoint.read(files.checkpoint());
        if (cp == null || !(format >= 3 ? cp.closed() : cp.consistent())) {
            return false;
        }
        try {
            return Files.size(journal) == cp.journalOffset();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new CoxIOException("cannot read the size of " + journal + ": " + e, e);
        }
    }

    /** The latest modification time of store.h5, the journal and the checkpoint. */
    static Instant lastWrite(StoreFiles files) {
        FileTime latest = null;
        for (Path p : new Path[] {files.h5(), files.journal(), files.checkpoint()}) {
            try {
                FileTime t = Files.getLastModifiedTime(p);
                if (latest == null || t.compareTo(latest) > 0) {
                    latest = t;
                }
            } catch (NoSuchFileException e) {
                // not every store has every file
            } catch (IOException e) {
                throw new CoxIOException("cannot read the modification time of " + p, e);
            }
        }
        if (latest == null) {
            throw new CoxIOException("no store at " + files.dir() + ": it has neither store.h5 nor a journal");
        }
        return latest.toInstant();
    }
}
