package cox.tribuo;

import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.example.GaussianLabelDataSource;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.impl.ListExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/** Seeded data and real Tribuo trainers for the tests and the example. */
final class TribuoData {
    private TribuoData() {
    }

    /** A train/test pair of datasets. */
    record Split<T extends org.tribuo.Output<T>>(MutableDataset<T> train, MutableDataset<T> test) {
    }

    /**
     * Tribuo's own generator: two Gaussian classes ("X", "O") in 2-d, {@code n} examples split
     * 70/30 by Tribuo's {@code TrainTestSplitter}.
     */
    static Split<Label> gaussianLabels(int n, long seed) {
        GaussianLabelDataSource source = new GaussianLabelDataSource(n, seed, new double[] {1, 1},
                new double[] {1, 0, 0, 1}, new double[] {-1, -1}, new double[] {1, 0, 0, 1});
        TrainTestSplitter<Label> split = new TrainTestSplitter<>(source, 0.7, seed);
        return new Split<>(new MutableDataset<>(split.getTrain()), new MutableDataset<>(split.getTest()));
    }

    /** Three classes ("blue", "green", "red") around three centres in 3-d, with noise. */
    static MutableDataset<Label> threeClasses(String description, int n, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        String[] labels = {"red", "green", "blue"};
        double[][] centres = {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}};
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(3);
            double[] x = new double[3];
            for (int d = 0; d < 3; d++) {
                x[d] = centres[c][d] + 1.2 * random.nextGaussian();
            }
            data.add(new ListExample<>(new Label(labels[c]), new String[] {"x0", "x1", "x2"}, x));
        }
        return data;
    }

    /** {@link #threeClasses} without the examples of {@code label}: a test set that lacks a class. */
    static MutableDataset<Label> threeClassesWithout(String label, String description, int n, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        for (org.tribuo.Example<Label> example : threeClasses(description, n, seed)) {
            if (!example.getOutput().getLabel().equals(label)) {
                data.add(example);
            }
        }
        return data;
    }

    /** Two outputs: "y", linear in 2 features plus noise, and "flat", always 0 (its variance is 0). */
    static MutableDataset<Regressor> oneFlatOutput(String description, int n, long seed) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian()};
            double y = 1 + x[0] - 2 * x[1] + 0.1 * random.nextGaussian();
            data.add(new ListExample<>(new Regressor(new String[] {"y", "flat"}, new double[] {y, 0.0}),
                    new String[] {"x0", "x1"}, x));
        }
        return data;
    }

    /** Two outputs ("price", "demand"), each linear in 3 features plus noise. */
    static MutableDataset<Regressor> twoOutputs(String description, int n, long seed) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            double price = 3 + 2 * x[0] - x[1] + 0.3 * random.nextGaussian();
            double demand = -1 + 0.5 * x[1] + 1.5 * x[2] + 0.3 * random.nextGaussian();
            Regressor y = new Regressor(new String[] {"price", "demand"}, new double[] {price, demand});
            data.add(new ListExample<>(y, new String[] {"x0", "x1", "x2"}, x));
        }
        return data;
    }

    /** Tribuo's logistic regression, seeded, with {@code epochs} epochs and AdaGrad at {@code lr}. */
    static Model<Label> logisticRegression(MutableDataset<Label> train, double lr, int epochs) {
        var trainer = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                new org.tribuo.classification.sgd.objectives.LogMulticlass(), new AdaGrad(lr, 0.1), epochs, 1000, 1, 7L);
        return trainer.train(train);
    }

    /** Tribuo's {@code LogisticRegressionTrainer} with its defaults (seeded). */
    static Model<Label> logisticRegression(MutableDataset<Label> train) {
        return new LogisticRegressionTrainer().train(train);
    }

    /** Tribuo's linear regression by SGD on the squared loss, seeded. */
    static Model<Regressor> linearRegression(MutableDataset<Regressor> train, int epochs) {
        return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), epochs, 11L).train(train);
    }
}
