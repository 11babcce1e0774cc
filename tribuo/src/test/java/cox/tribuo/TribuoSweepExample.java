package cox.tribuo;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.Store;
import java.nio.file.Path;
import org.dflib.DataFrame;
import org.dflib.Printers;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The README's example: a sweep of three learning rates of Tribuo's logistic regression (a
 * {@code LinearSGDTrainer} on the log loss, as {@code LogisticRegressionTrainer} is), each run
 * logged into its own store with {@link CoxTribuo#log}, then compared with a
 * {@link CollectionReader}. Uses only tribuo-classification (no regression module).
 *
 * <pre>
 * java -cp ... cox.tribuo.TribuoSweepExample [RUNS_DIR]      # default ./tribuo-runs
 * </pre>
 */
public final class TribuoSweepExample {
    private TribuoSweepExample() {
    }

    /**
     * Trains and logs the sweep, then prints each run's learning rate beside its metrics.
     *
     * @param args the folder of the runs (default {@code tribuo-runs})
     */
    public static void main(String[] args) {
        Path runs = Path.of(args.length > 0 ? args[0] : "tribuo-runs");
        // Tribuo's own generator: two Gaussian classes, 70/30 train/test split, seeded
        GaussianLabelDataSource source = new GaussianLabelDataSource(400, 42L, new double[] {1, 1},
                new double[] {1, 0, 0, 1}, new double[] {-1, -1}, new double[] {1, 0, 0, 1});
        TrainTestSplitter<Label> split = new TrainTestSplitter<>(source, 0.7, 42L);
        MutableDataset<Label> train = new MutableDataset<>(split.getTrain());
        MutableDataset<Label> test = new MutableDataset<>(split.getTest());
        LabelEvaluator evaluator = new LabelEvaluator();
        for (double lr : new double[] {0.01, 0.1, 1.0}) {
            LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(lr, 0.1), 3, 1000, 1, 7L);
            Model<Label> model = trainer.train(train);
            try (Store store = Store.open(runs)) {
                CoxTribuo.to(store).param("sweep", "learning-rate")
                        .log(model, evaluator.evaluate(model, train), evaluator.evaluate(model, test));
            }
        }
        DataFrame df = CollectionReader.open(runs).df("results", DfOptions.defaults().metadataTable("metadata"))
                .cols("exp_id", "trainer.optimiser.initialLearningRate", "evaluation", "accuracy", "macroAveragedF1")
                .select()
                .sort("trainer.optimiser.initialLearningRate", true);
        System.out.println(Printers.tabular(df.height(), 40).toString(df));
    }
}
