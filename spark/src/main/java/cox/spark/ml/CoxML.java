package cox.spark.ml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;

/**
 * Metrics of Spark ML evaluators into the run of a fit ({@link CoxMLListener#runOf}), in its
 * {@code results} table, each column named by the evaluator's {@code metricName}, with a prefix
 * saying on what data if one is given.
 *
 * <pre>{@code
 * double auc = CoxML.logMetrics(cox.runOf(model), "test", new BinaryClassificationEvaluator(), model.transform(test));
 * }</pre>
 * Each call opens, writes and closes the run's store.
 */
public final class CoxML {
    private CoxML() {
    }

    /**
     * Evaluates {@code predictions} with {@code evaluator} ({@code evaluator.evaluate(predictions)},
     * once) and appends the value to the run's {@code results} table, in a column named by the
     * evaluator's {@code metricName} ({@code areaUnderROC}, {@code accuracy}, {@code rmse}: the
     * metric it is configured for; {@code Binary/MulticlassClassificationEvaluator},
     * {@code RegressionEvaluator}, {@code ClusteringEvaluator}...), or by its class's simple name
     * if it has no {@code metricName}. The run's store is opened, written and closed.
     *
     * @param run the run of the fit, from {@link CoxMLListener#runOf}
     * @param evaluator the evaluator
     * @param predictions the model's output ({@code model.transform(test)})
     * @return the value, as {@code evaluator.evaluate(predictions)}
     * @throws IllegalArgumentException if the run's {@code results} has other columns (naming both)
     * @throws cox.exceptions.StoreException if the run cannot be opened (missing, or open for
     *     writing elsewhere)
     */
    public static double logMetrics(FitRun run, Evaluator evaluator, Dataset<?> predictions) {
        return logMetrics(run, predictions, evaluator).values().iterator().next();
    }

    /**
     * As {@link #logMetrics(FitRun, Evaluator, Dataset)}, the column named
     * {@code <prefix>_<metricName>}: {@code logMetrics(run, "test", evaluator, model.transform(test))}
     * writes {@code test_areaUnderROC}, as a tuning run's metric is {@code avg_areaUnderROC}
     * ({@code CrossValidator}) or {@code validation_areaUnderROC} ({@code TrainValidationSplit}).
     *
     * @param run the run of the fit, from {@link CoxMLListener#runOf}
     * @param prefix what the data is ({@code test}, {@code train}); not empty
     * @param evaluator the evaluator
     * @param predictions the model's output
     * @return the value, as {@code evaluator.evaluate(predictions)}
     * @throws IllegalArgumentException for an empty prefix, or if the run's {@code results} has
     *     other columns (naming both)
     */
    public static double logMetrics(FitRun run, String prefix, Evaluator evaluator, Dataset<?> predictions) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("logMetrics of run " + run.path() + ": the prefix is empty (give e.g. \"test\", or none)");
        }
        Objects.requireNonNull(predictions, "predictions");
        String name = prefix + "_" + metricName(Objects.requireNonNull(evaluator, "evaluator"));
        double value = evaluator.evaluate(predictions);
        RunFiles.appendResults(run, Map.of(name, value));
        return value;
    }

    /**
     * Evaluates {@code predictions} with each evaluator and appends one row of all their values to
     * the run's {@code results} table, each in a column named by its {@code metricName}.
     *
     * @param run the run of the fit, from {@link CoxMLListener#runOf}
     * @param predictions the model's output ({@code model.transform(test)})
     * @param evaluators at least one evaluator, of different metric names
     * @return the metric names to their values, in the evaluators' order
     * @throws IllegalArgumentException for no evaluator, two of one metric name, or a
     *     {@code results} table of other columns
     */
    public static Map<String, Double> logMetrics(FitRun run, Dataset<?> predictions, Evaluator... evaluators) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(predictions, "predictions");
        if (evaluators.length == 0) {
            throw new IllegalArgumentException("logMetrics of run " + run.path() + " needs at least one evaluator");
        }
        Map<String, Double> row = new LinkedHashMap<>();
        for (Evaluator e : evaluators) {
            String name = metricName(Objects.requireNonNull(e, "evaluator"));
            if (row.containsKey(name)) {
                throw new IllegalArgumentException("two evaluators of metric '" + name + "' for run " + run.path()
                        + ": each column of results holds one metric");
            }
            row.put(name, e.evaluate(predictions));
        }
        RunFiles.appendResults(run, row);
        return row;
    }

    /** The evaluator's {@code metricName}, or its class's simple name. */
    static String metricName(Evaluator evaluator) {
        if (evaluator.hasParam("metricName")) {
            Param<Object> p = evaluator.getParam("metricName");
            if (evaluator.isDefined(p)) {
                return String.valueOf(evaluator.getOrDefault(p));
            }
        }
        return evaluator.getClass().getSimpleName();
    }
}
