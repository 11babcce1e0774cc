package cox.hadoop;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;

/** The basic attributes of a Hadoop {@code FileStatus}. Immutable. */
final class HadoopAttributes implements BasicFileAttributes {
    private final FileStatus status;

    HadoopAttributes(FileStatus status) {
        this.status = status;
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(status.getModificationTime(), TimeUnit.MILLISECONDS);
    }

    @Override
    public FileTime lastAccessTime() {
        long t = status.getAccessTime();
        return t > 0 ? FileTime.from(t, TimeUnit.MILLISECONDS) : lastModifiedTime();
    }

    /** @return the modification time: Hadoop keeps no creation time */
    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return status.isFile();
    }

    @Override
    public boolean isDirectory() {
        return status.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
        return status.isSymlink();
    }

    @Override
    public boolean isOther() {
        return !status.isFile() && !status.isDirectory() && !status.isSymlink();
    }

    /** @return the length in bytes; 0 for a folder */
    @Override
    public long size() {
        return status.isDirectory() ? 0 : status.getLen();
    }

    /** @return null: Hadoop has no file key */
    @Override
    public Object fileKey() {
        return null;
    }
}
