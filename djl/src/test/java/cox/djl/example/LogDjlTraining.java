package cox.djl.example;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import cox.djl.CoxTrainingListener;
import cox.store.Store;
import java.nio.file.Path;
import java.util.Random;

/**
 * Example: a DJL training run logged as a cox run. Trains a small MLP on generated data with
 * DJL's PyTorch engine for 3 epochs and logs it with {@link CoxTrainingListener} into a new run
 * under the folder given as the first argument (default {@code runs}), then prints the run's
 * folder and its {@code results} table. Python reads it as any cox run:
 * {@code pandas.read_hdf(RUN + "/store.h5", "results")}.
 */
public final class LogDjlTraining {
    private LogDjlTraining() {
    }

    /**
     * Runs the example.
     *
     * @param args the storage folder (default {@code runs})
     * @throws Exception if the training fails
     */
    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args.length > 0 ? args[0] : "runs");
        int seed = 7;
        Engine.getInstance().setRandomSeed(seed);
        try (Store store = Store.open(runs);              // the caller's store: closed here, after the trainer
             NDManager manager = NDManager.newBaseManager();
             Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(1).build()));
            Random random = new Random(seed);
            ArrayDataset train = data(manager, random, 256);
            ArrayDataset validate = data(manager, random, 64);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .addEvaluator(Loss.l1Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(new CoxTrainingListener(store)   // one store, one run
                            .param("seed", seed)                           // your own metadata columns
                            .param("dataset", "y = 2 x0 - x1 + noise")
                            .logBatchesEvery(4)                            // optional: table batches
                            .saveParametersEvery(1));                      // optional: weights after every epoch
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 2));
                EasyTrain.fit(trainer, 3, train, validate);
            } // Trainer.close() calls onTrainingEnd: the final weights are saved (here, those of epoch 3 already)
            System.out.println("logged run " + store.path());
            System.out.println(store.table("results").df());
        }
    }

    private static ArrayDataset data(NDManager manager, Random random, int rows) {
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[2 * i] = (float) random.nextGaussian();
            x[2 * i + 1] = (float) random.nextGaussian();
            y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.1f * (float) random.nextGaussian();
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(rows, 2)))
                .optLabels(manager.create(y, new Shape(rows, 1)))
                .setSampling(32, true)
                .build();
    }
}
