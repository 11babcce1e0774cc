package cox.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;

/**
 * The training the tests log: a small MLP ({@code Linear(8), relu, Linear(1)} in a
 * {@code SequentialBlock}, as {@code torch.nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 1))})
 * trained with DJL's PyTorch engine by SGD with momentum on a seeded synthetic regression
 * ({@code y = x . (1, -2, 3, 0.5) + 0.25 + noise}), L2 loss plus an L1 loss as a second evaluator,
 * a validation set, batches of 16 in a fixed order.
 */
final class MlpTraining {
    static final int FEATURES = 4;
    static final int BATCH = 16;
    static final int TRAIN_ROWS = 96;
    static final int VALIDATE_ROWS = 32;
    static final float LEARNING_RATE = 0.05f;
    static final float MOMENTUM = 0.9f;
    /** The fixed input whose predictions Java and torch must agree on. */
    static final float[][] FIXED_INPUT = {{0.5f, -1f, 2f, 0f}, {-1.5f, 0.25f, 0f, 1f}, {3f, 2f, -1f, -0.5f}};

    /**
     * What DJL reported: each epoch's TrainingResult (a copy: DJL's shares one map of evaluations
     * between them), the last, each batch's loss, the trained parameters (DJL's names) and the
     * predictions for {@link #FIXED_INPUT}.
     */
    record Outcome(List<TrainingResult> epochs, TrainingResult last, List<Float> batchLosses,
            Map<String, float[]> parameters, Map<String, long[]> shapes, float[] predictions) {
    }

    private MlpTraining() {
    }

    /**
     * Trains {@code epochs} epochs with {@code cox} added after DJL's default listeners, or before
     * them with {@code coxFirst}.
     */
    static Outcome train(CoxTrainingListener cox, boolean coxFirst, int epochs) throws Exception {
        return train(cox, coxFirst, epochs, true);
    }

    /** As {@link #train(CoxTrainingListener, boolean, int)}; without {@code djlDefaults}, none of DJL's listeners. */
    static Outcome train(CoxTrainingListener cox, boolean coxFirst, int epochs, boolean djlDefaults) throws Exception {
        return train(cox, coxFirst, epochs, djlDefaults, true);
    }

    /** As {@link #train(CoxTrainingListener, boolean, int, boolean)}; without {@code validation}, no validation set. */
    static Outcome train(CoxTrainingListener cox, boolean coxFirst, int epochs, boolean djlDefaults, boolean validation)
            throws Exception {
        return train(cox, coxFirst, epochs, djlDefaults, validation, 0);
    }

    /**
     * As {@link #train(CoxTrainingListener, boolean, int, boolean, boolean)}; with {@code failAtBatch}
     * above 0, the training set throws an {@link IllegalStateException} when asked for that batch
     * (1-based, counted over the run), after the batches before it were trained on.
     */
    static Outcome train(CoxTrainingListener cox, boolean coxFirst, int epochs, boolean djlDefaults, boolean validation,
            int failAtBatch) throws Exception {
        Engine.getInstance().setRandomSeed(7);
        List<TrainingResult> results = new ArrayList<>();
        List<Float> batchLosses = new ArrayList<>();
        // after DJL's listeners: sees each epoch's TrainingResult as EasyTrain's caller would
        TrainingListener probe = new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                TrainingResult r = trainer.getTrainingResult();
                TrainingResult copy = new TrainingResult();
                copy.setEpoch(r.getEpoch());
                copy.setEvaluations(new LinkedHashMap<>(r.getEvaluations()));
                results.add(copy);
            }

            @Override
            public void onTrainingBatch(Trainer trainer, BatchData data) {
                float sum = 0;
                long n = 0;
                for (Map.Entry<Device, NDList> e : data.getLabels().entrySet()) {
                    NDArray l = trainer.getLoss().evaluate(e.getValue(), data.getPredictions().get(e.getKey()));
                    long size = e.getValue().head().getShape().get(0);
                    sum += l.getFloat() * size;
                    n += size;
                }
                batchLosses.add(sum / n);
            }
        };
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(1).build()));
            Random random = new Random(7);
            Dataset train = failAtBatch > 0 ? new FailingDataset(dataset(manager, random, TRAIN_ROWS), failAtBatch)
                    : dataset(manager, random, TRAIN_ROWS);
            ArrayDataset validate = dataset(manager, random, VALIDATE_ROWS);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .addEvaluator(Loss.l1Loss())
                    .optOptimizer(Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(LEARNING_RATE))
                            .optMomentum(MOMENTUM)
                            .optWeightDecays(1e-4f)
                            .build());
            if (!djlDefaults) {
                config.addTrainingListeners(cox);
            } else if (coxFirst) {
                config.addTrainingListeners(cox).addTrainingListeners(TrainingListener.Defaults.basic());
            } else {
                config.addTrainingListeners(TrainingListener.Defaults.basic()).addTrainingListeners(cox);
            }
            config.addTrainingListeners(probe);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, FEATURES));
                EasyTrain.fit(trainer, epochs, train, validation ? validate : null);
                Map<String, float[]> parameters = new LinkedHashMap<>();
                Map<String, long[]> shapes = new LinkedHashMap<>();
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    parameters.put(p.getKey(), p.getValue().getArray().toFloatArray());
                    shapes.put(p.getKey(), p.getValue().getShape().getShape());
                }
                float[] flat = new float[FIXED_INPUT.length * FEATURES];
                for (int i = 0; i < FIXED_INPUT.length; i++) {
                    System.arraycopy(FIXED_INPUT[i], 0, flat, i * FEATURES, FEATURES);
                }
                float[] predictions;
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.create(flat, new Shape(FIXED_INPUT.length, FEATURES));
                    predictions = trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
                }
                return new Outcome(results, trainer.getTrainingResult(), batchLosses, parameters, shapes, predictions);
            }
        }
    }

    /** A dataset that throws when asked for its {@code failAt}-th batch, counted over all its iterations. */
    private static final class FailingDataset implements Dataset {
        private final Dataset inner;
        private final int failAt;
        private int served;

        FailingDataset(Dataset inner, int failAt) {
            this.inner = inner;
            this.failAt = failAt;
        }

        @Override
        public Iterable<Batch> getData(NDManager manager) throws IOException, TranslateException {
            return failing(inner.getData(manager));
        }

        @Override
        public Iterable<Batch> getData(NDManager manager, ExecutorService executor) throws IOException, TranslateException {
            return failing(inner.getData(manager, executor));
        }

        private Iterable<Batch> failing(Iterable<Batch> batches) {
            return () -> {
                Iterator<Batch> it = batches.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Batch next() {
                        if (++served == failAt) {
                            throw new IllegalStateException("the training set fails at batch " + failAt);
                        }
                        return it.next();
                    }
                };
            };
        }

        @Override
        public void prepare(Progress progress) throws IOException, TranslateException {
            inner.prepare(progress);
        }
    }

    private static ArrayDataset dataset(NDManager manager, Random random, int rows) {
        float[] w = {1f, -2f, 3f, 0.5f};
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            float s = 0.25f;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian();
                s += w[j] * x[i * FEATURES + j];
            }
            y[i] = s + 0.1f * (float) random.nextGaussian();
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(rows, FEATURES)))
                .optLabels(manager.create(y, new Shape(rows, 1)))
                .setSampling(BATCH, false)
                .build();
    }
}
