package cox.spark.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Seeded generated data for the Spark ML tests and example. */
final class MLData {
    private MLData() {
    }

    /**
     * {@code n} rows of columns {@code x1, x2, x3} (Gaussian) and {@code label}: 1.0 where
     * {@code 1.5 x1 - 2 x2 + 0.5 x3 + noise > 0}, else 0.0; one partition, so that every split
     * and fold is the same in every run.
     */
    static Dataset<Row> classification(SparkSession spark, int n, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            double x3 = r.nextGaussian();
            double label = 1.5 * x1 - 2 * x2 + 0.5 * x3 + r.nextGaussian() > 0 ? 1.0 : 0.0;
            rows.add(RowFactory.create(x1, x2, x3, label));
        }
        StructType schema = new StructType()
                .add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
                .add("x3", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).coalesce(1);
    }
}
