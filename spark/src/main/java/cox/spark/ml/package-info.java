/**
 * Spark ML runs as cox runs: {@link cox.spark.ml.CoxMLListener}, a {@code SparkListener} that
 * turns Spark's {@code FitStart}/{@code FitEnd} events into one run per fit (and
 * {@link cox.spark.ml.CoxMLListener#fitTuning} one run per parameter map of a
 * {@code CrossValidator}), and {@link cox.spark.ml.CoxML#logMetrics} for evaluator metrics. Spark
 * ML ({@code spark-mllib}) is {@code provided}, as Spark SQL is.
 */
package cox.spark.ml;
