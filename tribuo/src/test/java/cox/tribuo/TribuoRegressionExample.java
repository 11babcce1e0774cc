package cox.tribuo;

import cox.readers.CollectionReader;
import cox.store.Store;
import java.nio.file.Path;
import java.util.Random;
import org.dflib.DataFrame;
import org.dflib.Printers;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ListExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * A regression run logged with {@link CoxTribuo#log}: Tribuo's linear regression by SGD on seeded
 * data, evaluated on its training and a held-out set. Uses only tribuo-regression (no
 * classification module), which its test checks.
 *
 * <pre>
 * java -cp ... cox.tribuo.TribuoRegressionExample [RUNS_DIR]      # default ./tribuo-regression-runs
 * </pre>
 */
public final class TribuoRegressionExample {
    private TribuoRegressionExample() {
    }

    /**
     * Trains, logs one run and prints its results table.
     *
     * @param args the folder of the runs (default {@code tribuo-regression-runs})
     */
    public static void main(String[] args) {
        Path runs = Path.of(args.length > 0 ? args[0] : "tribuo-regression-runs");
        MutableDataset<Regressor> train = data("train", 300, 1L);
        MutableDataset<Regressor> test = data("test", 100, 2L);
        Model<Regressor> model = new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 5, 11L).train(train);
        RegressionEvaluator evaluator = new RegressionEvaluator();
        try (Store store = Store.open(runs)) {
            CoxTribuo.log(store, model, evaluator.evaluate(model, train), evaluator.evaluate(model, test));
        }
        DataFrame df = CollectionReader.open(runs).df("results")
                .cols("exp_id", "evaluation", "averageRMSE", "r2.price").select();
        System.out.println(Printers.tabular(df.height(), 40).toString(df));
    }

    /** "price", linear in 2 features plus noise. */
    private static MutableDataset<Regressor> data(String description, int n, long seed) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory), factory);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian()};
            double price = 3 + 2 * x[0] - x[1] + 0.3 * random.nextGaussian();
            data.add(new ListExample<>(new Regressor("price", price), new String[] {"x0", "x1"}, x));
        }
        return data;
    }
}
