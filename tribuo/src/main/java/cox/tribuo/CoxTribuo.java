package cox.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import cox.exceptions.CoxIOException;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dflib.DataFrame;
import org.tribuo.Model;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.ModelProvenance;

/**
 * Logs a trained Tribuo {@link Model} and its {@link Evaluation}s into a cox {@link Store}: the
 * model's provenance in the {@code metadata} table, one {@code results} row per evaluation.
 *
 * <pre>{@code
 * Model<Label> model = new LogisticRegressionTrainer().train(train);
 * LabelEvaluator evaluator = new LabelEvaluator();
 * try (Store store = Store.open(Path.of("runs"))) {
 *     CoxTribuo.log(store, model, evaluator.evaluate(model, train), evaluator.evaluate(model, test));
 * }
 * }</pre>
 *
 * <p><b>metadata</b>: one row, the model's {@link ModelProvenance} flattened into columns named by
 * dotted paths of Tribuo's provenance keys: {@code class-name} (the model's class),
 * {@code trainer.class-name} and every trainer hyperparameter ({@code trainer.epochs},
 * {@code trainer.optimiser.initialLearningRate}), the training data ({@code dataset.num-examples},
 * {@code dataset.num-features}, {@code dataset.num-outputs}, {@code dataset.datasource.*} with the
 * source and any split, {@code dataset.transformations.0.*}), {@code trained-at},
 * {@code tribuo-version}, {@code java-version}, {@code os-name}, {@code os-arch}. A list's elements
 * are {@code path.0}, {@code path.1}, ...; OLCUT's {@code host-short-name} entries are left out.
 * Integers are INT, {@code double}s FLOAT ({@code float}s as the double of their decimal text,
 * so {@code 0.1f} is 0.1), booleans BOOL, the rest (strings, enums, times, URLs, hashes) STR. A
 * list of more than 16 elements, and an ensemble's {@code member-provenance} (a provenance per
 * member model), is one OBJECT cell instead: a list of its elements flattened the same way (an
 * object as a dict of dotted paths), so an ensemble of any size has the same few columns. The
 * user's own {@link #param parameters} follow, typed as {@link Schema#fromExample} infers them.
 *
 * <p><b>results</b>: one row per evaluation, in the order given. {@code evaluation} (STR) names it:
 * the name given, else {@code "train"} if it evaluated the data the model was trained on (equal
 * dataset provenance) and {@code "test"} otherwise ({@code "test-2"}, {@code "test-3"}, ... for
 * further ones in the same call). {@code num-examples} (INT) is the number of predictions. Then
 * the metrics, each named after the Tribuo method that gives it (values exactly Tribuo's):
 * <ul>
 * <li>a {@code LabelEvaluation} (classification): {@code accuracy}, {@code balancedErrorRate},
 *     {@code macroAveragedPrecision}, {@code macroAveragedRecall}, {@code macroAveragedF1},
 *     {@code microAveragedPrecision}, {@code microAveragedRecall}, {@code microAveragedF1}; for each
 *     label of the model's domain, sorted by name, {@code precision.LABEL}, {@code recall.LABEL},
 *     {@code f1.LABEL}; and {@code confusionMatrix}, an OBJECT cell holding
 *     {@code {true label: {predicted label: count}}} (Python gets a dict of dicts of floats:
 *     {@code pandas.DataFrame.from_dict(cm, orient="index")} is the matrix as Tribuo prints it);</li>
 * <li>a {@code RegressionEvaluation}: {@code averageRMSE}, {@code averageMAE}, {@code averageR2},
 *     {@code averagedExplainedVariance} (Tribuo's averages over the output dimensions); for each
 *     dimension, sorted by name, {@code rmse.DIM}, {@code mae.DIM}, {@code r2.DIM},
 *     {@code explainedVariance.DIM}.</li>
 * </ul>
 * Last, {@code dataset} (OBJECT): the evaluated data's provenance flattened as above, a dict in
 * Python, so train and test rows are told apart however they were named.
 *
 * <p>{@link #saveModel()} also writes the model itself to {@code save/model.tribuo} (Tribuo's
 * protobuf form, for {@code Model.deserializeFromFile}).
 *
 * <p>Runs of a sweep (a store each, the same kind of model and data) get the same columns, so
 * {@code cox ls}, {@code cox df} and {@code cox serve} compare them. Logging into a store that has
 * these tables already appends to {@code results} when its columns are the same, and leaves
 * {@code metadata} alone when its row is this model's (the same values); anything else is an
 * {@link IllegalArgumentException} naming the store, table and columns, before anything is
 * written. Every evaluation is checked before the first row is written, so a call writes all of
 * its rows or none.
 *
 * <p>Tribuo is the application's own dependency: this class needs only {@code tribuo-core}; the
 * classification and regression columns are read through classes loaded only when an evaluation
 * of that kind is logged, so a classification-only application needs no regression module and
 * the other way round.
 *
 * <p>An instance (from {@link #to(Store)}) collects parameters and is not thread-safe. The static
 * methods keep no state; two calls logging into the same store at once are not supported (both
 * may try to add its tables: one of them fails).
 */
