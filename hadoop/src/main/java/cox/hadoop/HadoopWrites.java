package cox.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.AccessControlException;

/**
 * The writes of {@link HadoopFileSystemProvider}, through Hadoop's {@code FileSystem}: what
 * {@code cox push} needs to publish a run, nothing more. In a class of its own, loaded on the
 * first write only: the provider is installed whether or not Hadoop's jars are on the class path,
 * and this class names Hadoop's types where the JVM must load them to verify it.
 */
final class HadoopWrites {
    /** The schemes whose {@code rename} is one atomic operation of a name node (HDFS, also over HTTP). */
    private static final Set<String> ATOMIC_RENAME = Set.of("hdfs", "webhdfs", "swebhdfs");

    private HadoopWrites() {
    }

    /** Whether a Hadoop file system renames atomically: HDFS's name node does; object stores copy, then delete. */
    static boolean renamesAtomically(FileSystem hadoop) {
        String scheme = hadoop.getUri().getScheme();
        return scheme != null && ATOMIC_RENAME.contains(scheme.toLowerCase(Locale.ROOT));
    }

    private static FileStatus statusOrNull(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static NoSuchFileException noSuchFile(HadoopPath p, Exception cause) {
        NoSuchFileException n = new NoSuchFileException(p.toUri().toString());
        if (cause != null) {
            n.initCause(cause);
        }
        return n;
    }

    /** Checks that {@code p}'s parent is a folder: Hadoop would make it, java.nio says it must be there. */
    private static void checkParent(FileSystem fs, HadoopPath p) throws IOException {
        HadoopPath parent = (HadoopPath) p.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        FileStatus st = statusOrNull(fs, parent.toHadoopPath());
        if (st == null) {
            throw new NoSuchFileException(p.toUri().toString(), null, "its folder " + parent.toUri() + " does not exist");
        }
        if (!st.isDirectory()) {
            throw new NotDirectoryException(parent.toUri().toString());
        }
    }

    /**
     * Opens {@code p} for writing from its start, as {@code FileSystem.create} does: a file is
     * written whole and sequentially.
     *
     * @param createNew fail if the file exists
     * @param create make the file if it does not exist
     * @param truncate empty the file if it exists
     */
    static OutputStream create(HadoopPath p, boolean createNew, boolean create, boolean truncate) throws IOException {
        FileSystem fs = p.getFileSystem().hadoop();
        Path hp = p.toHadoopPath();
        FileStatus st = statusOrNull(fs, hp);
        if (st != null) {
            if (createNew) {
                throw new FileAlreadyExistsException(p.toUri().toString());
            }
            if (st.isDirectory()) {
                throw new FileSystemException(p.toUri().toString(), null, "is a folder, not a file");
            }
            if (!truncate && st.getLen() > 0) {
                throw new UnsupportedOperationException(p.toUri() + ": a file of a Hadoop file system is written whole,"
                        + " from its start: open it with TRUNCATE_EXISTING or CREATE_NEW");
            }
        } else {
            if (!create && !createNew) {
                throw noSuchFile(p, null);
            }
            checkParent(fs, p);
        }
        try {
            return fs.create(hp, st != null);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            FileAlreadyExistsException f = new FileAlreadyExistsException(p.toUri().toString());
            f.initCause(e);
            throw f;
        } catch (AccessControlException e) {
            throw accessDenied(p, e);
        }
    }

    /** Makes folder {@code dir}, one level: its parent must be there. */
    static void createDirectory(HadoopPath dir) throws IOException {
        FileSystem fs = dir.getFileSystem().hadoop();
        Path hp = dir.toHadoopPath();
        if (statusOrNull(fs, hp) != null) {
            throw new FileAlreadyExistsException(dir.toUri().toString());
        }
        checkParent(fs, dir);
        try {
            if (!fs.mkdirs(hp)) {
                throw new FileSystemException(dir.toUri().toString(), null, "Hadoop did not make the folder");
            }
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException | org.apache.hadoop.fs.ParentNotDirectoryException e) {
            FileAlreadyExistsException f = new FileAlreadyExistsException(dir.toUri().toString());
            f.initCause(e);
            throw f;
        } catch (AccessControlException e) {
            throw accessDenied(dir, e);
        }
    }

    /** Deletes a file or an empty folder. */
    static void delete(HadoopPath p) throws IOException {
        FileSystem fs = p.getFileSystem().hadoop();
        Path hp = p.toHadoopPath();
        FileStatus st = statusOrNull(fs, hp);
        if (st == null) {
            throw noSuchFile(p, null);
        }
        if (st.isDirectory() && hasChildren(fs, hp)) {
            throw new DirectoryNotEmptyException(p.toUri().toString());
        }
        boolean deleted;
        try {
            deleted = fs.delete(hp, false);
        } catch (PathIsNotEmptyDirectoryException e) {
            DirectoryNotEmptyException d = new DirectoryNotEmptyException(p.toUri().toString());
            d.initCause(e);
            throw d;
        } catch (AccessControlException e) {
            throw accessDenied(p, e);
        }
        if (!deleted && fs.exists(hp)) {
            throw new FileSystemException(p.toUri().toString(), null, "Hadoop did not delete it");
        }
    }

    private static boolean hasChildren(FileSystem fs, Path dir) throws IOException {
        RemoteIterator<FileStatus> it = fs.listStatusIterator(dir);
        try {
            return it.hasNext();
        } finally {
            if (it instanceof java.io.Closeable c) {
                c.close();
            }
        }
    }

    /**
     * Moves {@code from} to {@code to} with {@code FileSystem.rename}. On HDFS a replacing move is
     * one rename that replaces the target ({@code Options.Rename.OVERWRITE}); elsewhere the target
     * is deleted first.
     *
     * @param replace replace an existing target (a file or an empty folder)
     * @param atomic the move must be atomic
     * @throws AtomicMoveNotSupportedException if {@code atomic} and the file system renames by copying
     */
    static void move(HadoopPath from, HadoopPath to, boolean replace, boolean atomic) throws IOException {
        FileSystem fs = from.getFileSystem().hadoop();
        if (to.getFileSystem() != from.getFileSystem()) {
            throw new FileSystemException(from.toUri().toString(), to.toUri().toString(),
                    "a move between two Hadoop file systems is not supported");
        }
        if (atomic && !renamesAtomically(fs)) {
            throw new AtomicMoveNotSupportedException(from.toUri().toString(), to.toUri().toString(),
                    fs.getUri().getScheme() + ":// renames by copying, then deleting: not atomically");
        }
        Path src = from.toHadoopPath();
        Path dst = to.toHadoopPath();
        if (statusOrNull(fs, src) == null) {
            throw noSuchFile(from, null);
        }
        if (src.equals(dst)) {
            return;
        }
        FileStatus there = statusOrNull(fs, dst);
        if (there != null) {
            if (!replace) {
                throw new FileAlreadyExistsException(to.toUri().toString());
            }
            if (there.isDirectory() && hasChildren(fs, dst)) {
                throw new DirectoryNotEmptyException(to.toUri().toString());
            }
        } else {
            checkParent(fs, to);
        }
        try {
            if (fs instanceof DistributedFileSystem dfs) {
                dfs.rename(src, dst, replace ? Options.Rename.OVERWRITE : Options.Rename.NONE);
                return;
            }
            if (there != null) {
                delete(to);
            }
            if (!fs.rename(src, dst)) {
                throw new FileSystemException(from.toUri().toString(), to.toUri().toString(), "Hadoop did not rename it");
            }
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            FileAlreadyExistsException f = new FileAlreadyExistsException(to.toUri().toString());
            f.initCause(e);
            throw f;
        } catch (AccessControlException e) {
            throw accessDenied(from, e);
        }
    }

    /** Checks that the user may write {@code p} (Hadoop's permission check of the file system). */
    static void checkWrite(HadoopPath p) throws IOException {
        try {
            p.getFileSystem().hadoop().access(p.toHadoopPath(), FsAction.WRITE);
        } catch (FileNotFoundException e) {
            throw noSuchFile(p, e);
        } catch (AccessControlException e) {
            throw accessDenied(p, e);
        }
    }

    private static AccessDeniedException accessDenied(HadoopPath p, AccessControlException e) {
        AccessDeniedException a = new AccessDeniedException(p.toUri().toString(), null, e.getMessage());
        a.initCause(e);
        return a;
    }
}
