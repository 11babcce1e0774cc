package cox.spark.ml;

import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.FitEnd;
import org.apache.spark.ml.FitStart;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one cox run per Spark ML fit into a collection folder, from the {@code MLEvent}s Spark
 * posts on its listener bus ({@code FitStart}/{@code FitEnd}); the runs are what cox4j's
 * {@code CollectionReader}, {@code cox serve}, {@code spark.read().format("cox")} and Python
 * cox read.
 *
 * <pre>{@code
 * CoxMLListener cox = new CoxMLListener(Path.of("runs"));
 * spark.sparkContext().addSparkListener(cox);
 * PipelineModel model = pipeline.fit(train);                      // one run
 * CoxML.logMetrics(cox.runOf(model), "test", evaluator, model.transform(test));
 * CrossValidatorModel cv = cox.fitTuning(crossValidator, train);  // one run per parameter map
 * }</pre>
 * or, with no code: {@code --conf spark.extraListeners=cox.spark.ml.CoxMLListener --conf
 * spark.cox.ml.dir=/shared/runs}, the listener then found with {@link #of(SparkContext)}. Spark
 * makes the listener when the SparkContext starts, so the cox4j jar must be on the driver's class
 * path then ({@code spark-submit --jars} or {@code --driver-class-path}); {@code spark.jars} set
 * in the application's builder is too late.
 *
 * <p><b>Which fits.</b> Spark 4.2 posts {@code FitStart}/{@code FitEnd} for {@code Pipeline.fit}
 * and, inside it, for each estimator stage; a bare {@code LogisticRegression.fit},
 * {@code CrossValidator.fit} or {@code TrainValidationSplit.fit} posts none of its own. So: every
 * {@code Pipeline} fit is a run; the stage fits inside it are not runs of their own (their fit
 * time is the column {@code Stage.fit_seconds} of the pipeline's run, nested pipelines' stages
 * included); a fit of any other estimator that posts events (a later Spark, or code that posts
 * them itself) is a run too. A tuning fit goes through {@link #fitTuning(CrossValidator, Dataset)}
 * (or its {@code TrainValidationSplit} twin), which writes one run per parameter map and none for
 * the pipeline fits Spark makes inside (one per fold and parameter map, and the refit of the
 * best). A plain {@code cv.fit(train)} with the listener registered writes a plain pipeline run
 * for each of those inner fits ({@code numFolds x maps + 1}; {@code maps + 1} for a
 * {@code TrainValidationSplit}) and none with a metric; {@link #logTuning(CrossValidatorModel)}
 * then adds the per-map runs, from the model alone.
 *
 * <p><b>A run.</b> Table {@code metadata}, one row: {@code estimator} (its class name),
 * {@code estimator_uid}, {@code tuning} (empty, or {@code CrossValidator} /
 * {@code TrainValidationSplit}), {@code stages} (the stages' column prefixes, comma-separated),
 * {@code fit_start} and {@code fit_end} (seconds since the epoch), {@code fit_seconds}, then every
 * parameter of every stage, explicit and default, as {@code StageClass.param}
 * ({@code LogisticRegression.regParam}; the class's simple name, not the uid, which differs in every
 * process, so that the runs of a sweep share their columns; a second stage of one class is
 * {@code StageClass_2}). For an estimator stage, the fitted model's value of a parameter wins over
 * the estimator's (the model copied it at the fit; the estimator may have changed since); a
 * transformer stage ({@code VectorAssembler}) is the same object in the fitted pipeline, read when
 * the listener writes the run, so a change made to it right after the fit may show. Table
 * {@code results}: written by {@link CoxML#logMetrics}, or by {@link #fitTuning}/{@link #logTuning}
 * for their runs.
 *
 * <p><b>Threads.</b> Spark delivers events on its one listener thread, after the fit that posted
 * them may have returned: the runs of fits are written there, and {@link #runOf(Model)} waits for
 * the run of a model. Times are taken when the listener handles the events (milliseconds after the
 * fit on a driver whose listener bus keeps up). Nothing is thrown out of the listener: a run that
 * cannot be written is logged (SLF4J, warning, with its parameters), kept in {@link #failures()},
 * and {@code runOf} of its model throws naming the cause. Each run's store is closed once written.
 * Every public method may be called from any thread; {@link #onOtherEvent} expects Spark's way of
 * calling it, from one thread at a time, in the bus's order (the fits it has seen start are its
 * own, unguarded).
 */
public final class CoxMLListener extends SparkListener {
    /** The Spark conf key of the folder a listener made by {@code spark.extraListeners} writes to. */
    public static final String DIR_CONF = "spark.cox.ml.dir";
    /** How long {@link #runOf(Model)} waits for the listener to handle a fit's events. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    /** Fits started and not ended that are kept; a fit that throws never ends. */
    static final int MAX_OPEN_FITS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(CoxMLListener.class);
    private static final Map<Path, CoxMLListener> FROM_CONF = new ConcurrentHashMap<>();
    /**
     * The estimators handed to fitTuning (of any listener: every listener of the JVM leaves out
     * the fits inside), by uid: Spark fits copies of them (same uid) inside.
     */
    private static final Map<String, WeakReference<Estimator<?>>> TUNED = new ConcurrentHashMap<>();
    /** What may be a URI's scheme ({@code hdfs:}, {@code s3a:}, {@code dbfs:}); one letter is a Windows drive. */
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):");
    /**
     * The schemes of Hadoop's and the clouds' file systems: {@code NAME:} followed by one of them
     * is a remote folder even without {@code //} ({@code dbfs:/runs}); any other {@code NAME:} is
     * a URI only before {@code //}, so a local folder may be named {@code exp:1}.
     */
    private static final java.util.Set<String> REMOTE_SCHEMES = java.util.Set.of("hdfs", "webhdfs", "swebhdfs", "viewfs",
            "s3", "s3a", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "adl", "dbfs", "oss", "cos", "cosn", "ofs", "o3fs",
            "ftp", "sftp", "http", "https");

    private final Path dir;
    private final Clock clock;
    private final boolean fromConf;
    /** Fits started and not ended; the listener thread's alone. */
    private final List<OpenFit> open = new ArrayList<>();
    private final Object lock = new Object();
    /** Held while tuning runs are written: logTuning writes a model's runs once. */
    private final Object tuningLock = new Object();
    /** Guarded by lock: the runs of each model (identity: Spark's models keep Object's equals). */
    private final Map<Object, List<FitRun>> runsByModel = new WeakHashMap<>();
    private final Map<Object, String> failedByModel = new WeakHashMap<>();
    private final List<FitRun> runs = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /**
     * A listener writing runs into {@code dir}, for {@code sparkContext.addSparkListener}.
     *
     * @param dir the collection folder (created when the first run is written), local or mounted
     * @throws IllegalArgumentException for a remote folder read as a path
     *     ({@code Path.of("hdfs://namenode/runs")}, {@code s3a:}, {@code dbfs:}), naming it: remote
     *     folders are not supported yet
     */
    public CoxMLListener(Path dir) {
        this(dir, Clock.systemUTC(), false);
    }

    /**
     * The constructor Spark calls for {@code spark.extraListeners=cox.spark.ml.CoxMLListener}: the
     * folder is the conf's {@value #DIR_CONF}, a path or a {@code file:} URI. The listener is then
     * {@link #of(SparkContext)}.
     *
     * @param conf the SparkContext's configuration
     * @throws IllegalArgumentException if {@value #DIR_CONF} is not set, or is a URI of another
     *     scheme ({@code hdfs://}, {@code s3a://}, {@code dbfs:}: remote folders are not supported
     *     yet), naming the key and value (the SparkContext then fails to start, with this message)
     */
    public CoxMLListener(SparkConf conf) {
        this(dirOf(conf), Clock.systemUTC(), true);
        FROM_CONF.put(dir, this);
    }

    CoxMLListener(Path dir, Clock clock, boolean fromConf) {
        Objects.requireNonNull(dir, "dir");
        if (!dir.isAbsolute() && dir.getNameCount() > 0) {
            // Path.of("hdfs://nn/runs") is the relative path hdfs:/nn/runs: not a folder anyone means
            Matcher scheme = SCHEME.matcher(dir.getName(0).toString());
            if (scheme.matches() && REMOTE_SCHEMES.contains(scheme.group(1).toLowerCase(java.util.Locale.ROOT))) {
                throw remote("dir " + dir, scheme.group(1));
            }
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fromConf = fromConf;
    }

    private static Path dirOf(SparkConf conf) {
        Objects.requireNonNull(conf, "conf");
        if (!conf.contains(DIR_CONF)) {
            throw new IllegalArgumentException(DIR_CONF + " is not set: cox.spark.ml.CoxMLListener (in spark.extraListeners)"
                    + " needs the folder to write its runs to, e.g. --conf " + DIR_CONF + "=/shared/runs");
        }
        return folderOf(conf.get(DIR_CONF));
    }

    /** The folder of {@value #DIR_CONF}'s value: a path, or a {@code file:} URI. */
    private static Path folderOf(String value) {
        Matcher scheme = SCHEME.matcher(value);
        if (!scheme.lookingAt() || !(value.startsWith("//", scheme.end())
                || REMOTE_SCHEMES.contains(scheme.group(1).toLowerCase(java.util.Locale.ROOT))
                || scheme.group(1).equalsIgnoreCase("file"))) {
            return Path.of(value); // a folder, maybe named with a colon (exp:1)
        }
        if (!scheme.group(1).equalsIgnoreCase("file")) {
            throw remote(DIR_CONF + "=" + value, scheme.group(1));
        }
        try {
            return Path.of(URI.create(value));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException(DIR_CONF + "=" + value + ": not the URI of a local folder (file:///path/to/runs): "
                    + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException remote(String what, String scheme) {
        return new IllegalArgumentException(what + ": CoxMLListener writes to a local (or mounted) folder, not to a "
                + scheme + ": URI (remote folders are not supported yet: write to a local or mounted folder and copy"
                + " the runs)");
    }

    /**
     * The listener Spark made from {@code spark.extraListeners} for this context.
     *
     * @param sc a running SparkContext started with {@code spark.extraListeners=cox.spark.ml.CoxMLListener}
     * @return its listener
     * @throws IllegalStateException if the context has no such listener (naming the folder)
     */
    public static CoxMLListener of(SparkContext sc) {
        Objects.requireNonNull(sc, "sc");
        SparkConf conf = sc.getConf();
        if (!conf.contains(DIR_CONF)) {
            throw new IllegalStateException("this SparkContext has no " + DIR_CONF + ": start it with --conf"
                    + " spark.extraListeners=cox.spark.ml.CoxMLListener --conf " + DIR_CONF + "=DIR");
        }
        Path d = folderOf(conf.get(DIR_CONF)).toAbsolutePath().normalize();
        CoxMLListener l = FROM_CONF.get(d);
        if (l == null) {
            throw new IllegalStateException("no CoxMLListener writes to " + d + " (" + DIR_CONF
                    + "): is cox.spark.ml.CoxMLListener in spark.extraListeners?");
        }
        return l;
    }

    /**
     * @return the collection folder the runs are written to
     */
    public Path dir() {
        return dir;
    }

    /**
     * Handles Spark ML's {@code FitStart} and {@code FitEnd}; other events are ignored. Never throws.
     *
     * @param event an event of Spark's listener bus
     */
    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        try {
            if (event instanceof FitStart<?> s) {
                started(s.estimator());
            } else if (event instanceof FitEnd<?> e) {
                ended(e.estimator(), e.model());
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // a FitEnd's model is what runOf waits for: it hears of the failure at once
            fail(event instanceof FitEnd<?> end ? end.model() : null,
                    "cannot handle " + event.getClass().getSimpleName() + ": " + e, e);
        }
    }

    /**
     * Forgets this listener as {@link #of(SparkContext)}'s answer when its application ends.
     *
     * @param end the application's end
     */
    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
        if (fromConf) {
            FROM_CONF.remove(dir, this);
        }
    }

    private void started(Estimator<?> estimator) {
        OpenFit parent = enclosing(estimator);
        boolean nested = parent != null || isTunedCopy(estimator);
        if (open.size() >= MAX_OPEN_FITS) {
            // a fit that threw posts no FitEnd: forget the oldest such rather than grow without end
            OpenFit dropped = open.remove(0);
            LOG.warn("CoxMLListener: {} fits started and not ended; forgetting the oldest, of {} (did it fail?)",
                    MAX_OPEN_FITS, dropped.estimator.uid());
        }
        open.add(new OpenFit(estimator, parent, nested, clock.instant(), System.nanoTime()));
    }

    private void ended(Estimator<?> estimator, Model<?> model) {
        long endNanos = System.nanoTime();
        Instant end = clock.instant();
        OpenFit fit = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).estimator == estimator) {
                fit = open.remove(i);
                break;
            }
        }
        if (fit == null) {
            // its FitStart was missed (the listener added during the fit): still a run, start unknown
            OpenFit parent = enclosing(estimator);
            fit = new OpenFit(estimator, parent, parent != null || isTunedCopy(estimator), null, endNanos);
        }
        if (fit.parent != null) {
            fit.parent.stageSeconds.put(estimator, fit.start == null ? Double.NaN : (endNanos - fit.startNanos) / 1e9);
            // a nested pipeline's stages are columns of the outer run: their times go up with it
            fit.parent.stageSeconds.putAll(fit.stageSeconds);
            return;
        }
        if (fit.nested) {
            return;
        }
        Map<String, Object> metadata = null;
        try {
            metadata = fitMetadata(fit, model, end, endNanos);
            FitRun run = RunFiles.write(dir, metadata, null);
            LOG.debug("run {} for the fit of {}", run.path(), estimator.uid());
            recorded(fittedModels(model), List.of(run));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fail(model, "cannot write the run of the fit of " + estimator.uid() + " into " + dir + ": " + e
                    + (metadata == null ? "" : "; its metadata: " + metadata), e);
        }
    }

    private Map<String, Object> fitMetadata(OpenFit fit, Model<?> model, Instant end, long endNanos) {
        ParamColumns params = new ParamColumns();
        params.addStages(fit.estimator, model instanceof PipelineModel pm ? pm.stages() : new PipelineStage[] {model});
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("estimator", fit.estimator.getClass().getName());
        row.put("estimator_uid", fit.estimator.uid());
        row.put("tuning", "");
        row.put("stages", String.join(",", params.stageNames()));
        row.put("fit_start", fit.start == null ? Double.NaN : seconds(fit.start));
        row.put("fit_end", seconds(end));
        row.put("fit_seconds", fit.start == null ? Double.NaN : (endNanos - fit.startNanos) / 1e9);
        for (PipelineStage stage : leafStages(fit.estimator, new ArrayList<>())) {
            Double s = fit.stageSeconds.get(stage);
            String prefix = params.prefixOf(stage);
            if (s != null && prefix != null) {
                row.put(prefix + ".fit_seconds", s);
            }
        }
        row.putAll(params.columns());
        return row;
    }

    /** A pipeline's stages, nested pipelines flattened in order (as ParamColumns names them). */
    private static List<PipelineStage> leafStages(PipelineStage stage, List<PipelineStage> into) {
        if (stage instanceof Pipeline p) {
            for (PipelineStage s : p.getStages()) {
                leafStages(s, into);
            }
        } else {
            into.add(stage);
        }
        return into;
    }

    /**
     * A model and, if it is a {@code PipelineModel}, its fitted stages (nested ones too): each
     * finds the fit's run. Transformer stages are left out: the same object is a stage of every
     * fit of its pipeline.
     */
    private static List<Object> fittedModels(Model<?> model) {
        List<Object> models = new ArrayList<>();
        models.add(model);
        if (model instanceof PipelineModel pm) {
            for (Object stage : pm.stages()) {
                if (stage instanceof Model<?> m) {
                    models.addAll(fittedModels(m));
                }
            }
        }
        return models;
    }

    /** The open pipeline fit that has {@code estimator} among its stages (identity), or null. */
    private OpenFit enclosing(Estimator<?> estimator) {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).estimator instanceof Pipeline p) {
                for (PipelineStage s : p.getStages()) {
                    if (s == estimator) {
                        return open.get(i);
                    }
                }
            }
        }
        return null;
    }

    private boolean isTunedCopy(Estimator<?> estimator) {
        WeakReference<Estimator<?>> ref = TUNED.get(estimator.uid());
        return ref != null && ref.get() != estimator;
    }

    /**
     * Fits a {@code CrossValidator} and writes one run per parameter map (Spark posts no event for
     * a tuning fit, so it goes through here). Each run: {@code metadata} as a fit's run, the
     * estimator's parameters with that map applied, plus the tuner's and the evaluator's
     * parameters ({@code CrossValidator.numFolds}, {@code BinaryClassificationEvaluator.metricName}),
     * {@code param_map_index}, {@code param_map} (the map as text, its pairs sorted by column name,
     * so that one map reads the same in every process) and {@code best} (whether Spark chose it:
     * the first of the best metrics in {@code Double.compare}'s order, as Spark chooses);
     * {@code fit_*} times are the whole tuning fit's. {@code results}, one row: the metric Spark
     * chose by, the average over the folds ({@code CrossValidatorModel.avgMetrics}), in the column
     * {@code avg_<metricName>} ({@code avg_areaUnderROC}, as MLflow names its cross-validation
     * runs' metric), so that it is not taken for a metric {@link CoxML#logMetrics} logs on test
     * data. Spark 4.2 keeps no per-fold metrics, so there is no standard deviation.
     *
     * <p>The pipeline fits inside (per fold and map, and the refit of the best map) are not runs,
     * for any {@code CoxMLListener} of the JVM; nor are later fits of copies of this estimator
     * ({@code pipeline.fit(data, paramMap)}, {@code pipeline.copy(map).fit(data)}) while it is
     * reachable, which Spark cannot tell from the fits inside; {@code pipeline.fit(data)} itself
     * still is a run. {@link #runOf(Model)} of the model's {@code bestModel()} (or of one of its
     * fitted stages) is the best map's run; {@link #runsOf(Model)} of the returned model, every
     * map's run.
     *
     * <p>Runs on the caller's thread; the runs are written when it returns. A run that cannot be
     * written is logged and kept in {@link #failures()}, and the model is returned all the same.
     *
     * @param tuner the cross-validator
     * @param dataset what to fit on
     * @return the tuner's model, as {@code tuner.fit(dataset)}
     */
    public CrossValidatorModel fitTuning(CrossValidator tuner, Dataset<?> dataset) {
        Objects.requireNonNull(tuner, "tuner");
        return fitTuning(tuner, tuner.getEstimator(), dataset);
    }

    /**
     * As {@link #fitTuning(CrossValidator, Dataset)}, for a {@code TrainValidationSplit}: the
     * metric is the validation split's ({@code TrainValidationSplitModel.validationMetrics}), in
     * the column {@code validation_<metricName>} ({@code validation_accuracy}).
     *
     * @param tuner the train-validation split
     * @param dataset what to fit on
     * @return the tuner's model, as {@code tuner.fit(dataset)}
     */
    public TrainValidationSplitModel fitTuning(TrainValidationSplit tuner, Dataset<?> dataset) {
        Objects.requireNonNull(tuner, "tuner");
        return fitTuning(tuner, tuner.getEstimator(), dataset);
    }

    private <M extends Model<M>> M fitTuning(Estimator<M> tuner, Estimator<?> estimator, Dataset<?> dataset) {
        Objects.requireNonNull(dataset, "dataset");
        TUNED.values().removeIf(r -> r.get() == null);
        TUNED.put(estimator.uid(), new WeakReference<>(estimator));
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        M model = tuner.fit(dataset);
        long endNanos = System.nanoTime();
        Instant end = clock.instant();
        synchronized (tuningLock) {
            try {
                writeTuning(model, seconds(start), seconds(end), (endNanos - startNanos) / 1e9);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                fail(model, cannotWrite(model, e), e);
            }
        }
        return model;
    }

    /**
     * Writes the runs {@link #fitTuning(CrossValidator, Dataset)} would have written, from a
     * {@code CrossValidatorModel} alone, for a model of a plain {@code cv.fit(data)}. The same
     * columns, but {@code fit_start},
     * {@code fit_end} and {@code fit_seconds} are NaN (the model does not keep them). This
     * listener need not be registered.
     *
     * <p>A plain {@code cv.fit(data)} while a {@code CoxMLListener} is registered posts Spark's
     * events of the pipeline fits inside, so the listener writes {@code numFolds x maps + 1}
     * runs of them (each fold and map, and the refit of the best map on all the data), each a
     * plain pipeline run ({@code tuning} empty, no {@code results}, nothing saying which fold);
     * {@code logTuning} adds the per-map runs beside them and leaves those in place. To have the
     * per-map runs only, fit with {@code fitTuning}.
     *
     * <p>Once per model and listener: a model this listener already wrote the runs of (by
     * {@code fitTuning} or {@code logTuning}) gets those back, nothing is written. Afterwards
     * {@link #runOf(Model)} of the model's {@code bestModel()} is the best map's run (rather than
     * the refit's run), and {@link #runsOf(Model)} of the model every map's run.
     *
     * @param model a fitted cross-validator's model
     * @return its runs, in parameter-map order
     * @throws IllegalStateException if the runs cannot be written (naming the cause; the runs
     *     written before it stay)
     */
    public List<FitRun> logTuning(CrossValidatorModel model) {
        return logTuning((Model<?>) model);
    }

    /**
     * As {@link #logTuning(CrossValidatorModel)}, for a {@code TrainValidationSplitModel}: a plain
     * {@code tvs.fit(data)} with the listener registered writes {@code maps + 1} pipeline runs
     * (each map on the training split, and the refit of the best).
     *
     * @param model a fitted train-validation split's model
     * @return its runs, in parameter-map order
     * @throws IllegalStateException if the runs cannot be written (naming the cause)
     */
    public List<FitRun> logTuning(TrainValidationSplitModel model) {
        return logTuning((Model<?>) model);
    }

    private List<FitRun> logTuning(Model<?> model) {
        Objects.requireNonNull(model, "model");
        synchronized (tuningLock) {
            synchronized (lock) {
                List<FitRun> known = runsByModel.get(model);
                if (known != null) {
                    return known;
                }
            }
            try {
                return writeTuning(model, Double.NaN, Double.NaN, Double.NaN);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                String message = cannotWrite(model, e);
                fail(model, message, e);
                throw new IllegalStateException(message, e);
            }
        }
    }

    private String cannotWrite(Model<?> model, Throwable e) {
        return "cannot write the runs of the tuning model " + model.uid() + " into " + dir + ": " + e;
    }

    /** Writes and records the runs of a tuning model. */
    private List<FitRun> writeTuning(Model<?> model, double start, double end, double seconds) {
        Tuned tuned = Tuned.of(model);
        List<FitRun> written = tuningRuns(model, tuned, start, end, seconds);
        Model<?> best = tuned.bestModel();
        FitRun bestRun = written.get(tuned.best());
        synchronized (lock) {
            runsByModel.put(model, List.copyOf(written));
            for (Object m : fittedModels(best)) {
                // over the refit's own run, if a plain fit's events wrote one (or will)
                runsByModel.put(m, List.of(bestRun));
            }
            runs.addAll(written);
            failedByModel.remove(model);
            lock.notifyAll();
        }
        return written;
    }

    /**
     * What a tuning model holds, read once from a {@code CrossValidatorModel} or a
     * {@code TrainValidationSplitModel}: the metric Spark chose by ({@code avgMetrics} or
     * {@code validationMetrics}) and the prefix of its column ({@code avg}, {@code validation}).
     */
    private record Tuned(Estimator<?> estimator, ParamMap[] maps, Evaluator evaluator, double[] metrics, String tuning,
                         String metricPrefix, Model<?> bestModel) {
        static Tuned of(Model<?> model) {
            if (model instanceof CrossValidatorModel cv) {
                return new Tuned(cv.getEstimator(), cv.getEstimatorParamMaps(), cv.getEvaluator(), cv.avgMetrics(),
                        "CrossValidator", "avg", cv.bestModel());
            }
            TrainValidationSplitModel tvs = (TrainValidationSplitModel) model;
            return new Tuned(tvs.getEstimator(), tvs.getEstimatorParamMaps(), tvs.getEvaluator(), tvs.validationMetrics(),
                    "TrainValidationSplit", "validation", tvs.bestModel());
        }

        /** The parameter map Spark chose: the first best in Double.compare's order, as Spark 4.2 does. */
        int best() {
            boolean larger = evaluator.isLargerBetter();
            int best = 0;
            for (int i = 1; i < metrics.length; i++) {
                int c = Double.compare(metrics[i], metrics[best]);
                if (larger ? c > 0 : c < 0) {
                    best = i;
                }
            }
            return best;
        }
    }

    private List<FitRun> tuningRuns(Model<?> model, Tuned tuned, double start, double end, double seconds) {
        Estimator<?> estimator = tuned.estimator();
        ParamMap[] maps = tuned.maps();
        Evaluator evaluator = tuned.evaluator();
        double[] metrics = tuned.metrics();
        String tuning = tuned.tuning();
        String metricPrefix = tuned.metricPrefix();
        int best = tuned.best();
        String metric = metricPrefix + "_" + CoxML.metricName(evaluator);
        List<FitRun> written = new ArrayList<>();
        ParamColumns shared = new ParamColumns();
        // the model's params (it copied the tuner's) under the tuner's name: fitTuning and
        // logTuning runs share their columns
        shared.add(model, null, tuning);
        shared.add(evaluator, null);
        ParamColumns names = new ParamColumns();
        names.addStages(estimator, null);
        for (int i = 0; i < maps.length; i++) {
            ParamColumns stages = new ParamColumns();
            stages.addStages(estimator.copy(maps[i]), null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("estimator", estimator.getClass().getName());
            row.put("estimator_uid", estimator.uid());
            row.put("tuning", tuning);
            row.put("stages", String.join(",", stages.stageNames()));
            row.put("fit_start", start);
            row.put("fit_end", end);
            row.put("fit_seconds", seconds);
            row.put("param_map_index", (long) i);
            row.put("param_map", names.describe(maps[i]));
            row.put("best", i == best);
            row.putAll(shared.columns());
            row.putAll(stages.columns());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put(metric, metrics[i]);
            written.add(RunFiles.write(dir, row, results));
        }
        return written;
    }

    /**
     * Keeps the runs of a fit's models. A tuning's best-map run, if written first, stays the run
     * of its best model (the refit of a plain {@code cv.fit}, whose events may come later).
     */
    private void recorded(List<Object> models, List<FitRun> written) {
        List<FitRun> copy = List.copyOf(written);
        synchronized (lock) {
            for (Object m : models) {
                runsByModel.putIfAbsent(m, copy);
            }
            runs.addAll(written);
            lock.notifyAll();
        }
    }

    private void fail(Model<?> model, String message, Throwable cause) {
        LOG.warn("CoxMLListener: " + message, cause);
        synchronized (lock) {
            failures.add(message);
            if (model != null) {
                failedByModel.put(model, message);
            }
            lock.notifyAll();
        }
    }

    /**
     * The run of a fit: of the {@code PipelineModel} it returned, or of one of that model's fitted
     * stages; or, after {@link #fitTuning}/{@link #logTuning}, the best map's run of the tuning
     * model's {@code bestModel()} (or of its fitted stages). Waits up to {@link #DEFAULT_WAIT} for
     * the listener to handle the fit's events; a model the listener never sees a fit of (a bare
     * estimator's, one fitted before the listener was registered) costs the whole wait.
     *
     * @param model a model fitted while this listener was registered
     * @return its run, written and closed
     * @throws IllegalStateException if the run could not be written (naming the cause, at once), the
     *     model is a tuning model (it has one run per parameter map: {@link #runsOf(Model, Duration)}),
     *     or no run came in time (a bare estimator's fit posts no event: fit it in a
     *     {@code Pipeline}; or Spark's listener bus dropped the events)
     */
    public FitRun runOf(Model<?> model) {
        return runOf(model, DEFAULT_WAIT);
    }

    /**
     * As {@link #runOf(Model)}, waiting up to {@code wait}.
     *
     * @param model a model fitted while this listener was registered
     * @param wait how long to wait for the listener
     * @return its run
     * @throws IllegalStateException as {@link #runOf(Model)}: the run could not be written (at
     *     once), the model has several runs, or none came within {@code wait}
     */
    public FitRun runOf(Model<?> model, Duration wait) {
        List<FitRun> found = runsOf(model, wait);
        if (found.size() != 1) {
            throw new IllegalStateException("model " + model.uid() + " has " + found.size()
                    + " runs, one per parameter map of its tuning fit: use runsOf(model), or runOf(model.bestModel())"
                    + " for the best map's");
        }
        return found.get(0);
    }

    /**
     * As {@link #runsOf(Model, Duration)}, waiting up to {@link #DEFAULT_WAIT}.
     *
     * @param model a model fitted while this listener was registered
     * @return its runs, in parameter-map order
     */
    public List<FitRun> runsOf(Model<?> model) {
        return runsOf(model, DEFAULT_WAIT);
    }

    /**
     * The runs of a model: one for a fit, one per parameter map for a tuning model of
     * {@link #fitTuning}/{@link #logTuning}.
     *
     * @param model a model fitted while this listener was registered
     * @param wait how long to wait for the listener to handle the fit's events (all of it for a
     *     model the listener never sees a fit of)
     * @return its runs, in parameter-map order, an unmodifiable list
     * @throws IllegalStateException if they could not be written (at once, naming the cause), or
     *     did not come in time
     */
    public List<FitRun> runsOf(Model<?> model, Duration wait) {
        Objects.requireNonNull(model, "model");
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (true) {
                List<FitRun> found = runsByModel.get(model);
                if (found != null) {
                    return found;
                }
                String failed = failedByModel.get(model);
                if (failed != null) {
                    throw new IllegalStateException("model " + model.uid() + " has no run: " + failed);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no run of model " + model.uid() + " (" + model.getClass().getSimpleName()
                            + ") in " + dir + " after " + wait.toMillis() + " ms: Spark posts fit events for Pipeline.fit"
                            + " only (fit a bare estimator in a Pipeline, a tuner with fitTuning or logTuning), to"
                            + " listeners registered before the fit; or Spark's listener bus dropped the fit's events"
                            + " (its queue was full: the driver's log says 'Dropping event from queue'; raise"
                            + " spark.scheduler.listenerbus.eventqueue.capacity)");
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the run of model " + model.uid(), e);
                }
            }
        }
    }

    /**
     * @return the runs written so far, in the order written
     */
    public List<FitRun> runs() {
        synchronized (lock) {
            return List.copyOf(runs);
        }
    }

    /**
     * @return the run written last, or null if none was
     */
    public FitRun lastRun() {
        synchronized (lock) {
            return runs.isEmpty() ? null : runs.get(runs.size() - 1);
        }
    }

    /**
     * @return what could not be written or handled, each naming the fit and the cause
     */
    public List<String> failures() {
        synchronized (lock) {
            return List.copyOf(failures);
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    @Override
    public String toString() {
        return "CoxMLListener[" + dir + "]";
    }

    /** A fit between its FitStart and FitEnd. */
    private static final class OpenFit {
        final Estimator<?> estimator;
        final OpenFit parent;
        final boolean nested;
        final Instant start;
        final long startNanos;
        final Map<PipelineStage, Double> stageSeconds = new IdentityHashMap<>();

        OpenFit(Estimator<?> estimator, OpenFit parent, boolean nested, Instant start, long startNanos) {
            this.estimator = estimator;
            this.parent = parent;
            this.nested = nested;
            this.start = start;
            this.startNanos = startNanos;
        }
    }
}
