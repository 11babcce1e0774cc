package cox.spark.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The application {@code ShadedJarIT} submits with {@code --conf
 * spark.extraListeners=cox.spark.ml.CoxMLListener} and the shaded jar: fits a pipeline, logs its
 * AUC into the listener's run, prints {@code run=EXP_ID} and {@code auc=VALUE}.
 */
public final class SubmittedMLApp {
    private SubmittedMLApp() {
    }

    /**
     * @param args none
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("cox4j-submitted-ml").getOrCreate();
        Random r = new Random(5);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double x = r.nextGaussian();
            rows.add(RowFactory.create(x, x + r.nextGaussian() > 0 ? 1.0 : 0.0));
        }
        Dataset<Row> data = spark.createDataFrame(rows,
                new StructType().add("x", DataTypes.DoubleType).add("label", DataTypes.DoubleType));
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("features"),
            new LogisticRegression().setMaxIter(4)});
        PipelineModel model = pipeline.fit(data);
        CoxMLListener cox = CoxMLListener.of(spark.sparkContext());
        FitRun run = cox.runOf(model);
        double auc = CoxML.logMetrics(run, new BinaryClassificationEvaluator(), model.transform(data));
        System.out.println("run=" + run.expId());
        System.out.println("auc=" + auc);
        spark.stop();
    }
}