public final class CoxTribuo {
    /** The table of the model's provenance, one row: cox's {@code metadata} convention. */
    public static final String METADATA = "metadata";
    /** The table of the evaluations, one row each. */
    public static final String RESULTS = "results";
    /** The file {@link #saveModel()} writes in the store's {@code save/} folder. */
    public static final String MODEL_FILE = "model.tribuo";

    private final Store store;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private boolean saveModel;

    private CoxTribuo(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Logs {@code model}'s provenance into {@code metadata} and each evaluation into a
     * {@code results} row, named {@code "train"} or {@code "test"} (see the class comment).
     *
     * @param store the run's store, open for writing
     * @param model the trained model
     * @param evaluations evaluations of {@code model}, e.g. from a {@code LabelEvaluator}; none
     *     logs the metadata only
     * @throws IllegalArgumentException for an evaluation of another model or of an unsupported
     *     kind, evaluations whose columns differ, or tables of the store whose columns or metadata
     *     row differ from these; nothing is written then
     */
    public static void log(Store store, Model<?> model, Evaluation<?>... evaluations) {
        to(store).log(model, evaluations);
    }

    /**
     * As {@link #log(Store, Model, Evaluation...)} with the evaluations' names: the map's keys, in
     * its iteration order (use a {@link LinkedHashMap}), e.g. {@code "train"}, {@code "validation"}.
     *
     * @param store the run's store, open for writing
     * @param model the trained model
     * @param evaluations names to evaluations of {@code model}
     */
    public static void log(Store store, Model<?> model, Map<String, ? extends Evaluation<?>> evaluations) {
        to(store).log(model, evaluations);
    }

    /**
     * A logger into {@code store} that can add the user's own parameters to the metadata row:
     * {@code CoxTribuo.to(store).param("fold", 3).log(model, evaluation)}.
     *
     * @param store the run's store
     * @return a new logger, without parameters
     */
    public static CoxTribuo to(Store store) {
        return new CoxTribuo(store);
    }

    /**
     * Adds a column of the user's to the metadata row, after the provenance's, typed as
     * {@link Schema#fromExample} infers it ({@code Integer}/{@code Long} INT, {@code Double}
     * FLOAT, {@code String} STR, {@code Boolean} BOOL, else OBJECT).
     *
     * @param name the column name; not one the provenance gives
     * @param value its value, not null
     * @return this logger
     * @throws IllegalArgumentException for a null value or a name set before
     */
    public CoxTribuo param(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' has no value (null)");
        }
        if (params.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("parameter '" + name + "' is set twice");
        }
        return this;
    }

    /**
     * Adds each entry as {@link #param(String, Object)} does, in the map's order.
     *
     * @param params names to values
     * @return this logger
     */
    public CoxTribuo params(Map<String, ?> params) {
        Objects.requireNonNull(params, "params").forEach(this::param);
        return this;
    }

    /**
     * Also saves the model itself, as Tribuo's {@code Model.serializeToFile} writes it (its
     * protobuf form), to {@code save/model.tribuo} in the store, after the rows are written;
     * {@code Model.deserializeFromFile} loads it back. A file of that name is replaced; a failure
     * to write it is a {@link CoxIOException} naming the store and the file.
     *
     * @return this logger
     */
    public CoxTribuo saveModel() {
        this.saveModel = true;
        return this;
    }

