package cox.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import cox.djl.CoxTrainingListener;
import cox.store.Store;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * What {@link CoxTrainingListener} costs a DJL training run (PyTorch engine, CPU; an MLP of 100
 * inputs, a hidden layer, 1 output, trained by SGD on generated data in batches of 32).
 *
 * <ul>
 * <li>{@code fitOneEpoch}: one epoch of {@code EasyTrain.fit} (16 training and 4 validation
 * batches, hidden layer 64) without the listener ({@code logging=none}), with it at its default
 * (a results row and a store sync per epoch: {@code epochs}) and logging every batch too
 * ({@code batches}); the listener's cost per epoch is the difference.</li>
 * <li>{@code callback}: one listener callback alone, on a trainer and a real batch: {@code
 * epoch} (the results row, TensorBoard scalars and {@code store.sync()}), {@code
 * epochWithoutSync} (the same with {@code syncEachEpoch(false)}), {@code epochWithParameters}
 * (the first plus the parameters saved as a PYTORCH_STATE cell; hidden 64: 6,529 parameters,
 * hidden 2048: 208,897), {@code loggedBatch} (the batch's loss and L1 evaluated
 * on its predictions, a batches row, TensorBoard scalars) and {@code unloggedBatch} (a batch
 * {@code logBatchesEvery} skips).</li>
 * </ul>
 *
 * <pre>{@code
 * bench/run DjlListenerBench
 * }</pre>
 *
 * DJL runs offline with one PyTorch thread and extracts libtorch under the temporary folder (not
 * {@code ~/.djl.ai}).
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DjlListenerBench {
    static final int FEATURES = 100;
    static final int BATCH = 32;

    /**
     * DJL offline, its native libraries under the temporary folder, one PyTorch intra-op thread
     * (on a small shared machine two threads make an epoch's time vary tenfold); before DJL loads
     * its engine.
     */
    static void offlineDjl() {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("DJL_CACHE_DIR") == null) {
            String dir = Path.of(System.getProperty("java.io.tmpdir"), "cox4j-bench-djl-cache").toString();
            System.setProperty("DJL_CACHE_DIR", dir);
            System.setProperty("ENGINE_CACHE_DIR", dir);
        }
    }

    static Model mlp(int hidden) {
        Model model = Model.newInstance("mlp");
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(1).build()));
        return model;
    }

    static DefaultTrainingConfig config() {
        return new DefaultTrainingConfig(Loss.l2Loss())
                .addEvaluator(Loss.l1Loss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                .addTrainingListeners(TrainingListener.Defaults.basic());
    }

    static ArrayDataset data(NDManager manager, Random random, int rows) {
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian();
                y[i] += x[i * FEATURES + j] * (j % 3 - 1) / 10f;
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(rows, FEATURES)))
                .optLabels(manager.create(y, new Shape(rows, 1)))
                .setSampling(BATCH, false)
                .build();
    }

    /** A training with or without the listener, one epoch per benchmark call. */
    @State(Scope.Benchmark)
    public static class Fit {
        @Param({"none", "epochs", "batches"})
        public String logging;

        Path dir;
        Store store;
        NDManager manager;
        Model model;
        Trainer trainer;
        ArrayDataset train;
        ArrayDataset validate;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            offlineDjl();
            Engine.getInstance().setRandomSeed(7);
            dir = BenchStores.tempDir();
            manager = NDManager.newBaseManager();
            model = mlp(64);
            Random random = new Random(7);
            train = data(manager, random, 16 * BATCH);
            validate = data(manager, random, 4 * BATCH);
            DefaultTrainingConfig config = config();
            if (!logging.equals("none")) {
                store = Store.open(dir, "bench");
                config.addTrainingListeners(new CoxTrainingListener(store).logBatchesEvery(logging.equals("batches") ? 1 : 0));
            }
            trainer = model.newTrainer(config);
            trainer.initialize(new Shape(BATCH, FEATURES));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            model.close();
            manager.close();
            if (store != null) {
                store.close();
            }
            BenchStores.delete(dir);
        }
    }

    /** One epoch of training. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void fitOneEpoch(Fit f) throws Exception {
        EasyTrain.fit(f.trainer, 1, f.train, f.validate);
    }

    /** A listener on a trainer, and a real batch with its predictions, for the callbacks alone. */
    @State(Scope.Benchmark)
    public static class Callbacks {
        @Param({"epoch", "epochWithoutSync", "epochWithParameters", "loggedBatch", "unloggedBatch"})
        public String callback;

        @Param({"64", "2048"})
        public int hidden;

        Path dir;
        Store store;
        NDManager manager;
        Model model;
        Trainer trainer;
        CoxTrainingListener listener;
        TrainingListener.BatchData data;
        Batch batch;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            offlineDjl();
            Engine.getInstance().setRandomSeed(7);
            dir = BenchStores.tempDir();
            store = Store.open(dir, "bench");
            manager = NDManager.newBaseManager();
            model = mlp(hidden);
            listener = new CoxTrainingListener(store)
                    .logBatchesEvery(callback.equals("loggedBatch") ? 1 : callback.equals("unloggedBatch") ? 1_000_000_000 : 0)
                    .saveParametersEvery(callback.equals("epochWithParameters") ? 1 : 0)
                    .syncEachEpoch(!callback.equals("epochWithoutSync"));
            trainer = model.newTrainer(config().addTrainingListeners(listener));
            trainer.initialize(new Shape(BATCH, FEATURES));
            batch = trainer.iterateDataset(data(manager, new Random(7), BATCH)).iterator().next();
            NDList predictions = trainer.forward(batch.getData());
            Device device = trainer.getDevices()[0];
            data = new TrainingListener.BatchData(batch, Map.of(device, batch.getLabels()), Map.of(device, predictions));
            listener.onTrainingBatch(trainer, data); // the metadata row, written on the first batch
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            batch.close();
            trainer.close();
            model.close();
            manager.close();
            store.close();
            BenchStores.delete(dir);
        }
    }

    /** One callback of the listener. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void callback(Callbacks c) {
        if (c.callback.startsWith("epoch")) {
            c.listener.onEpoch(c.trainer);
        } else {
            c.listener.onTrainingBatch(c.trainer, c.data);
        }
    }
}
