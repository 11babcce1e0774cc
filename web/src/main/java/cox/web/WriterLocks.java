package cox.web;

import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The locks held on this machine, read once per scan of the folder: a cox4j writer holds an OS
 * lock on {@code .cox.lock} (a POSIX record lock on Linux), and Linux lists every held lock in
 * {@code /proc/locks} by device and inode. {@link cox.store.Store#isOpenForWriting} decides
 * whether a run is running; it reads {@code /proc/locks} once per call, so for 10,000 runs this
 * one read finds the few candidates it is asked about. Where {@code /proc/locks} cannot be read
 * (not Linux), the runs written in the last ten minutes are the candidates.
 */
final class WriterLocks {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private final Set<String> held;
    private final boolean readable;

    private WriterLocks(Set<String> held, boolean readable) {
        this.held = held;
        this.readable = readable;
    }

    /** @return whether /proc/locks could be read (Linux); if not, every recently written run is a candidate */
    boolean readable() {
        return readable;
    }

    /** @return the locks held on this machine now (an empty set where /proc/locks is missing) */
    static WriterLocks now() {
        Set<String> held = new HashSet<>();
        boolean readable = Files.isReadable(PROC_LOCKS);
        if (readable) {
            try {
                for (String line : Files.readAllLines(PROC_LOCKS)) {
                    // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; lines of waiters start "1: ->"
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 6 && !f[1].equals("->")) {
                        held.add(key(f[5]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                readable = false;
            }
        }
        return new WriterLocks(held, readable);
    }

    /** @return the keys of the files locked now ({@link #keyOf}'s form) */
    Set<String> held() {
        return java.util.Collections.unmodifiableSet(held);
    }

    /** @return whether any lock is held at all (if not, no file needs to be looked at) */
    boolean any() {
        return !held.isEmpty();
    }

    /**
     * @param lockKey a file's key from {@link #keyOf}, or null
     * @return whether some process holds a lock on that file
     */
    boolean isHeld(String lockKey) {
        return lockKey != null && held.contains(lockKey);
    }

    /**
     * @param file a lock file
     * @return its "major:minor:inode" key as /proc/locks writes it (hex device numbers), or null
     *     if it does not exist or the platform does not tell
     */
    static String keyOf(Path file) {
        if (!PositionalInputs.isLocal(file)) {
            return null; // a writer elsewhere holds no lock this machine sees (and S3's provider has no inodes)
        }
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:ino,dev"); // one stat for both
            Object ino = a.get("ino");
            Object dev = a.get("dev");
            if (!(dev instanceof Number) || !(ino instanceof Number)) {
                return null;
            }
            long d = ((Number) dev).longValue();
            long major = ((d >>> 8) & 0xfff) | ((d >>> 32) & ~0xfffL);
            long minor = (d & 0xff) | ((d >>> 12) & ~0xffL);
            return Long.toHexString(major) + ":" + Long.toHexString(minor) + ":" + ((Number) ino).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** Normalises "08:01:5678" (zero-padded hex) to "8:1:5678". */
    private static String key(String field) {
        String[] p = field.split(":");
        if (p.length != 3) {
            return field;
        }
        try {
            return Long.toHexString(Long.parseLong(p[0], 16)) + ":" + Long.toHexString(Long.parseLong(p[1], 16)) + ":"
                    + Long.parseLong(p[2]);
        } catch (NumberFormatException e) {
            return field;
        }
    }
}
