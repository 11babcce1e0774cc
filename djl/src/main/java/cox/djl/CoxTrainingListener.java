package cox.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import cox.exceptions.CoxException;
import cox.exceptions.StoreException;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.tensorboard.SummaryWriter;
import cox.torch.StateDict;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a Deep Java Library training run into a cox {@link Store}: add it to the training config
 * as DJL's own listeners are, with {@code config.addTrainingListeners(new CoxTrainingListener(store))}.
 * It writes these tables (Python cox reads them as any run's; DJL's names are kept):
 *
 * <dl>
 * <dt>{@code metadata}, one row</dt>
 * <dd>{@code model} (the model's name), {@code block} (DJL's outline of the block), {@code
 * parameter_count} (elements in the parameters, as torch's
 * {@code sum(p.numel() for p in model.parameters())}: a {@code BatchNorm}'s running statistics
 * are not counted, frozen parameters are), {@code data_type}, {@code engine}, {@code
 * engine_version}, {@code djl_version}, {@code devices} (comma-separated, as DJL prints them:
 * {@code cpu()}), {@code loss} (the loss's DJL name, e.g. {@code L2Loss}) and its settings
 * ({@code loss.weight}), {@code evaluators} (the other evaluators' names, comma-separated),
 * {@code optimizer} (its class, e.g. {@code Sgd}) and its settings ({@code optimizer.clipGrad},
 * {@code optimizer.weightDecays}, {@code optimizer.momentum}, {@code optimizer.learningRateTracker}
 * (the tracker's class), {@code optimizer.learningRateTracker.value}, ...), {@code batch_size},
 * then every {@link #param} in the order given. The settings are read from DJL's private fields,
 * since DJL has no getters for them (see below); a float setting is its shortest decimal, so
 * {@code 0.1f} is logged as {@code 0.1}. Integers are {@code INT}, decimals {@code FLOAT}, flags
 * {@code BOOL}, everything else {@code STR}. The row is written on the first training batch: DJL
 * only knows the batch size and the parameters' shapes by then (without any batch, at the first
 * epoch's end, without {@code batch_size}). A trainer closed without any batch or epoch writes
 * nothing at all.</dd>
 * <dt>{@code results}, one row per epoch</dt>
 * <dd>{@code epoch} (1-based: epochs finished, as {@code TrainingResult.getEpoch()}), {@code
 * train_loss}, {@code validate_loss}, then {@code train_NAME} and {@code validate_NAME} for each
 * other evaluator, named as DJL's {@code TrainingResult.getEvaluations()} names them ({@code
 * train_Accuracy}); the loss appears once, as {@code train_loss}/{@code validate_loss}, not also
 * under its own name. The values are DJL's, exactly (each float widened to a double). {@code
 * validate_*} columns exist if the first epoch had validation batches (a later epoch without
 * them logs NaN, as DJL does). Last, {@code epoch_time}: the epoch's wall time in seconds, from
 * the end of this listener's work for the previous epoch (the first from training begin) to the
 * start of its work for this one: the epoch as DJL's {@code EpochTrainingListener} measures it,
 * without the listener's own row, checkpoint and sync. The values come from DJL's {@code
 * EvaluatorTrainingListener} (part of every {@code TrainingListener.Defaults} set), whether it
 * was added before or after this listener; without it, DJL computes no metrics, and the rows hold
 * {@code epoch} and {@code epoch_time} only.</dd>
 * <dt>{@code batches}, with {@link #logBatchesEvery}(n)</dt>
 * <dd>every n-th training batch: {@code epoch} (the epoch it belongs to, 1-based), {@code batch}
 * (1-based, counted over the whole run), {@code train_loss} and {@code train_NAME} of that batch
 * alone, computed by each DJL evaluator on the batch's labels and predictions.</dd>
 * <dt>{@code checkpoints}</dt>
 * <dd>{@code epoch}, {@code complete} and {@code state_dict}, a {@code PYTORCH_STATE} cell: the
 * model's parameters as {@code torch.load(f, weights_only=True)} reads them, named as
 * {@link ParameterNames#TORCH} describes unless {@link #parameterNames} says otherwise. Written
 * on training end and, with {@link #saveParametersEvery}(k), after every k-th epoch (training end
 * then adds no second row for the same weights). {@code complete} true: the weights at the end
 * of epoch {@code epoch}. False: saved on training end in the middle of an epoch, after
 * {@code epoch} complete epochs, because the training threw or was stopped (DJL's
 * {@code Trainer.close()} calls {@link #onTrainingEnd} either way). The weights are read from
 * the parameters' arrays on the model's device; if that is not one of the trainer's devices (a
 * model on the CPU trained on a GPU), DJL copies the trained values back to it only in {@code
 * ParameterStore.sync()}, which {@code Trainer.close()} calls after {@link #onTrainingEnd}, so
 * every checkpoint holds stale weights: keep the model on the training device.</dd>
 * </dl>
 *
 * <p>Each {@code results} and {@code batches} value is also a TensorBoard scalar in the store's
 * {@link Store#tensorboard()} log, tag {@code TABLE/COLUMN} ({@code results/train_loss}), step the
 * row's {@code epoch} (1-based) in {@code results} and its {@code batch} (1-based, over the run)
 * in {@code batches}, as DJL counts them. This differs from {@link Store#logTableAndTb}, whose
 * step is the table's row count before the row (0-based, and for {@code batches} not the batch
 * number). Each row is in the store's journal once logged, and after each epoch
 * and on training end the store is {@link Store#sync() synced} (unless {@link #syncEachEpoch}
 * says otherwise): a crash, even of the machine, loses at most the epoch in progress.
 *
 * <p>The store belongs to the caller, who opened it and closes it, after the trainer (DJL calls
 * {@link #onTrainingEnd} from {@code Trainer.close()}); the listener never closes it. One store is
 * one run, and one listener logs one training: a store whose {@code metadata} table has a row
 * already, or a listener that has seen a training, is refused with an
 * {@link IllegalStateException} when the trainer is made ({@link #onTrainingBegin}); {@code
 * Store.open(dir)} makes a new run for each training. If the store has a table of these names
 * without a run in it, the listener appends to it when its columns are the ones it would write,
 * and refuses it otherwise.
 *
 * <p>DJL keeps the optimizer, its learning-rate tracker's settings and the loss's settings in
 * private fields with no getter, and {@code Trainer} does not expose the optimizer: the listener
 * reads them by reflection (tested with DJL 0.36.0), so a field that a later DJL renames is
 * logged under its new name, and one the JVM does not let it read is left out. If it finds no
 * optimizer, {@code optimizer} is {@code unknown} and a WARNING names the DJL version.
 *
 * <p>Errors: a value a table cannot hold, or an existing table with other columns, is a
 * {@link StoreException} (or the {@link CoxException} the store raised) naming the store, table
 * and column; it propagates out of DJL's training loop and stops the training, and the listener
 * then writes nothing more. On training end nothing is thrown: DJL calls {@link #onTrainingEnd}
 * from {@code Trainer.close()}, which must go on to free the trainer, so a save or sync that
 * fails there is logged as a WARNING (SLF4J) and kept as the {@link #failure()}.
 *
 * <p>Not thread-safe: DJL calls a listener from its training thread. Configure it (the fluent
 * methods) before the training begins.
 */
public final class CoxTrainingListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(CoxTrainingListener.class);
    /** The table of the run's settings, one row. */
    public static final String METADATA = "metadata";
    /** The table of per-epoch metrics. */
    public static final String RESULTS = "results";
    /** The table of per-batch metrics, with {@link #logBatchesEvery}. */
    public static final String BATCHES = "batches";
    /** The table of saved parameters. */
    public static final String CHECKPOINTS = "checkpoints";

    /** The {@code optimizer} value when the trainer's optimizer cannot be found. */
    private static final String UNKNOWN = "unknown";
    /** This listener's own accumulator in DJL's evaluators, for the value of one batch. */
    private static final String BATCH_ACCUMULATOR = "cox/batch";

    private final Store store;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private int batchesEvery;
    private int saveEvery;
    private boolean syncEachEpoch = true;
    private ParameterNames parameterNames = ParameterNames.TORCH;
    private UnaryOperator<String> rename = UnaryOperator.identity();
    private LongSupplier nanoTime = System::nanoTime;

    private boolean begun;
    private boolean ended;
    private Map<String, Object> settings;
    private boolean metadataWritten;
    /** One of this listener's callbacks threw: onTrainingEnd writes nothing more. */
    private boolean failed;
    private String failure;
    /** A training batch ran since the last epoch's end: the weights are no epoch's. */
    private boolean midEpoch;
    private EvaluatorTrainingListener evaluatorListener;
    private boolean evaluatorListenerFirst;
    private long epochStart;
    private int epoch;
    private long batch;
    private int validationBatches;
    private Boolean withValidation;
    private int savedEpoch = -1;
    private Table results;
    private Table batches;
    private Table checkpoints;

    /**
     * A listener that logs into {@code store}, which stays open until its owner closes it.
     *
     * @param store an open, writable store
     */
    public CoxTrainingListener(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Adds a value of the user's to the {@code metadata} row (as Python cox users put
     * hyperparameters there): {@code .param("seed", 7).param("dataset", "synthetic")}. A name that
     * the listener writes itself ({@code batch_size}, {@code optimizer}, ...) replaces its value.
     *
     * @param name the column name
     * @param value an integer ({@code INT}), a float or double ({@code FLOAT}; a float as its
     *     shortest decimal), a boolean ({@code BOOL}), a String, character or enum constant
     *     ({@code STR})
     * @return this listener
     * @throws IllegalArgumentException for an empty name, or a value of another type (the message
     *     names the parameter and the type)
     * @throws IllegalStateException once the training has begun
     */
    public CoxTrainingListener param(String name, Object value) {
        Objects.requireNonNull(name, "name");
        checkNotBegun("param");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("param name must not be empty");
        }
        Object simple = value instanceof CharSequence cs ? cs.toString() : DjlSettings.simpleValue(value);
        if (simple == null || value instanceof int[] || value instanceof long[] || value instanceof float[]
                || value instanceof double[]) {
            throw new IllegalArgumentException("param '" + name + "': a metadata column holds an integer, float, double,"
                    + " boolean, String, character or enum constant, got " + (value == null ? "null"
                            : value.getClass().getName() + " " + value));
        }
        params.put(name, simple);
        return this;
    }

    /**
     * Logs every {@code n}-th training batch to table {@code batches} (and TensorBoard); 0, the
     * default, logs none. Each logged batch costs one evaluation of each DJL evaluator on it.
     *
     * @param n batches between two logged ones, at least 0
     * @return this listener
     */
    public CoxTrainingListener logBatchesEvery(int n) {
        checkNotBegun("logBatchesEvery");
        if (n < 0) {
            throw new IllegalArgumentException("logBatchesEvery: n < 0: " + n);
        }
        batchesEvery = n;
        return this;
    }

    /**
     * Also saves the parameters to table {@code checkpoints} after every {@code k}-th epoch; 0,
     * the default, saves them on training end only.
     *
     * @param k epochs between two saves, at least 0
     * @return this listener
     */
    public CoxTrainingListener saveParametersEvery(int k) {
        checkNotBegun("saveParametersEvery");
        if (k < 0) {
            throw new IllegalArgumentException("saveParametersEvery: k < 0: " + k);
        }
        saveEvery = k;
        return this;
    }

    /**
     * Whether to {@link Store#sync() sync} the store after each epoch (the default) and on
     * training end. Every row is in the store's journal when it is logged, so a crash of the
     * process loses nothing logged either way; syncing also survives a crash of the machine and
     * makes {@code store.h5} exact for readers at once, for an fsync per epoch (a few milliseconds,
     * see {@code DjlListenerBench}). Without it, each epoch flushes the TensorBoard log only.
     *
     * @param sync false to leave the store's durability to the store (its {@code Durability})
     * @return this listener
     */
    public CoxTrainingListener syncEachEpoch(boolean sync) {
        checkNotBegun("syncEachEpoch");
        syncEachEpoch = sync;
        return this;
    }

    /**
     * How the saved state dicts name the parameters: {@link ParameterNames#TORCH} (the default)
     * or {@link ParameterNames#DJL}.
     *
     * @param style the naming
     * @return this listener
     */
    public CoxTrainingListener parameterNames(ParameterNames style) {
        return parameterNames(style, UnaryOperator.identity());
    }

    /**
     * As {@link #parameterNames(ParameterNames)}, then {@code rename} applied to each name, e.g.
     * {@code name -> "model." + name} for a torch module that holds the network as its
     * {@code model} attribute.
     *
     * @param style the naming
     * @param rename from the {@code style} name to the saved key; must give distinct, non-empty keys
     * @return this listener
     */
    public CoxTrainingListener parameterNames(ParameterNames style, UnaryOperator<String> rename) {
        checkNotBegun("parameterNames");
        this.parameterNames = Objects.requireNonNull(style, "style");
        this.rename = Objects.requireNonNull(rename, "rename");
        return this;
    }

    /** The clock of {@code epoch_time}, for tests. */
    CoxTrainingListener nanoTime(LongSupplier clock) {
        this.nanoTime = Objects.requireNonNull(clock, "clock");
        return this;
    }

    private void checkNotBegun(String method) {
        if (begun) {
            throw new IllegalStateException(method + ": the training has begun; configure the listener before it");
        }
    }

    /**
     * Reads the run's settings; nothing is written yet (see the class comment). DJL calls it from
     * the {@code Trainer}'s constructor, so a refused store makes {@code model.newTrainer(config)}
     * throw, before any training.
     *
     * @throws IllegalStateException if this listener has seen a training already, or the store
     *     holds a run already (its table {@code metadata} has a row): one store is one run
     */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (begun) {
            throw new IllegalStateException("this CoxTrainingListener has logged a training run into store " + store.path()
                    + " already, and one store is one run: use a new listener on a new run (Store.open(dir) makes one)");
        }
        if (store.keys().contains(METADATA) && store.table(METADATA).nrows() > 0) {
            throw new IllegalStateException("store " + store.path() + " holds a training run already (table '" + METADATA
                    + "' has a row), and one store is one run: log this training into a new run (Store.open(dir) makes one)");
        }
        begun = true;
        epochStart = nanoTime.getAsLong();
        settings = settings(trainer);
        List<TrainingListener> listeners = new ArrayList<>();
        trainer.notifyListeners(listeners::add); // only to see the listeners and their order
        int self = indexOf(listeners, this);
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) instanceof EvaluatorTrainingListener e && evaluatorListener == null) {
                evaluatorListener = e;
                evaluatorListenerFirst = self < 0 || i < self;
            }
        }
        if (batchesEvery > 0) {
            for (Evaluator e : trainer.getEvaluators()) {
                e.addAccumulator(BATCH_ACCUMULATOR);
            }
        }
    }

    private static int indexOf(List<TrainingListener> listeners, TrainingListener l) {
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) == l) {
                return i;
            }
        }
        return -1;
    }

    /** Logs the metadata row on the first batch, and every n-th batch to {@code batches}. */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        try {
            batch++;
            midEpoch = true;
            if (!metadataWritten) {
                writeMetadata(trainer, batchData.getBatch() == null ? -1 : batchData.getBatch().getSize());
            }
            if (batchesEvery > 0 && batch % batchesEvery == 0) {
                logBatch(trainer, batchData);
            }
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Counts the epoch's validation batches (DJL's evaluator listener accumulates their values). */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        validationBatches++;
    }

    /** Logs the epoch's row to {@code results}, saves the parameters if due, and syncs the store. */
    @Override
    public void onEpoch(Trainer trainer) {
        try {
            long now = nanoTime.getAsLong();
            epoch++;
            midEpoch = false;
            if (!metadataWritten) {
                writeMetadata(trainer, -1);
            }
            if (withValidation == null) {
                withValidation = validationBatches > 0;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", (long) epoch);
            row.putAll(epochValues(trainer));
            row.put("epoch_time", (now - epochStart) / 1e9);
            if (results == null) {
                results = table(RESULTS, schemaOf(row));
            }
            append(results, row, "epoch " + epoch);
            scalars(RESULTS, row, epoch);
            if (saveEvery > 0 && epoch % saveEvery == 0) {
                save(trainer);
            }
            sync("epoch " + epoch);
            validationBatches = 0;
            epochStart = nanoTime.getAsLong(); // the next epoch starts now: this listener's own work is no epoch's
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Saves the parameters (unless saved as they are already) and syncs the store; the store
     * stays open. Writes nothing if no training batch and no epoch ran (a trainer closed without
     * training), or if one of this listener's callbacks threw (its error went out of the training
     * loop already). Never throws: DJL calls it from {@code Trainer.close()}, which must go on to
     * sync the parameters, close the trainer's arrays and call the other listeners; an error is
     * logged as a WARNING and kept as the {@link #failure()}.
     */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (!begun || ended || failed) {
            return;
        }
        ended = true;
        if (batch == 0 && epoch == 0) {
            return;
        }
        try {
            if (!metadataWritten) {
                writeMetadata(trainer, -1);
            }
            if (batch > 0 && (savedEpoch != epoch || midEpoch)) {
                save(trainer);
            }
            sync("training end");
        } catch (RuntimeException e) {
            failure = "CoxTrainingListener could not finish the run in store " + store.path() + " on training end: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.warn("{}", failure, e);
        }
    }

    /**
     * Why this listener could not finish the run on training end (save the parameters, write the
     * metadata row or sync the store): the message of the WARNING it logged then, naming the store
     * and the cause. Empty if it finished, or has not got there yet. {@link #onTrainingEnd} keeps
     * the error here rather than throw it, since DJL calls it from {@code Trainer.close()}.
     *
     * @return the failure, or empty
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    // ---- metadata

    private Map<String, Object> settings(Trainer trainer) {
        Map<String, Object> m = new LinkedHashMap<>();
        Model model = trainer.getModel();
        m.put("model", String.valueOf(model.getName()));
        m.put("block", String.valueOf(model.getBlock()));
        m.put("data_type", String.valueOf(model.getDataType()));
        Engine engine = trainer.getManager().getEngine();
        m.put("engine", engine.getEngineName());
        m.put("engine_version", engine.getVersion());
        m.put("djl_version", Engine.getDjlVersion());
        List<String> devices = new ArrayList<>();
        for (Device d : trainer.getDevices()) {
            devices.add(d.toString());
        }
        m.put("devices", String.join(",", devices));
        Loss loss = trainer.getLoss();
        m.put("loss", loss.getName());
        Map<String, Object> lossSettings = new LinkedHashMap<>();
        DjlSettings.flatten("loss", loss, lossSettings);
        lossSettings.remove("loss"); // the class; the name above says which loss
        m.putAll(lossSettings);
        m.put("evaluators", trainer.getEvaluators().stream().filter(e -> e != loss).map(Evaluator::getName)
                .collect(Collectors.joining(",")));
        Optimizer optimizer = optimizerOf(trainer);
        if (optimizer != null) {
            DjlSettings.flatten("optimizer", optimizer, m);
        } else {
            m.put("optimizer", UNKNOWN);
            LOG.warn("CoxTrainingListener found no optimizer in the fields of DJL {}'s Trainer (it reads them by reflection,"
                    + " tested with DJL 0.36.0): store {} logs optimizer = {} and no optimizer settings",
                    Engine.getDjlVersion(), store.path(), UNKNOWN);
        }
        return m;
    }

    /**
     * The trainer's optimizer: DJL hands it to the engine's parameter server, which the trainer's
     * parameter store holds, and exposes it nowhere; found by the fields' types (the first
     * readable, non-null field of each), or null.
     */
    static Optimizer optimizerOf(Trainer trainer) {
        Object store = fieldOfType(trainer, ParameterStore.class);
        Object server = store == null ? null : fieldOfType(store, ParameterServer.class);
        Object optimizer = server == null ? null : fieldOfType(server, Optimizer.class);
        return (Optimizer) optimizer;
    }

    private static Object fieldOfType(Object owner, Class<?> type) {
        for (Class<?> c = owner.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (type.isAssignableFrom(f.getType())) {
                    Object v;
                    try {
                        f.setAccessible(true);
                        v = f.get(owner);
                    } catch (RuntimeException | IllegalAccessException e) {
                        continue; // not readable (a module that does not open the package): try the next
                    }
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private void writeMetadata(Trainer trainer, long batchSize) {
        Map<String, Object> row = new LinkedHashMap<>(settings);
        row.put("block", String.valueOf(trainer.getModel().getBlock())); // with the shapes initialize() gave it
        Long count = ModelWeights.parameterCount(trainer.getModel().getBlock());
        if (count != null) {
            row.put("parameter_count", count);
        }
        if (batchSize >= 0) {
            row.put("batch_size", batchSize);
        }
        row.putAll(params);
        Table t = table(METADATA, schemaOf(row));
        append(t, row, "the run's settings");
        metadataWritten = true;
    }

    // ---- per-epoch and per-batch values

    /** train_/validate_ values of the loss, then of each other evaluator, as DJL computed them. */
    private Map<String, Double> epochValues(Trainer trainer) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (evaluatorListener == null) {
            return values;
        }
        Map<String, Float> latest = evaluatorListenerFirst ? evaluatorListener.getLatestEvaluations() : null;
        for (Evaluator e : ordered(trainer)) {
            String column = e == trainer.getLoss() ? "loss" : e.getName();
            values.put("train_" + column, value(e, latest, "train_", EvaluatorTrainingListener.TRAIN_EPOCH));
            if (withValidation) {
                values.put("validate_" + column, value(e, latest, "validate_", EvaluatorTrainingListener.VALIDATE_EPOCH));
            }
        }
        return values;
    }

    /** The loss first, then the other evaluators in DJL's order. */
    private static List<Evaluator> ordered(Trainer trainer) {
        List<Evaluator> out = new ArrayList<>();
        out.add(trainer.getLoss());
        for (Evaluator e : trainer.getEvaluators()) {
            if (e != trainer.getLoss()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * After DJL's evaluator listener ran, its latest evaluations; before (it resets the
     * accumulators once it has read them), the accumulators it is about to read. NaN for an
     * accumulator the evaluator does not have: DJL's {@code Loss.getAccumulator} throws an
     * {@link IllegalArgumentException} then; any other error of an evaluator propagates.
     */
    private static double value(Evaluator e, Map<String, Float> latest, String prefix, String accumulator) {
        if (latest != null) {
            Float f = latest.get(prefix + e.getName());
            return f == null ? Double.NaN : f;
        }
        try {
            return e.getAccumulator(accumulator);
        } catch (IllegalArgumentException noAccumulator) {
            return Double.NaN;
        }
    }

    private void logBatch(Trainer trainer, BatchData data) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", (long) epoch + 1);
        row.put("batch", batch);
        for (Evaluator e : ordered(trainer)) {
            e.resetAccumulator(BATCH_ACCUMULATOR);
            for (Map.Entry<Device, NDList> labels : data.getLabels().entrySet()) {
                e.updateAccumulator(BATCH_ACCUMULATOR, labels.getValue(), data.getPredictions().get(labels.getKey()));
            }
            row.put("train_" + (e == trainer.getLoss() ? "loss" : e.getName()), (double) e.getAccumulator(BATCH_ACCUMULATOR));
        }
        if (batches == null) {
            batches = table(BATCHES, schemaOf(row));
        }
        append(batches, row, "batch " + batch);
        scalars(BATCHES, row, batch);
    }

    // ---- parameters

    private void save(Trainer trainer) {
        boolean complete = !midEpoch;
        Block block = trainer.getModel().getBlock();
        StateDict dict;
        try {
            dict = ModelWeights.stateDict(block, parameterNames, rename,
                    "table '" + CHECKPOINTS + "' of store " + store.path() + ", column 'state_dict'");
        } catch (IllegalArgumentException e) {
            throw new StoreException("CoxTrainingListener cannot save the parameters of epoch " + epoch + ": "
                    + e.getMessage(), e);
        }
        if (checkpoints == null) { // once there is a state dict to put in it
            checkpoints = table(CHECKPOINTS, Schema.builder().add("epoch", ColumnType.INT).add("complete", ColumnType.BOOL)
                    .add("state_dict", ColumnType.PYTORCH_STATE).build());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", (long) epoch);
        row.put("complete", complete);
        row.put("state_dict", dict);
        append(checkpoints, row, complete ? "the parameters of epoch " + epoch
                : "the parameters after " + epoch + " complete epochs");
        savedEpoch = epoch;
    }

    // ---- store

    /** The column types of a row of Long, Double, Boolean and String values. */
    static Schema schemaOf(Map<String, ?> row) {
        Schema.Builder b = Schema.builder();
        for (Map.Entry<String, ?> e : row.entrySet()) {
            Object v = e.getValue();
            ColumnType type = v instanceof Long ? ColumnType.INT
                    : v instanceof Double ? ColumnType.FLOAT
                    : v instanceof Boolean ? ColumnType.BOOL
                    : v instanceof StateDict ? ColumnType.PYTORCH_STATE
                    : ColumnType.STR;
            b.add(e.getKey(), type);
        }
        return b.build();
    }

    /** The store's table {@code name}, added with {@code schema}; an existing one must have that schema. */
    private Table table(String name, Schema schema) {
        try {
            if (store.keys().contains(name)) {
                Table t = store.table(name);
                if (!t.schema().equals(schema)) {
                    throw new StoreException("store " + store.path() + " has a table '" + name + "' already, with columns "
                            + t.schema() + "; CoxTrainingListener writes " + schema + " (columns only there: "
                            + difference(t.schema(), schema) + "; only here: " + difference(schema, t.schema())
                            + "): log each training run into a store of its own");
                }
                return t;
            }
            return store.addTable(name, schema);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StoreException("CoxTrainingListener cannot add table '" + name + "' to store " + store.path() + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<String> difference(Schema a, Schema b) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ColumnType> e : a.entrySet()) {
            if (b.get(e.getKey()) != e.getValue()) {
                out.add(e.getKey() + " " + e.getValue());
            }
        }
        return out;
    }

    private void append(Table table, Map<String, ?> row, String what) {
        try {
            table.appendRow(row);
        } catch (CoxException e) {
            throw e.withContext("CoxTrainingListener cannot log " + what + " to table '" + table.name() + "' of store "
                    + store.path());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the store's message names the table, store, column and value
            throw new StoreException("CoxTrainingListener cannot log " + what + ": " + e.getMessage(), e);
        }
    }

    private void scalars(String table, Map<String, Object> row, long step) {
        SummaryWriter tb = store.tensorboard();
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof Double d) {
                tb.addScalar(table + "/" + e.getKey(), d, step);
            }
        }
    }

    private void sync(String what) {
        try {
            if (syncEachEpoch) {
                store.sync();
            } else {
                store.tensorboard().flush();
            }
        } catch (CoxException e) {
            throw e.withContext("CoxTrainingListener cannot sync store " + store.path() + " after " + what);
        }
    }
}
