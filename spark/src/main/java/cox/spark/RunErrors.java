package cox.spark;

import cox.exceptions.CoxIOException;
import cox.readers.CollectionReader;
import cox.readers.ReadError;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.zip.ZipException;

/**
 * What option {@code skipErrors} may skip. A run is skipped when its store itself cannot be read:
 * a file of it is damaged, truncated or missing ({@code StoreFormatException},
 * {@code StoreRecoveryException}, an unpickling error ...), or reading it is denied. A failure of
 * the storage (a throttled request, a dead data node, a lost connection, an interrupted read) is
 * never skipped, on any file system: it fails the task, so Spark retries it, rather than leave
 * out a run that a second attempt would read.
 */
final class RunErrors {
    /** How deep a chain of causes is followed. */
    private static final int MAX_DEPTH = 32;

    private RunErrors() {
    }

    /**
     * Whether {@code e} is a failure of the storage rather than of the store's content: the first
     * {@link IOException} among its causes (itself included) is not one that says a file is
     * truncated, missing, not a folder, malformed or not readable by us; or, without any, it is a
     * {@link CoxIOException}.
     *
     * @param e what reading a run threw
     * @return true if it must not be skipped
     */
    static boolean isStorageFailure(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof IOException io && !(t instanceof UncheckedIOException)) {
                return !isAboutContent(io);
            }
        }
        return e instanceof CoxIOException;
    }

    /** Whether an I/O exception says something of the files themselves, which reading again would not change. */
    private static boolean isAboutContent(IOException e) {
        return e instanceof EOFException || e instanceof FileNotFoundException || e instanceof NoSuchFileException
                || e instanceof NotDirectoryException || e instanceof AccessDeniedException
                || e instanceof ZipException || e instanceof CharacterCodingException
                // Hadoop's permission error (org.apache.hadoop.security.AccessControlException and subclasses)
                || e.getClass().getName().endsWith("AccessControlException");
    }

    /**
     * Fails with the first run {@code reader} skipped for a failure of the storage: a reader built
     * with {@code skipErrors} leaves out every run it cannot read.
     *
     * @param reader a reader that has read
     * @throws cox.exceptions.CoxException the first such run's error
     */
    static void rethrowStorageFailures(CollectionReader reader) {
        for (ReadError e : reader.errors()) {
            if (isStorageFailure(e.error())) {
                throw e.error();
            }
        }
    }
}
