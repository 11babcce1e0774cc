package cox.store;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreLockedException;
import cox.io.PositionalInputs;
import cox.tensorboard.SummaryWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An experiment's store: a folder {@code STORAGE_FOLDER/EXP_ID/} holding schema'd tables in
 * {@code store.h5} (the same file Python cox and pandas read and write), a {@code save/} folder
 * for checkpoints and {@code .table_objects/} for serialized cells. Mirrors Python cox's
 * {@code cox.store.Store}.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("runs"))) {
 *     Table results = store.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
 *     results.appendRow(Map.of("epoch", 0, "loss", 0.5));
 * }
 * }</pre>
 *
 * <p>Beyond cox: a flushed row survives {@code kill -9} (it is journaled before
 * {@code flushRow()} returns); {@code store.h5} is kept within about 200 ms of the journal and
 * rebuilt from it on open if a crash left it behind or damaged; any number of readers
 * ({@link Mode#READ}, {@code pandas.read_hdf}) may open the store while one writer writes; a
 * second writer gets a {@link StoreLockedException}; strings have no length limit.
 *
 * <p>Thread-safe: a store and its tables may be shared between threads.
 */
public final class Store implements AutoCloseable {
    /** Python cox's {@code Store.OBJECT}: a pickled value stored inline. */
    public static final ColumnType OBJECT = ColumnType.OBJECT;
    /** Python cox's {@code Store.PICKLE}: a pickled value in {@code .table_objects/}. */
    public static final ColumnType PICKLE = ColumnType.PICKLE;
    /** Python cox's {@code Store.PYTORCH_STATE}: a state dict in {@code .table_objects/}. */
    public static final ColumnType PYTORCH_STATE = ColumnType.PYTORCH_STATE;

    private final StoreFiles files;
    private final String expId;
    private final Mode mode;
    private final StoreWriter writer;
    private final StoreReader reader;
    private final WriterLock lock;
    private final SummaryWriter tensorboard;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Path publishTo;
    private volatile boolean closed;

    /**
     * Opens a new store with a random experiment id (a UUID4) in {@code storageFolder}, mode "a".
     * Python: {@code Store(storage_folder)}.
     *
     * @param storageFolder the folder that holds experiments
     * @return the open store; close it
     * @throws StoreException if it cannot be created
     */
    public static Store open(Path storageFolder) {
        return builder(storageFolder).build();
    }

    /**
     * Opens (creating if needed) experiment {@code expId} in {@code storageFolder}, mode "a".
     * Python: {@code Store(storage_folder, exp_id)}.
     *
     * @param storageFolder the folder that holds experiments
     * @param expId the experiment's folder name, or null for a random UUID4
     * @return the open store; close it
     * @throws IllegalArgumentException for an experiment id that is not a plain folder name
     * @throws StoreException if it is locked by another writer, or cannot be opened or recovered
     */
    public static Store open(Path storageFolder, String expId) {
        return builder(storageFolder).expId(expId).build();
    }

    /**
     * Opens experiment {@code expId} of {@code storageFolder} in {@code mode}. Python:
     * {@code Store(storage_folder, exp_id, mode=mode)}.
     *
     * @param storageFolder the folder that holds experiments: a local folder, or in
     *     {@link Mode#READ} a folder of any {@code java.nio} file system (HDFS, S3, ...)
     * @param expId the experiment's folder name, or null for a random UUID4
     * @param mode {@link Mode#APPEND} ("a"), {@link Mode#READ} ("r", never writes) or
     *     {@link Mode#WRITE} ("w", starts the tables afresh)
     * @return the open store; close it
     * @throws IllegalArgumentException for an experiment id that is not a plain folder name, or a
     *     writing mode on a folder that is not local (remote runs are read-only)
     * @throws StoreException if it is missing in READ mode, is locked by another writer, or cannot
     *     be opened or recovered
     */
    public static Store open(Path storageFolder, String expId, Mode mode) {
        return builder(storageFolder).expId(expId).mode(mode).build();
    }

    /**
     * A builder for the choices beyond {@link #open(Path, String, Mode)}: a run that must be new
     * (Python's {@code new=True}) and what {@link Table#flushRow()} waits for.
     *
     * <pre>{@code
     * try (Store store = Store.builder(runs).expId("lr-0.1").mustBeNew().durability(Durability.FSYNC).build()) {
     *     ...
     * }
     * }</pre>
     *
     * @param storageFolder the folder that holds experiments
     * @return a new builder: a random experiment id, mode "a", {@link Durability#PROCESS}
     */
    public static Builder builder(Path storageFolder) {
        return new Builder(storageFolder);
    }

    /**
     * How to open a store; {@link #build()} opens it. Python cox's {@code Store(storage_folder,
     * exp_id, new, mode)} arguments, plus cox4j's durability. Not thread-safe.
     */
    public static final class Builder {
        private final Path storageFolder;
        private String expId;
        private boolean mustBeNew;
        private Mode mode = Mode.APPEND;
        private Durability durability = Durability.PROCESS;
        private int h5ChunkRows;
        private Path publishTo;

        private Builder(Path storageFolder) {
            this.storageFolder = Objects.requireNonNull(storageFolder, "storageFolder");
        }

        /**
         * @param expId the experiment's folder name, or null (the default) for a random UUID4
         * @return this builder
         */
        public Builder expId(String expId) {
            this.expId = expId;
            return this;
        }

        /**
         * Demands that the experiment does not exist yet (Python's {@code new=True}).
         *
         * @return this builder
         */
        public Builder mustBeNew() {
            return mustBeNew(true);
        }

        /**
         * @param mustBeNew whether the experiment must not exist yet (Python's {@code new})
         * @return this builder
         */
        public Builder mustBeNew(boolean mustBeNew) {
            this.mustBeNew = mustBeNew;
            return this;
        }

        /**
         * @param mode {@link Mode#APPEND} ("a", the default), {@link Mode#READ} ("r") or
         *     {@link Mode#WRITE} ("w")
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @param durability {@link Durability#PROCESS} (the default) or {@link Durability#FSYNC}
         * @return this builder
         */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Has {@link Store#close()} push the run, once closed, to {@code collection/EXP_ID} as
         * {@link Store#publish(Path, Path, boolean)} does (without {@code replace}): to object
         * storage, HDFS or any folder of a {@code java.nio} file system. Not in Python cox.
         *
         * <pre>{@code
         * try (Store store = Store.builder(Path.of("runs")).publishTo(URI.create("s3://bucket/runs")).build()) {
         *     ...
         * } // closed, then pushed to s3://bucket/runs/EXP_ID
         * }</pre>
         *
         * @param collection the folder the run is pushed into, or null (the default) not to push it
         * @return this builder
         */
        public Builder publishTo(Path collection) {
            this.publishTo = collection;
            return this;
        }

        /**
         * As {@link #publishTo(Path)}, the folder named by a URI ({@code s3://bucket/prefix},
         * {@code hdfs://namenode:8020/runs}, {@code file:///runs}) through the {@code java.nio}
         * file system installed for its scheme ({@link cox.io.Locations#path(URI)}).
         *
         * @param collection the folder the run is pushed into
         * @return this builder
         * @throws IllegalArgumentException naming the URI if no installed file system serves its scheme
         */
        public Builder publishTo(URI collection) {
            this.publishTo = cox.io.Locations.path(Objects.requireNonNull(collection, "collection"));
            return this;
        }

        /**
         * Has every table of {@code store.h5} written in chunks of {@code rows} rows, not the
         * engine's own choice: for tests that want many chunks (index nodes and rows far into the
         * file) in a small store.
         */
        Builder h5ChunkRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("h5ChunkRows must be at least 1: " + rows);
            }
            this.h5ChunkRows = rows;
            return this;
        }

        /**
         * Opens the store.
         *
         * @return the open store; close it
         * @throws IllegalArgumentException for an experiment id that is not a plain folder name,
         *     a writing mode on a storage folder that is not local (remote runs are read-only), or
         *     {@link #publishTo} in READ mode
         * @throws StoreException if the experiment exists and must be new, is missing in READ
         *     mode, is locked by another writer, or cannot be opened or recovered
         */
        public Store build() {
            if (publishTo != null && mode == Mode.READ) {
                throw new IllegalArgumentException("publishTo(" + publishTo + ") pushes a run its store wrote when it is"
                        + " closed: open it for writing (mode a or w), or push it with Store.publish");
            }
            if (publishTo != null && publishTo.getFileSystem() == storageFolder.getFileSystem()
                    && publishTo.toAbsolutePath().normalize().equals(storageFolder.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("publishTo(" + publishTo + ") is the store's own folder: a run is pushed"
                        + " to another one");
            }
            return new Store(storageFolder, expId, mustBeNew, mode, durability, h5ChunkRows, publishTo);
        }
    }

    private Store(Path storageFolder, String expId, boolean isNew, Mode mode, Durability durability, int h5ChunkRows,
            Path publishTo) {
        this.publishTo = publishTo;
        Objects.requireNonNull(storageFolder, "storageFolder");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(durability, "durability");
        this.expId = expId == null ? UUID.randomUUID().toString() : expId;
        checkFileName("experiment id", this.expId);
        this.mode = mode;
        this.files = new StoreFiles(storageFolder.resolve(this.expId).toAbsolutePath().normalize(), h5ChunkRows);
        if (mode != Mode.READ && !PositionalInputs.isLocal(files.dir())) {
            throw new IllegalArgumentException("store " + cox.io.Locations.text(files.dir()) + " is not on a local file system, and remote"
                    + " runs are read-only: open it with Mode.READ (publish a run with cox push)");
        }
        if (isNew && Files.exists(files.dir())) {
            throw new StoreException("experiment " + files.dir() + " exists already, and isNew asks for a new one");
        }
        if (mode == Mode.READ) {
            if (!files.exists()) {
                throw new StoreException("no store at " + cox.io.Locations.text(files.dir()) + ": it has neither store.h5 nor a journal");
            }
            this.writer = null;
            this.lock = null;
            this.reader = new StoreReader(files);
            this.tensorboard = null;
            Map<String, Schema> found;
            try {
                found = reader.tables();
            } catch (CoxException e) {
                reader.close();
                throw e.withContext("cannot read store " + files.dir());
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
            for (Map.Entry<String, Schema> e : found.entrySet()) {
                tables.put(e.getKey(), new Table(this, new TableDefinition(-1, e.getKey(), e.getValue())));
            }
            return;
        }
        try {
            Files.createDirectories(files.dir());
        } catch (IOException e) {
            throw new CoxIOException("cannot create experiment folder " + files.dir() + ": " + e, e);
        }
        this.lock = WriterLock.acquire(files);
        StoreWriter w = null;
        try {
            files.createFolders();
            StoreRecovery.Recovered recovered = StoreRecovery.open(files, durability, mode == Mode.WRITE);
            w = StoreWriter.start(files, recovered.journal(), recovered.view(), lock);
            for (TableDefinition d : w.definitions()) {
                tables.put(d.name(), new Table(this, d));
            }
            this.tensorboard = new SummaryWriter(files.tensorboard());
        } catch (RuntimeException e) {
            if (w != null) {
                w.close();
            }
            releaseLock();
            throw e;
        }
        this.writer = w;
        this.reader = null;
    }

    /**
     * Adds a table. Python: {@code Store.add_table(table_name, schema)}.
     *
     * @param name the table name: non-empty, no {@code /}, {@code \}, control characters, not {@code .} or {@code ..}
     * @param schema its columns
     * @return the new, empty table
     * @throws IllegalArgumentException for an invalid or taken name, or a schema the store cannot
     *     hold (too many columns, names too long for store.h5's attributes; the message names the
     *     limit); nothing is added, and the store goes on as before
     * @throws IllegalStateException if the store is read-only or closed
     */
    public Table addTable(String name, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        checkFileName("table name", name);
        if (name.startsWith(".cox4j_")) {
            throw new IllegalArgumentException("table names starting with .cox4j_ are cox4j's own: got '" + name + "'");
        }
        synchronized (tables) {
            checkWritable("add table '" + name + "'");
            if (tables.containsKey(name)) {
                throw new IllegalArgumentException("store " + cox.io.Locations.text(files.dir()) + " has a table '" + name + "' already");
            }
            if (schema.isEmpty()) {
                throw new IllegalArgumentException("table '" + name + "' needs at least one column");
            }
            if (tables.size() >= FrameTableLimits.MAX_TABLES) {
                throw new IllegalArgumentException("store " + cox.io.Locations.text(files.dir()) + " has " + tables.size() + " tables, the most"
                        + " a store can have (the journal numbers them with 16 bits): cannot add table '" + name + "'");
            }
            if (FrameTableLimits.enforced) {
                FrameTableLimits.check("store " + files.dir(), name, schema);
            }
            Table t = new Table(this, writer.define(name, schema));
            tables.put(name, t);
            return t;
        }
    }

    /**
     * Adds a table with the columns of {@code schema}, in the map's iteration order.
     *
     * @param name the table name
     * @param schema column names to types
     * @return the new table
     */
    public Table addTable(String name, Map<String, ColumnType> schema) {
        return addTable(name, Schema.copyOf(schema));
    }

    /**
     * Adds a table whose schema is inferred from an example row (see {@link Schema#fromExample(Map)}).
     * Python: {@code Store.add_table_like_example(table_name, example)}.
     *
     * @param name the table name
     * @param example column names to example values
     * @return the new table
     */
    public Table addTableLikeExample(String name, Map<String, ?> example) {
        return addTable(name, Schema.fromExample(example));
    }

    /**
     * As {@link #addTableLikeExample(String, Map)}, storing non-scalar values as {@code alternative}.
     * Python: {@code Store.add_table_like_example(table_name, example, alternative)}.
     *
     * @param name the table name
     * @param example column names to example values
     * @param alternative OBJECT, PICKLE or PYTORCH_STATE
     * @return the new table
     */
    public Table addTableLikeExample(String name, Map<String, ?> example, ColumnType alternative) {
        return addTable(name, Schema.fromExample(example, alternative));
    }

    /**
     * The table named {@code name}. Python: {@code Store.get_table(table_id)} and {@code store[table_id]}.
     *
     * @param name a table name
     * @return the table
     * @throws IllegalArgumentException if there is no such table
     */
    public Table table(String name) {
        synchronized (tables) {
            Table t = tables.get(name);
            if (t == null) {
                throw new IllegalArgumentException("store " + cox.io.Locations.text(files.dir()) + " has no table '" + name + "': its tables are "
                        + tables.keySet());
            }
            return t;
        }
    }

    /**
     * Same as {@link #table(String)}. Python: {@code Store.get_table(table_id)}.
     *
     * @param name a table name
     * @return the table
     */
    public Table getTable(String name) {
        return table(name);
    }

    /**
     * @return the names of the tables, in the order they were added. Python: {@code store.keys()}.
     */
    public Set<String> keys() {
        synchronized (tables) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(tables.keySet()));
        }
    }

    /** @return the experiment id, the store folder's name. Python: {@code Store.exp_id}. */
    public String expId() {
        return expId;
    }

    /** @return the experiment folder {@code STORAGE_FOLDER/EXP_ID}. Python: {@code Store.path}. */
    public Path path() {
        return files.dir();
    }

    /** @return the folder for the user's own files, {@code EXP/save}. Python: {@code Store.save_dir}. */
    public Path saveDir() {
        return files.save();
    }

    /**
     * The store's TensorBoard writer, logging into {@code EXP/tensorboard/}. Python: {@code Store.tensorboard}.
     *
     * @return the writer, closed with the store
     * @throws IllegalStateException in READ mode (no writer is made) or after close
     */
    public SummaryWriter tensorboard() {
        if (tensorboard == null) {
            throw new IllegalStateException("store " + cox.io.Locations.text(files.dir()) + " is open read-only (mode r): it has no TensorBoard writer");
        }
        checkOpen();
        return tensorboard;
    }

    /**
     * Stages {@code values} in table {@code tableName} (see {@link Table#updateRow}) and logs each to
     * TensorBoard as a scalar, tag {@code TABLE/COLUMN}, step the table's {@link Table#nrows()}; the
     * caller flushes the row. Python: {@code Store.log_table_and_tb(table_name, update_dict)}.
     *
     * @param tableName the table
     * @param values column names to values
     */
    public void logTableAndTb(String tableName, Map<String, ?> values) {
        logTableAndTb(tableName, values, "scalar");
    }

    /**
     * As {@link #logTableAndTb(String, Map)} with a TensorBoard summary type: {@code "scalar"}
     * (a Number or Boolean), {@code "histogram"} (a double[], float[], long[], int[] or a
     * collection of Numbers) or {@code "text"} (any value, as its string). Python:
     * {@code Store.log_table_and_tb(table_name, update_dict, summary_type)}.
     *
     * @param tableName the table
     * @param values column names to values
     * @param summaryType "scalar", "histogram" or "text"
     * @throws IllegalArgumentException for an unknown summary type or a value it cannot show; the
     *     row is then not staged
     */
    public void logTableAndTb(String tableName, Map<String, ?> values, String summaryType) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(summaryType, "summaryType");
        Table t = table(tableName);
        SummaryWriter tb = tensorboard();
        if (!summaryType.equals("scalar") && !summaryType.equals("histogram") && !summaryType.equals("text")) {
            throw new IllegalArgumentException("summary type must be \"scalar\", \"histogram\" or \"text\": got \""
                    + summaryType + "\"");
        }
        synchronized (t) {
            long step = t.nrows();
            Map<String, Object> summaries = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : values.entrySet()) {
                summaries.put(e.getKey(), TensorBoardValues.convert(summaryType, e.getValue(), tableName, e.getKey()));
            }
            t.updateRow(values);
            for (Map.Entry<String, Object> e : summaries.entrySet()) {
                String tag = tableName + "/" + e.getKey();
                Object v = e.getValue();
                if (v instanceof double[] hist) {
                    tb.addHistogram(tag, hist, step);
                } else if (v instanceof String text) {
                    tb.addText(tag, text, step);
                } else {
                    tb.addScalar(tag, (Double) v, step);
                }
            }
        }
    }

    /**
     * Checks an experiment id as opening a store does: a plain folder name, not empty, without
     * control characters, lone surrogates, {@code /} or {@code \}, not {@code .} or {@code ..}.
     * For readers that answer from a run's files without opening its store (the run index), so
     * that they refuse the same folders. Not in Python cox.
     *
     * @param expId an experiment id
     * @throws IllegalArgumentException naming the id and what is wrong with it
     */
    public static void checkExpId(String expId) {
        checkFileName("experiment id", expId);
    }

    /**
     * Whether {@code folder} holds a store: a {@code store.h5} (Python cox's, pandas', or ours) or
     * a cox4j journal (a store whose tables have not reached {@code store.h5} yet). This is what
     * a {@link cox.readers.CollectionReader} counts as an experiment.
     *
     * @param folder an experiment folder, {@code STORAGE_FOLDER/EXP_ID}
     * @return true if it holds a store
     */
    public static boolean isExperiment(Path folder) {
        return new StoreFiles(folder).exists();
    }

    /**
     * Whether a writer on this machine holds the store in {@code folder} open now (its lock file
     * {@code .cox.lock} is locked): the run is still going. A writer on another machine sharing
     * the folder over a network file system is not seen; Python cox takes no lock, so its
     * writers are not seen either. On Linux the check reads {@code /proc/locks} and disturbs no
     * one; elsewhere it takes a shared lock and releases it at once. Not in Python cox.
     *
     * @param folder an experiment folder, {@code STORAGE_FOLDER/EXP_ID}
     * @return true if a cox4j writer holds it
     * @throws cox.exceptions.CoxIOException if the lock file exists but cannot be checked
     */
    public static boolean isOpenForWriting(Path folder) {
        return WriterProbe.isLocked(new StoreFiles(folder));
    }

    /**
     * {@link #isOpenForWriting} for many folders at once, as {@code cox ls} lists runs: the
     * system's lock table is read once, when this is called (on Linux, {@code /proc/locks}), and
     * each folder's lock file is then looked up in it. A writer that opens a store after this call
     * may not be seen. Not in Python cox.
     *
     * @return a test of experiment folders
     */
    public static java.util.function.Predicate<Path> openForWritingProbe() {
        java.util.function.Predicate<StoreFiles> locked = WriterProbe.lockedSnapshot();
        return folder -> locked.test(new StoreFiles(folder));
    }

    /**
     * Whether the store in {@code folder} is a cox4j store (it has a journal {@code .cox.journal}),
     * as opposed to one only Python cox or pandas wrote. Not in Python cox.
     *
     * @param folder an experiment folder, {@code STORAGE_FOLDER/EXP_ID}
     * @return true if it has a cox4j journal
     */
    public static boolean hasJournal(Path folder) {
        return Files.isRegularFile(new StoreFiles(folder).journal());
    }

    /**
     * Whether the last cox4j writer of the store in {@code folder} closed it cleanly
     * ({@link #close()} completed after its final flush), and nothing was written to it since:
     * its checkpoint is marked closed and no journal record follows it. False for a store a writer
     * was killed on (or crashed, or lost power), one that a writer has open (it clears the mark
     * when it opens the store), and one without a journal. A store last closed by a cox4j that
     * did not mark a clean close (checkpoint format 1 or 2) counts as closed when its consistent
     * checkpoint covers the whole journal. Does not look at the lock: check
     * {@link #isOpenForWriting} first. Not in Python cox.
     *
     * @param folder an experiment folder, {@code STORAGE_FOLDER/EXP_ID}
     * @return true if it was closed cleanly
     * @throws cox.exceptions.CoxIOException if its files exist but cannot be read
     */
    public static boolean isClosedCleanly(Path folder) {
        return WriterProbe.closedCleanly(new StoreFiles(folder));
    }

    /**
     * When the store in {@code folder} last changed: the latest modification time of
     * {@code store.h5}, the journal and the checkpoint, read without opening the store. Not in
     * Python cox.
     *
     * @param folder an experiment folder, {@code STORAGE_FOLDER/EXP_ID}
     * @return the time of the last write
     * @throws cox.exceptions.CoxIOException if the folder holds no store, or the times cannot be read
     */
    public static java.time.Instant lastWriteTime(Path folder) {
        return WriterProbe.lastWrite(new StoreFiles(folder));
    }

    /**
     * Pushes a closed run to {@code collection/EXP_ID} as {@link #publish(Path, Path, boolean)}
     * does, without replacing another run there.
     *
     * @param runDir the run's folder, {@code STORAGE_FOLDER/EXP_ID}
     * @param collection the folder to push it into, on any {@code java.nio} file system
     * @return what was copied
     */
    public static Publication publish(Path runDir, Path collection) {
        return publish(runDir, collection, false);
    }

    /**
     * Pushes (publishes) a closed run: copies its folder {@code runDir} to
     * {@code collection/EXP_ID}, on any {@code java.nio} file system whose provider writes (a local
     * or shared folder, S3 through aws-java-nio-spi-for-s3, an in-memory one), through
     * {@code Files} only, so that a reader of {@code collection} never takes a half-copied run for a
     * run, and a push that was interrupted (a crash, a lost connection) is completed or replaced by
     * the next one, never read. {@code cox push RUN_DIR URI} calls it. Not in Python cox.
     *
     * <p><b>Which runs.</b> Only a closed one: a run a writer holds ({@link #isOpenForWriting}) is
     * refused, and so is a cox4j run that was not closed cleanly ({@link #isClosedCleanly}: its
     * {@code store.h5} may be behind its journal; opening it for writing once and closing it brings
     * store.h5 up to date). A store without a journal (Python cox's, pandas') carries no mark of a
     * clean close and its writers take no lock: it is refused if its files changed within the last
     * two minutes ({@code cox ls} calls it {@code active}).
     *
     * <p><b>Which files.</b> Every regular file of the folder, with its sub-folders ({@code save/},
     * {@code tensorboard/}, {@code .table_objects/}, the journal and checkpoint), but the writer's
     * lock {@code .cox.lock}, the writers' temporary files, and the run summary {@code .cox.summary},
     * which is written afresh at the target so that it describes the target's files (readers use a
     * summary only while it matches {@code store.h5}'s size and modification time).
     *
     * <p><b>In what order.</b> A folder is a run to a reader once it holds {@code store.h5} or a
     * journal ({@link #isExperiment}). The push first deletes what it will not keep at the target
     * (a replaced run's files, leftovers, files it copies again), then writes its manifest
     * {@code .cox.push} (the run's files, their sizes and SHA-256 digests), then every other file
     * straight to its name, then {@code store.h5}, the checkpoint and the journal each under a
     * temporary name ({@code .NAME.cox-push-tmp}); every file is checked against the digest taken
     * before (a run that changed meanwhile fails the push). It checks again that no writer holds the
     * run and that it is closed cleanly (a writer may have opened it meanwhile), and moves them into place:
     * <b>{@code store.h5} first</b>, atomically where the file system renames (local, HDFS, in-memory;
     * on S3 a move is a server-side copy, and an object appears whole or not at all). From then on
     * the folder is a complete run: until the journal follows, a reader answers from store.h5 alone,
     * which a clean close made exact (a table without rows may be missing from it meanwhile). Then
     * the checkpoint, the journal, and the summary. A reader therefore sees no run, or the whole of
     * this one.
     *
     * <p><b>Again.</b> Pushing a run already at the target, unchanged, writes nothing
     * ({@link Publication.Outcome#UNCHANGED}). A push of the same state of the run (its store files'
     * digests are those of the target's manifest, or, without one, of the target's files) that was
     * interrupted is completed: files already there with the size and, in the target's manifest, the
     * SHA-256 of the run's are kept, the others copied, leftovers deleted
     * ({@link Publication.Outcome#RESUMED}). An interrupted push of another state of the run that
     * stopped before it placed {@code store.h5} left no readable run and is replaced without asking;
     * one that placed it left a readable run, which is another run (below). A target holding another
     * run with this experiment id (or files no push left) is refused unless {@code replace}: then the
     * old run is first made no run (its summary, journal, checkpoint and store.h5 deleted), then
     * every other file of it is deleted, and only then is the new run written.
     *
     * @param runDir the run's folder, {@code STORAGE_FOLDER/EXP_ID}
     * @param collection the folder to push it into: it lands at {@code collection/EXP_ID}
     * @param replace whether a different run at the target is replaced (else refused)
     * @return what was done and copied
     * @throws IllegalArgumentException if {@code runDir} holds no run, or is the target itself
     * @throws StoreLockedException if a writer holds the run
     * @throws StoreException if the run is not closed, the target holds another run (without
     *     {@code replace}), or the run changed while it was pushed; the message names the run
     * @throws CoxIOException if a file cannot be read or written (a read-only target included)
     */
    public static Publication publish(Path runDir, Path collection, boolean replace) {
        return new RunPublisher(RunPublisher.FILES, java.time.Clock.systemUTC()).publish(runDir, collection, replace);
    }

    /** @return the mode the store was opened in */
    public Mode mode() {
        return mode;
    }

    /**
     * Makes {@code store.h5} hold every flushed row and forces the journal, checkpoint and
     * {@code store.h5} to the storage device (fsync), so flushed rows survive a power loss. No-op
     * in READ mode. Another program opening {@code store.h5} (pandas) sees those rows at once if
     * it is small (under 4 MiB), else within about 1 to 3 s (docs/live-reads.md); {@link #close()}
     * makes it exact. This method does not wait for that.
     */
    public void sync() {
        if (mode == Mode.READ) {
            return;
        }
        checkOpen();
        writer.sync();
        tensorboard.flush();
    }

    /**
     * Makes {@code store.h5} exact, closes it and releases the writer's lock; idempotent. With
     * {@link Builder#publishTo}, then pushes the closed run there ({@link #publish(Path, Path)}).
     * Python: {@code Store.close()}.
     *
     * @throws StoreException if {@code store.h5} does not hold every flushed row (every row is in
     *     the journal, and the next writer rebuilds store.h5), or a file cannot be closed; the store
     *     is closed all the same, and not pushed. An error of the TensorBoard writer comes after the
     *     store's own, as a suppressed exception. If the push fails, its exception (a
     *     {@link CoxException}, saying the store is closed but not pushed) comes after the store is
     *     closed; {@code cox push} pushes it later. A thread that is interrupted closes the store's
     *     files all the same (then pushes, as interruptible as the target's I/O), and is still
     *     interrupted afterwards.
     */
    @Override
    public void close() {
        synchronized (tables) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // the files are closed through interruptible channels, which an interrupted thread (a
        // cancelled training task) would close unwritten: close with the flag clear, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            closeFiles();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (publishTo != null) { // (a push an interrupt stops is pushed again later by cox push)
            String notPushed = "store " + files.dir() + " is closed, but was not pushed to " + cox.io.Locations.text(publishTo);
            try {
                publish(files.dir(), publishTo);
            } catch (CoxException e) {
                throw e.withContext(notPushed);
            } catch (RuntimeException e) {
                throw new StoreException(notPushed + ": " + e.getMessage(), e);
            }
        }
    }

    private void closeFiles() {
        RuntimeException failure = null;
        if (writer != null) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (tensorboard != null) {
            try {
                tensorboard.close();
            } catch (RuntimeException e) {
                failure = StoreWriter.addTo(failure, e);
            }
        }
        if (reader != null) {
            reader.close();
        }
        try {
            releaseLock();
        } catch (RuntimeException e) {
            failure = StoreWriter.addTo(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The store's path, then each table with its first rows. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Store ").append(files.dir()).append(" (mode ").append(mode.letter())
                .append(closed ? ", closed" : "").append(")");
        if (!closed) {
            for (String name : keys()) {
                sb.append("\n").append(table(name));
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ for Table

    void checkWritable(String action) {
        if (mode == Mode.READ) {
            throw new IllegalStateException("cannot " + action + ": store " + cox.io.Locations.text(files.dir()) + " is open read-only (mode r)");
        }
        checkOpen();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store " + cox.io.Locations.text(files.dir()) + " is closed");
        }
    }

    StoreWriter writer() {
        return writer;
    }

    Object toCell(Table table, ColumnType type, Object value, String column) {
        String where = "table '" + table.name() + "' of store " + files.dir();
        if (type.isObject()) {
            return ObjectCells.toCell(type, value, files.tableObjects(), where, column);
        }
        return CellValues.normalize(type, value, where, column);
    }

    Path objectDir() {
        return files.tableObjects();
    }

    long rowCount(Table table) {
        checkOpen();
        if (writer != null) {
            return writer.rows(table.id());
        }
        try {
            return reader.count(table.name(), table.schema());
        } catch (CoxException e) {
            throw e.withContext("cannot count the rows of table '" + table.name() + "' of store " + files.dir());
        }
    }

    Columns readColumns(Table table) {
        checkOpen();
        if (writer != null) {
            return writer.read(new TableDefinition(table.id(), table.name(), table.schema()));
        }
        try {
            return reader.read(table.name(), table.schema());
        } catch (CoxException e) {
            throw e.withContext("cannot read table '" + table.name() + "' of store " + files.dir());
        }
    }

    private void releaseLock() {
        if (lock != null) {
            lock.release();
        }
    }

    static void checkFileName(String what, String name) {
        Schema.checkName(what, name);
        if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(what + " must be a plain folder name (no '/', '\\', '.' or '..'): got '"
                    + name + "'");
        }
    }
}
