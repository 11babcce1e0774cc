package cox.spark.ml;

import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Logging Spark ML fits with cox4j: a pipeline fit (one run, its test AUC logged) and a
 * cross-validated sweep over 2 x 2 parameters (four runs), into the folder of the first argument
 * (default {@code spark-ml-runs}). Run by {@code CoxMLListenerTest}; then {@code cox ls DIR}.
 */
public final class SparkMLExample {
    private SparkMLExample() {
    }

    /**
     * @param args the folder to write the runs to
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("cox4j Spark ML example")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            run(spark, Path.of(args.length > 0 ? args[0] : "spark-ml-runs"));
        } finally {
            spark.stop();
        }
    }

    /** The example: returns the listener, its runs written. */
    static CoxMLListener run(SparkSession spark, Path dir) {
        CoxMLListener cox = new CoxMLListener(dir);
        spark.sparkContext().addSparkListener(cox);
        try {
            Dataset<Row>[] split = MLData.classification(spark, 200, 7).randomSplit(new double[] {0.75, 0.25}, 7);
            Dataset<Row> train = split[0];
            Dataset<Row> test = split[1];
            VectorAssembler features = new VectorAssembler()
                    .setInputCols(new String[] {"x1", "x2", "x3"}).setOutputCol("features");
            LogisticRegression lr = new LogisticRegression().setMaxIter(5).setRegParam(0.01);
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {features, lr});
            BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();

            PipelineModel model = pipeline.fit(train);                              // one run
            double testAuc = CoxML.logMetrics(cox.runOf(model), auc, model.transform(test));
            System.out.printf("pipeline: run %s, test areaUnderROC %.4f%n", cox.runOf(model).expId(), testAuc);

            ParamMap[] grid = new ParamGridBuilder()
                    .addGrid(lr.regParam(), new double[] {0.01, 0.3})
                    .addGrid(lr.elasticNetParam(), new double[] {0.0, 1.0})
                    .build();
            CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEvaluator(auc)
                    .setEstimatorParamMaps(grid).setNumFolds(2).setSeed(7).setParallelism(2);
            CrossValidatorModel cvModel = cox.fitTuning(cv, train);                 // one run per map
            for (FitRun run : cox.runsOf(cvModel)) {
                System.out.println("cross-validation: run " + run.expId());
            }
            System.out.println("best: run " + cox.runOf(cvModel.bestModel()).expId());
            return cox;
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }
}
