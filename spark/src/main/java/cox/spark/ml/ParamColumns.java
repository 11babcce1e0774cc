package cox.spark.ml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The parameters of Spark ML stages as metadata columns named {@code StageClass.param}
 * ({@code LogisticRegression.regParam}): the class's simple name, not the stage's uid, which is
 * random in every process, so that the runs of a sweep share their columns. A second stage of
 * the same class is {@code StageClass_2}, a third {@code StageClass_3}, in pipeline order.
 *
 * <p>Values: whole numbers are INT (Long), Float and Double FLOAT, Boolean BOOL, String STR;
 * anything else (arrays, vectors, matrices) is STR holding the param's JSON
 * ({@code Param.jsonEncode}, the text Spark's {@code MLWriter} saves), or {@code toString()}
 * where Spark has no JSON for it. Params whose values are stages, evaluators or param maps
 * (a {@code Pipeline}'s {@code stages}, a {@code CrossValidator}'s {@code estimator}) are left
 * out: they are logged as stages of their own.
 */
final class ParamColumns {
    /** Column names of stages, by stage (identity), with the uid → prefix map for param maps. */
    private final Map<Params, String> prefixes = new IdentityHashMap<>();
    private final Map<String, String> prefixByUid = new HashMap<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final Map<String, Object> columns = new LinkedHashMap<>();
    private final List<String> stageNames = new ArrayList<>();

    /**
     * Adds a stage's (or evaluator's, or tuner's) parameters, explicit and default.
     *
     * @param stage whose params name the columns and give the values not in {@code fitted}
     * @param fitted the model fitted from {@code stage}, or null: its value of a param the stage
     *     also has wins (the model copied it when it was fitted, so a change to the estimator
     *     made after the fit does not show)
     * @return the column prefix of the stage
     */
    String add(Params stage, Params fitted) {
        return add(stage, fitted, stage.getClass().getSimpleName());
    }

    /**
     * As {@link #add(Params, Params)}, the columns named for {@code simple} rather than the
     * stage's class ({@code CrossValidator} for a {@code CrossValidatorModel}'s params).
     */
    String add(Params stage, Params fitted, String simple) {
        int n = seen.merge(simple, 1, Integer::sum);
        String prefix = n == 1 ? simple : simple + "_" + n;
        prefixes.put(stage, prefix);
        prefixByUid.putIfAbsent(stage.uid(), prefix);
        stageNames.add(prefix);
        for (Param<?> p : stage.params()) {
            Object value = null;
            if (fitted != null && fitted != stage && fitted.hasParam(p.name())) {
                Param<Object> q = fitted.getParam(p.name());
                if (fitted.isDefined(q)) {
                    value = fitted.getOrDefault(q);
                }
            }
            if (value == null && stage.isDefined(p)) {
                value = stage.getOrDefault(p);
            }
            if (value == null || isStructural(value)) {
                continue;
            }
            columns.put(prefix + "." + p.name(), cell(p, value));
        }
        return prefix;
    }

    /**
     * Adds every stage of a pipeline (nested pipelines flattened in order) or the single stage.
     *
     * @param estimator a {@code Pipeline} or any other stage
     * @param fittedStages the fitted pipeline's stages in the same order (a {@code PipelineModel}'s
     *     {@code stages()}), or null
     */
    void addStages(PipelineStage estimator, PipelineStage[] fittedStages) {
        if (estimator instanceof Pipeline p) {
            PipelineStage[] stages = p.getStages();
            for (int i = 0; i < stages.length; i++) {
                PipelineStage fitted = fittedStages != null && i < fittedStages.length ? fittedStages[i] : null;
                if (stages[i] instanceof Pipeline) {
                    addStages(stages[i], fitted instanceof org.apache.spark.ml.PipelineModel pm ? pm.stages() : null);
                } else {
                    add(stages[i], fitted);
                }
            }
        } else {
            add(estimator, fittedStages != null && fittedStages.length == 1 ? fittedStages[0] : null);
        }
    }

    /** The stages' column prefixes, in the order added. */
    List<String> stageNames() {
        return stageNames;
    }

    /** The column prefix of a stage added before, or null. */
    String prefixOf(Params stage) {
        return prefixes.get(stage);
    }

    /** The columns, in the order added. */
    Map<String, Object> columns() {
        return columns;
    }

    /**
     * A param map as text in the columns' names, its pairs sorted by column name (a
     * {@code ParamMap}'s own order follows its params' hashes, which follow the stages' random
     * uids, so it differs from process to process):
     * {@code LogisticRegression.maxIter=5, LogisticRegression.regParam=0.01}.
     */
    String describe(ParamMap map) {
        Map<String, Object> sorted = new TreeMap<>();
        for (ParamPair<?> pair : CollectionConverters.asJava(map.toSeq())) {
            String prefix = prefixByUid.getOrDefault(pair.param().parent(), pair.param().parent());
            sorted.put(prefix + "." + pair.param().name(), cell(pair.param(), pair.value()));
        }
        StringBuilder b = new StringBuilder();
        sorted.forEach((column, value) -> b.append(b.isEmpty() ? "" : ", ").append(column).append('=').append(value));
        return b.toString();
    }

    private static boolean isStructural(Object value) {
        return value instanceof Params || value instanceof Params[] || value instanceof ParamMap
                || value instanceof ParamMap[];
    }

    /** A param value as a cox cell: Long, Double, Boolean or String. */
    @SuppressWarnings("unchecked")
    static Object cell(Param<?> param, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean || value instanceof String) {
            return value;
        }
        try {
            return ((Param<Object>) param).jsonEncode(value);
        } catch (RuntimeException | scala.NotImplementedError e) {
            return String.valueOf(value);
        }
    }
}
