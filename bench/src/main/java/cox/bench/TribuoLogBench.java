package cox.bench;

import cox.store.Store;
import cox.tribuo.CoxTribuo;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.example.GaussianDataSource;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * What {@code CoxTribuo.log} costs a Tribuo user per run: a model trained on Tribuo's own
 * generated data (1,000 examples, 70/30 split) and evaluated once on train and once on test,
 * logged with its provenance (about 50 metadata columns) and the two evaluations.
 * {@code log} times the call alone into a fresh, open store; {@code openLogClose} the whole run
 * as a user writes it (open a new store, log, close: store.h5 written). For scale, {@code train}
 * is Tribuo training the same model once. Sample mode: the median ({@code ·p0.50}) is the figure
 * to read on a shared machine.
 *
 * <pre>{@code
 * bench/run TribuoLogBench
 * }</pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TribuoLogBench {
    /** Tribuo's trainers log each training at INFO; held so the setting stays. */
    static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    /** The kind of model: LogisticRegressionTrainer or LinearSGDTrainer (squared loss). */
    @Param({"classification", "regression"})
    public String kind;

    Path dir;
    MutableDataset<?> train;
    Model<?> model;
    Evaluation<?>[] evaluations;

    @Setup(Level.Trial)
    public void trainAndEvaluate() {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        dir = BenchStores.tempDir();
        if (kind.equals("classification")) {
            GaussianLabelDataSource source = new GaussianLabelDataSource(1000, 1L, new double[] {1, 1},
                    new double[] {1, 0, 0, 1}, new double[] {-1, -1}, new double[] {1, 0, 0, 1});
            TrainTestSplitter<Label> split = new TrainTestSplitter<>(source, 0.7, 1L);
            MutableDataset<Label> tr = new MutableDataset<>(split.getTrain());
            MutableDataset<Label> te = new MutableDataset<>(split.getTest());
            Model<Label> m = new LogisticRegressionTrainer().train(tr);
            LabelEvaluator evaluator = new LabelEvaluator();
            train = tr;
            model = m;
            evaluations = new Evaluation<?>[] {evaluator.evaluate(m, tr), evaluator.evaluate(m, te)};
        } else {
            GaussianDataSource source = new GaussianDataSource(1000, 1f, 2f, 0.5f, -1f, 1f, 1L);
            TrainTestSplitter<Regressor> split = new TrainTestSplitter<>(source, 0.7, 1L);
            MutableDataset<Regressor> tr = new MutableDataset<>(split.getTrain());
            MutableDataset<Regressor> te = new MutableDataset<>(split.getTest());
            Model<Regressor> m = regressionTrainer().train(tr);
            RegressionEvaluator evaluator = new RegressionEvaluator();
            train = tr;
            model = m;
            evaluations = new Evaluation<?>[] {evaluator.evaluate(m, tr), evaluator.evaluate(m, te)};
        }
    }

    private static LinearSGDTrainer regressionTrainer() {
        return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 5, 1L);
    }

    /** A fresh, open store per call of {@link #log}: opening and closing it are not measured. */
    @State(Scope.Thread)
    public static class FreshStore {
        Path dir;
        Store store;

        @Setup(Level.Trial)
        public void folder() {
            dir = BenchStores.tempDir();
        }

        @Setup(Level.Invocation)
        public void open() {
            store = Store.open(dir);
        }

        @TearDown(Level.Invocation)
        public void close() {
            store.close();
            BenchStores.delete(store.path());
        }

        @TearDown(Level.Trial)
        public void delete() {
            BenchStores.delete(dir);
        }
    }

    @Benchmark
    public Store log(FreshStore fresh) {
        CoxTribuo.log(fresh.store, model, evaluations);
        return fresh.store;
    }

    @Benchmark
    public Path openLogClose() {
        try (Store run = Store.open(dir)) {
            CoxTribuo.log(run, model, evaluations);
            return run.path();
        }
    }

    @SuppressWarnings("unchecked")
    @Benchmark
    public Model<?> train() {
        if (kind.equals("classification")) {
            return new LogisticRegressionTrainer().train((MutableDataset<Label>) train);
        }
        return regressionTrainer().train((MutableDataset<Regressor>) train);
    }

    @TearDown(Level.Trial)
    public void deleteRuns() {
        BenchStores.delete(dir);
    }
}
