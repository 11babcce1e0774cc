package cox.spark.ml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;

/**
 * Metrics of Spark ML evaluators into the run of a fit ({@link CoxMLListener#runOf}).
 *
 * <pre>{@code
 * double auc = CoxML.logMetrics(cox.runOf(model), new BinaryClassificationEvaluator(), model.transform(test));
 * }</pre>
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
