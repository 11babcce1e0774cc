package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The files of one experiment folder (docs/format.md): {@code store.h5}, the journal
 * {@code .cox.journal}, the checkpoint {@code .cox.checkpoint}, the writer's lock
 * {@code .cox.lock}, and the folders {@code save/}, {@code .table_objects/}, {@code tensorboard/}.
 */
record StoreFiles(Path dir) {
    Path h5() {
        return dir.resolve("store.h5");
    }

    Path journal() {
        return dir.resolve(".cox.journal");
    }

    Path checkpoint() {
        return dir.resolve(".cox.checkpoint");
    }

    Path lock() {
        return dir.resolve(".cox.lock");
    }

    Path save() {
        return dir.resolve("save");
    }

    Path tableObjects() {
        return dir.resolve(".table_objects");
    }

    Path tensorboard() {
        return dir.resolve("tensorboard");
    }

    /** Whether a reader counts this folder as an experiment. */
    boolean exists() {
        return Files.isRegularFile(h5()) || Files.isRegularFile(journal());
    }

    void createFolders() {
        try {
            Files.createDirectories(save());
            Files.createDirectories(tableObjects());
            Files.createDirectories(tensorboard());
        } catch (IOException e) {
            throw new CoxIOException("cannot create the folders of store " + dir + ": " + e, e);
        }
    }

    /** Mode "w": the tables go (store.h5, journal, checkpoint); saved files and objects stay, as in cox. */
    void deleteData() {
        try {
            Files.deleteIfExists(h5());
            Files.deleteIfExists(journal());
            Files.deleteIfExists(checkpoint());
        } catch (IOException e) {
            throw new CoxIOException("cannot start store " + dir + " afresh" + ": " + e, e);
        }
    }

    void deleteJournal() {
        try {
            Files.deleteIfExists(journal());
            Files.deleteIfExists(checkpoint());
        } catch (IOException e) {
            // best effort after a failed first open; the next open adopts store.h5 again
        }
    }

    /**
     * Takes the one-writer lock.
     *
     * @return the held lock; release it by closing its channel
     * @throws StoreLockedException if another writer holds it
     */
    FileLock lockForWriting() {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw locked();
            }
            return l;
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw locked();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CoxIOException("cannot lock store " + dir + " (" + lock() + ")" + ": " + e, e);
        }
    }

    private StoreLockedException locked() {
        return new StoreLockedException("store " + dir + " is open for writing by another writer (lock file "
                + lock() + " is held); open it with Mode.READ to read it meanwhile");
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
}
