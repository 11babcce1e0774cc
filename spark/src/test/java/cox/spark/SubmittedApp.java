package cox.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The application {@link ShadedJarIT} submits with {@code spark-submit --jars cox4j-spark-all.jar}:
 * reads a table of a cox folder and prints the row count and a GROUP BY over a parameter.
 */
public final class SubmittedApp {
    private SubmittedApp() {
    }

    /**
     * @param args the folder of runs
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("cox4j-submitted").getOrCreate();
        Dataset<Row> results = spark.read().format("cox").option("table", "results").option("metadata", "metadata")
                .load(args[0]);
        System.out.println("rows=" + results.count());
        for (Row r : results.groupBy("optimizer").count().orderBy("optimizer").collectAsList()) {
            System.out.println(r.getString(0) + "=" + r.getLong(1));
        }
        spark.stop();
    }
}
