package cox.store;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files of one experiment folder (docs/format.md): {@code store.h5}, the journal
 * {@code .cox.journal}, the checkpoint {@code .cox.checkpoint}, the writer's lock
 * {@code .cox.lock}, and the folders {@code save/}, {@code .table_objects/}, {@code tensorboard/}.
 *
 * @param dir the experiment folder
 * @param h5ChunkRows the rows per chunk of a table {@code store.h5} is given, or 0 for the engine's
 *     own choice (the default; only tests choose, to have many chunks in a small store)
 */
record StoreFiles(Path dir, int h5ChunkRows) {
    /** The name of the HDF5 file, {@link #h5()}. */
    static final String H5 = "store.h5";
    /** The name of the journal, {@link #journal()}. */
    static final String JOURNAL = ".cox.journal";
    /** The name of the checkpoint, {@link #checkpoint()}. */
    static final String CHECKPOINT = ".cox.checkpoint";
    /** The name of the writer's lock, {@link #lock()}. */
    static final String LOCK = ".cox.lock";
    /** The name of the folder of object cells, {@link #tableObjects()}. */
    static final String TABLE_OBJECTS = ".table_objects";
    /** What {@link #setAside()} names a store.h5 it moves aside, then {@code -2}, {@code -3}... */
    static final String SET_ASIDE = H5 + ".set-aside";

    /** The files of the store in {@code dir}, {@code store.h5} chunked as the engine chooses. */
    StoreFiles(Path dir) {
        this(dir, 0);
    }

    Path h5() {
        return dir.resolve(H5);
    }

    Path journal() {
        return dir.resolve(JOURNAL);
    }

    Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /** Where a rebuilt store.h5 is written before it replaces store.h5. */
    Path rebuild() {
        return dir.resolve(".store.h5.rebuild");
    }

    /** Where a new journal is written before it is moved into place. */
    Path journalBeingMade() {
        return dir.resolve(".cox.journal.new");
    }

    /**
     * Moves {@code from} to {@code to}, atomically where the file system can.
     *
     * @throws CoxIOException if it cannot be moved
     */
    void moveIntoPlace(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot move " + from + " to " + to + ": " + e, e);
        }
    }

    /** Where the checkpoint is written before it replaces the checkpoint. */
    Path checkpointTmp() {
        return dir.resolve(".cox.checkpoint.tmp");
    }

    Path lock() {
        return dir.resolve(LOCK);
    }

    Path save() {
        return dir.resolve("save");
    }

    Path tableObjects() {
        return dir.resolve(TABLE_OBJECTS);
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

    /**
     * Deletes what a writer killed (or stopped by a full disk) halfway through a rebuild or a
     * checkpoint left behind; the caller holds the lock.
     */
    void deleteLeftovers() {
        deleteQuietly(rebuild());
        deleteQuietly(checkpointTmp());
        deleteQuietly(journalBeingMade());
    }

    /** Deletes {@code file} if it exists; a failure is left for the next writer. */
    void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing depends on it: the next writer tries again
        }
    }

    /**
     * Moves store.h5 out of the way, to {@code store.h5.set-aside} (or {@code store.h5.set-aside-2}
     * and on if that exists), so that a rebuild does not destroy rows only it holds.
     *
     * @return where it went
     * @throws CoxIOException if it cannot be moved
     */
    Path setAside() {
        Path aside = dir.resolve(SET_ASIDE);
        for (int i = 2; Files.exists(aside); i++) {
            aside = dir.resolve(SET_ASIDE + "-" + i);
        }
        try {
            Files.move(h5(), aside);
        } catch (IOException e) {
            throw new CoxIOException("cannot move " + h5() + " aside to " + aside + " before rebuilding it: " + e, e);
        }
        return aside;
    }
}
