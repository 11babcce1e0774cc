package cox.tribuo;

import cox.store.ColumnType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMatrix;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.evaluation.Evaluation;

/**
 * The columns of a classification evaluation ({@link LabelEvaluation}), named after the method
 * of {@code LabelEvaluation} that gives each value, per label for every label of the confusion
 * matrix's domain sorted by name (a label the evaluated data lacks included). The only class of this module that names
 * tribuo-classification-core's types: it is loaded when a {@code LabelEvaluation} is logged, so
 * a user without classification needs nothing of it.
 */
final class LabelEvaluationColumns {
    /** The interface an evaluation must implement for these columns. */
    static final String INTERFACE = "org.tribuo.classification.evaluation.LabelEvaluation";

    private LabelEvaluationColumns() {
    }

    static void add(Row.Builder row, Evaluation<?> evaluation) {
        LabelEvaluation e = (LabelEvaluation) evaluation;
        row.add("accuracy", ColumnType.FLOAT, e.accuracy());
        row.add("balancedErrorRate", ColumnType.FLOAT, e.balancedErrorRate());
        row.add("macroAveragedPrecision", ColumnType.FLOAT, e.macroAveragedPrecision());
        row.add("macroAveragedRecall", ColumnType.FLOAT, e.macroAveragedRecall());
        row.add("macroAveragedF1", ColumnType.FLOAT, e.macroAveragedF1());
        row.add("microAveragedPrecision", ColumnType.FLOAT, e.microAveragedPrecision());
        row.add("microAveragedRecall", ColumnType.FLOAT, e.microAveragedRecall());
        row.add("microAveragedF1", ColumnType.FLOAT, e.microAveragedF1());
        ConfusionMatrix<Label> matrix = e.getConfusionMatrix();
        List<Label> labels = new ArrayList<>(matrix.getDomain().getDomain());
        labels.sort(Comparator.comparing(Label::getLabel));
        for (Label label : labels) {
            String name = label.getLabel();
            row.add("precision." + name, ColumnType.FLOAT, e.precision(label));
            row.add("recall." + name, ColumnType.FLOAT, e.recall(label));
            row.add("f1." + name, ColumnType.FLOAT, e.f1(label));
        }
        // {true label: {predicted label: count}} over every label of the domain, sorted by name, 0.0 for a
        // pair never seen: a row per true label, as Tribuo's ConfusionMatrix.toString prints it
        // (confusion(predicted, truth) is Tribuo's argument order)
        Map<String, Map<String, Double>> counts = new LinkedHashMap<>();
        for (Label truth : labels) {
            Map<String, Double> predicted = new LinkedHashMap<>();
            for (Label p : labels) {
                predicted.put(p.getLabel(), matrix.confusion(p, truth));
            }
            counts.put(truth.getLabel(), predicted);
        }
        row.add("confusionMatrix", ColumnType.OBJECT, counts);
    }
}