    /**
     * Logs as {@link #log(Store, Model, Evaluation...)} does, with this logger's parameters.
     *
     * @param model the trained model
     * @param evaluations evaluations of {@code model}
     */
    public void log(Model<?> model, Evaluation<?>... evaluations) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(evaluations, "evaluations");
        List<String> names = defaultNames(model, evaluations);
        Map<String, Evaluation<?>> named = new LinkedHashMap<>();
        for (int i = 0; i < evaluations.length; i++) {
            named.put(names.get(i), evaluations[i]);
        }
        write(model, named);
    }

    /**
     * Logs as {@link #log(Store, Model, Map)} does, with this logger's parameters.
     *
     * @param model the trained model
     * @param evaluations names to evaluations of {@code model}, in the map's order
     */
    public void log(Model<?> model, Map<String, ? extends Evaluation<?>> evaluations) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(evaluations, "evaluations");
        write(model, new LinkedHashMap<>(evaluations));
    }

    /**
     * A provenance's values by dotted path, as this class names the metadata columns: e.g.
     * {@code trainer.epochs → 5L}, {@code dataset.num-features → 2L}, {@code class-name → "..."}.
     *
     * @param provenance a Tribuo provenance: a model's, a dataset's, an evaluation's
     * @return path to {@code Long}, {@code Double}, {@code Boolean}, {@code String} or, for a list
     *     kept whole (see the class comment), {@code List}; in the provenance's order
     * @throws IllegalArgumentException if two values flatten to the same path (a key holding a dot)
     */
    public static Map<String, Object> flatten(ObjectProvenance provenance) {
        return ProvenanceColumns.flatten(Objects.requireNonNull(provenance, "provenance"));
    }

    // ------------------------------------------------------------------ writing

    private void write(Model<?> model, Map<String, Evaluation<?>> evaluations) {
        ModelProvenance provenance = model.getProvenance();
        Row metadata = metadataRow(provenance);
        List<Row> rows = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Evaluation<?>> e : evaluations.entrySet()) {
            String name = e.getKey();
            Evaluation<?> evaluation = e.getValue();
            if (name == null || name.isEmpty() || evaluation == null) {
                throw new IllegalArgumentException("evaluation '" + name + "': needs a non-empty name and an evaluation, got "
                        + (evaluation == null ? "null" : evaluation.getClass().getName()));
            }
            checkOfModel(name, evaluation, provenance);
            Row row = resultsRow(name, evaluation);
            if (!rows.isEmpty() && !row.schema().sameLayout(rows.get(0).schema())) {
                throw new IllegalArgumentException("evaluations '" + first + "' and '" + name + "' give different results"
                        + " columns, which one table cannot hold: " + difference(rows.get(0).schema(), row.schema())
                        + "; log them into separate stores");
            }
            if (first == null) {
                first = name;
            }
            rows.add(row);
        }
        boolean hasMetadata = store.keys().contains(METADATA);
        if (hasMetadata) {
            checkMetadata(store.table(METADATA), metadata);
        }
        Table results = null;
        if (!rows.isEmpty() && store.keys().contains(RESULTS)) {
            results = store.table(RESULTS);
            checkColumns(results, rows.get(0).schema(), "evaluation '" + first + "'");
        }
        if (!hasMetadata) {
            store.addTable(METADATA, metadata.schema()).appendRow(metadata.values());
        }
        if (!rows.isEmpty()) {
            if (results == null) {
                results = store.addTable(RESULTS, rows.get(0).schema());
            }
            for (Row row : rows) {
                results.appendRow(row.values());
            }
        }
        if (saveModel) {
            save(model);
        }
    }

    private void save(Model<?> model) {
        Path target = store.saveDir().resolve(MODEL_FILE);
        Path tmp = store.saveDir().resolve("." + MODEL_FILE + ".tmp");
        try {
            Files.createDirectories(store.saveDir());
            model.serializeToFile(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new CoxIOException("store " + store.path() + ": cannot save the model to " + target + ": " + e, e);
        }
    }

    private Row metadataRow(ModelProvenance provenance) {
        Row.Builder row = new Row.Builder("the metadata row of store " + store.path());
        Map<String, Object> columns = ProvenanceColumns.flatten(provenance);
        columns.forEach((name, value) -> row.add(name, typeOf(value), value));
        params.forEach((name, value) -> {
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' of store " + store.path() + " is a column of"
                        + " the model's provenance already (" + columns.get(name) + "): choose another name");
            }
            row.addInferred(name, value);
        });
        return row.build();
    }

    private Row resultsRow(String name, Evaluation<?> evaluation) {
        Row.Builder row = new Row.Builder("evaluation '" + name + "' of store " + store.path());
        row.add("evaluation", ColumnType.STR, name);
        row.add("num-examples", ColumnType.INT, (long) evaluation.getPredictions().size());
        if (implementsInterface(evaluation.getClass(), LabelEvaluationColumns.INTERFACE)) {
            LabelEvaluationColumns.add(row, evaluation);
        } else if (implementsInterface(evaluation.getClass(), RegressionEvaluationColumns.INTERFACE)) {
            RegressionEvaluationColumns.add(row, evaluation);
        } else {
            throw new IllegalArgumentException("evaluation '" + name + "' is a " + evaluation.getClass().getName()
                    + ": CoxTribuo logs a LabelEvaluation (classification) or a RegressionEvaluation");
        }
        DataProvenance data = evaluation.getProvenance().getTestDatasetProvenance();
        row.add("dataset", ColumnType.OBJECT, data == null ? Map.of() : ProvenanceColumns.flatten(data));
        return row.build();
    }

    /** "train" for the training data, "test", "test-2", ... for the rest. */
    private static List<String> defaultNames(Model<?> model, Evaluation<?>[] evaluations) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < evaluations.length; i++) {
            if (evaluations[i] == null) {
                throw new IllegalArgumentException("evaluation " + i + " is null");
            }
            DataProvenance data = evaluations[i].getProvenance().getTestDatasetProvenance();
            String base = model.getProvenance().getDatasetProvenance().equals(data) ? "train" : "test";
            int n = seen.merge(base, 1, Integer::sum);
            names.add(n == 1 ? base : base + "-" + n);
        }
        return names;
    }

    private static void checkOfModel(String name, Evaluation<?> evaluation, ModelProvenance model) {
        ModelProvenance of = evaluation.getProvenance().getModelProvenance();
        if (of != null && !of.equals(model)) {
            throw new IllegalArgumentException("evaluation '" + name + "' is of another model (" + of.getClassName()
                    + " trained at " + of.getTrainingTime() + "), not of the model logged (" + model.getClassName()
                    + " trained at " + model.getTrainingTime() + ")");
        }
    }

    /** Whether {@code type} or a supertype is the interface named {@code name}, without loading it. */
    private static boolean implementsInterface(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name) || implementsInterface(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ColumnType typeOf(Object value) {
        if (value instanceof Long) {
            return ColumnType.INT;
        }
        if (value instanceof Double) {
            return ColumnType.FLOAT;
        }
        if (value instanceof Boolean) {
            return ColumnType.BOOL;
        }
        if (value instanceof List || value instanceof Map) {
            return ColumnType.OBJECT;
        }
        return ColumnType.STR;
    }

    private void checkColumns(Table table, Schema wanted, String what) {
        if (!table.schema().equals(wanted)) {
            throw new IllegalArgumentException("store " + store.path() + ": table '" + table.name() + "' has other columns than "
                    + what + " gives: " + difference(table.schema(), wanted) + "; log each model into a store of its own");
        }
    }

    /**
     * Leaves a metadata table alone that holds this model's row already (a second call logging
     * more evaluations); anything else is an error.
     */
    private void checkMetadata(Table table, Row row) {
        checkColumns(table, row.schema(), "the model's provenance");
        DataFrame df = table.df();
        String where = "store " + store.path() + ": table '" + METADATA + "'";
        if (df.height() != 1) {
            throw new IllegalArgumentException(where + " has " + df.height() + " rows: CoxTribuo logs one model per store,"
                    + " its provenance in one row");
        }
        for (Map.Entry<String, ColumnType> c : row.schema().entrySet()) {
            if (c.getValue().isObject()) {
                continue; // the user's own OBJECT parameters: their stored text is not compared
            }
            Object stored = df.getColumn(c.getKey()).get(0);
            Object value = row.values().get(c.getKey());
            Object expected = switch (c.getValue()) {
                case INT -> ((Number) value).longValue();
                case FLOAT -> ((Number) value).doubleValue();
                default -> value;
            };
            if (!Objects.equals(stored, expected)) {
                throw new IllegalArgumentException(where + " holds another model's row: column '" + c.getKey() + "' is "
                        + stored + ", this model's is " + expected + "; log each model into a store of its own");
            }
        }
    }

    private static String difference(Schema have, Schema want) {
        Set<String> missing = new LinkedHashSet<>();
        Set<String> extra = new LinkedHashSet<>();
        List<String> retyped = new ArrayList<>();
        want.forEach((name, type) -> {
            ColumnType t = have.get(name);
            if (t == null) {
                missing.add(name);
            } else if (t != type) {
                retyped.add("'" + name + "' " + t.pythonName() + " vs " + type.pythonName());
            }
        });
        have.keySet().stream().filter(n -> !want.containsKey(n)).forEach(extra::add);
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("not in the table: " + quoted(missing));
        }
        if (!extra.isEmpty()) {
            parts.add("only in the table: " + quoted(extra));
        }
        if (!retyped.isEmpty()) {
            parts.add("of another type: " + String.join(", ", retyped));
        }
        if (parts.isEmpty()) {
            parts.add("the same columns in another order");
        }
        return String.join("; ", parts);
    }

    private static String quoted(Set<String> names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add("'" + n + "'");
        }
        return String.join(", ", q);
    }
}
