package cox.tribuo;

import cox.store.ColumnType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;

/**
 * The columns of a regression evaluation ({@link RegressionEvaluation}), named after the method
 * of {@code RegressionEvaluation} that gives each value: the averages over the output dimensions
 * (Tribuo's macro average), then each dimension's values, the dimensions sorted by name as
 * strings ({@code "x10"} before {@code "x2"}). The only class of this module that
 * names tribuo-regression-core's types, loaded only when a {@code RegressionEvaluation} is logged.
 */
final class RegressionEvaluationColumns {
    /** The interface an evaluation must implement for these columns. */
    static final String INTERFACE = "org.tribuo.regression.evaluation.RegressionEvaluation";

    private RegressionEvaluationColumns() {
    }

    static void add(Row.Builder row, Evaluation<?> evaluation) {
        RegressionEvaluation e = (RegressionEvaluation) evaluation;
        row.add("averageRMSE", ColumnType.FLOAT, e.averageRMSE());
        row.add("averageMAE", ColumnType.FLOAT, e.averageMAE());
        row.add("averageR2", ColumnType.FLOAT, e.averageR2());
        row.add("averagedExplainedVariance", ColumnType.FLOAT, e.averagedExplainedVariance());
        Map<Regressor, Double> rmse = e.rmse();
        Map<Regressor, Double> mae = e.mae();
        Map<Regressor, Double> r2 = e.r2();
        Map<Regressor, Double> explained = e.explainedVariance();
        List<Regressor> dimensions = new ArrayList<>(rmse.keySet());
        dimensions.sort(Comparator.comparing(RegressionEvaluationColumns::name));
        for (Regressor dimension : dimensions) {
            String name = name(dimension);
            row.add("rmse." + name, ColumnType.FLOAT, rmse.get(dimension));
            row.add("mae." + name, ColumnType.FLOAT, mae.get(dimension));
            row.add("r2." + name, ColumnType.FLOAT, r2.get(dimension));
            row.add("explainedVariance." + name, ColumnType.FLOAT, explained.get(dimension));
        }
    }

    /** A dimension's name: Tribuo keys the per-dimension maps by a one-dimensional regressor. */
    private static String name(Regressor dimension) {
        return String.join(",", dimension.getNames());
    }
}
