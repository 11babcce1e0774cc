package cox.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a run's files look like now, cheaply: size and modification time of {@code store.h5} and
 * of the cox4j journal. A cached summary is reused while the stamp is equal; any write to the
 * store changes it (a cox4j writer appends to the journal on every flushed row; pandas and Python
 * cox rewrite {@code store.h5}). A missing file has size and time -1.
 */
record RunStamp(long h5Size, long h5Modified, long journalSize, long journalModified) {
    static final RunStamp NONE = new RunStamp(-1, -1, -1, -1);

    /**
     * @param runDir an experiment folder
     * @return its stamp now
     */
    static RunStamp of(Path runDir) {
        long[] h5 = sizeAndTime(runDir.resolve("store.h5"));
        long[] journal = sizeAndTime(runDir.resolve(".cox.journal"));
        return new RunStamp(h5[0], h5[1], journal[0], journal[1]);
    }

    /** @return the time of the last write, milliseconds since the epoch, or -1 if neither file exists */
    long lastWriteMillis() {
        return Math.max(h5Modified, journalModified) / 1_000_000;
    }

    private static long[] sizeAndTime(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new long[] {a.size(), nanos};
        } catch (NoSuchFileException e) {
            return new long[] {-1, -1};
        } catch (IOException e) {
            return new long[] {-2, -2};
        }
    }
}
