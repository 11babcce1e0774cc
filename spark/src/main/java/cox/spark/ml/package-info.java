/**
 * Spark ML runs as cox runs: {@link cox.spark.ml.CoxMLListener}, a {@code SparkListener} that
 * turns Spark's {@code FitStart}/{@code FitEnd} events into one run per {@code Pipeline} fit;
 * {@link cox.spark.ml.CoxMLListener#fitTuning} one run per parameter map of a
 * {@code CrossValidator} or {@code TrainValidationSplit}, and
 * {@link cox.spark.ml.CoxMLListener#logTuning} the same from the model of a plain tuning fit;
 * {@link cox.spark.ml.CoxML#logMetrics} for evaluator metrics. Spark ML ({@code spark-mllib}) is
 * {@code provided}, as Spark SQL is.
 */
package cox.spark.ml;
