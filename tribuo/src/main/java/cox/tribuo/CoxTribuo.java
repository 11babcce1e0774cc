package cox.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import cox.exceptions.CoxIOException;
import cox.readers.TableSchema;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * {@code tribuo-version}, {@code java-version}, {@code os-name}, {@code os-arch}. Within each
 * object the keys are sorted ({@code class-name} first, then by name), so equal provenances give
 * the same columns in the same order. A list's elements are {@code path.0}, {@code path.1}, ...;
 * OLCUT's {@code host-short-name} entries are left out. Integers are INT, {@code double}s FLOAT
 * ({@code float}s as the double of their decimal text, so {@code 0.1f} is 0.1), booleans BOOL,
 * the rest (strings, enums, times, URLs, hashes) STR. A list of more than 16 elements, and an
 * ensemble's {@code member-provenance} (a provenance per member model), is one OBJECT cell
 * instead: a list of its elements flattened the same way (an object as a dict of dotted paths),
 * so an ensemble of any size has the same few columns. A list of at most 16 elements is spread,
 * so a sweep over a list-valued hyperparameter whose length varies gives runs with different
 * metadata columns ({@code x.0}, {@code x.1} in one, {@code x.0} to {@code x.2} in another):
 * {@code CollectionReader.df("metadata")} (and {@code cox df}) reads them as the union of the
 * columns, a run's missing ones null. Keys holding dots (a {@code RowProcessor}'s
 * {@code fieldProcessorMap} keyed by CSV headers such as {@code Sepal.Length}) can give one path
 * twice; each map, object or list whose path collides is then one OBJECT cell (a dict of its own
 * keys) instead of its columns. The user's own {@link #param parameters} follow.
 *
 * <p><b>results</b>: one row per evaluation, in the order given. {@code evaluation} (STR) names it:
 * the name given, else {@code "train"} if it evaluated the {@code Dataset} the model was trained
 * on (equal dataset provenance) and {@code "test"} otherwise; a default name the {@code results}
 * table or an earlier evaluation of the call has already gets {@code "-2"}, {@code "-3"}, ...
 * ({@code "test-2"} for the held-out set of a second call). An evaluation made from a
 * {@code DataSource} ({@code evaluator.evaluate(model, source)}) carries the source's provenance,
 * never the training {@code Dataset}'s, so it is never recognised as {@code "train"}, even if it
 * is the source the training data came from: name it. {@code num-examples} (INT) is the number of
 * predictions. Then the metrics, each named after the Tribuo method that gives it (values exactly
 * Tribuo's):
 * <ul>
 * <li>a {@code LabelEvaluation} (classification): {@code accuracy}, {@code balancedErrorRate},
 *     {@code macroAveragedPrecision}, {@code macroAveragedRecall}, {@code macroAveragedF1},
 *     {@code microAveragedPrecision}, {@code microAveragedRecall}, {@code microAveragedF1}; for each
 *     label of the confusion matrix's domain (the labels the model knows, whether or not the
 *     evaluated data has them), sorted by name, {@code precision.LABEL}, {@code recall.LABEL},
 *     {@code f1.LABEL}; and {@code confusionMatrix}, an OBJECT cell holding
 *     {@code {true label: {predicted label: count}}} over all those labels, sorted by name, a
 *     pair never seen 0.0: a row per true label, a column per predicted label, as Tribuo's
 *     {@code ConfusionMatrix} prints it (Python gets a dict of dicts of floats:
 *     {@code pandas.DataFrame.from_dict(cm, orient="index")} is the matrix);</li>
 * <li>a {@code RegressionEvaluation}: {@code averageRMSE}, {@code averageMAE}, {@code averageR2},
 *     {@code averagedExplainedVariance} (Tribuo's averages over the output dimensions); for each
 *     dimension, its names sorted as strings ({@code "x10"} before {@code "x2"}),
 *     {@code rmse.DIM}, {@code mae.DIM}, {@code r2.DIM}, {@code explainedVariance.DIM}; a
 *     dimension whose true values are all equal has an R² of NaN, as Tribuo gives it.</li>
 * </ul>
 * Last, {@code dataset} (OBJECT): the evaluated data's provenance flattened as above, a dict in
 * Python, so train and test rows are told apart however they were named.
 *
 * <p>{@link #saveModel()} also writes the model itself to {@code save/model.tribuo} (Tribuo's
 * protobuf form, for {@code Model.deserializeFromFile}).
 *
 * <p>Runs of a sweep (a store each, the same kind of model and data) get the same columns, so
 * {@code cox ls}, {@code cox df} and {@code cox serve} compare them. Logging again into a store
 * that has these tables (more evaluations of the same model) appends to {@code results} when its
 * columns are the same, and leaves {@code metadata} alone when its row is this model's: its
 * provenance columns hold this model's values (OBJECT cells compared as the values they unpickle
 * to). The parameters need not be given again; one given again must equal the stored value, and
 * one the row does not have cannot be added.
 *
 * <p>Errors, all before anything is written, so a call writes all of its rows or none (and the
 * model file after them): an {@link IllegalArgumentException} whose message starts with
 * {@code store DIR: } and names the table, column, parameter or evaluation and the values, for
 * a parameter cox cannot store, an evaluation of another model or of an unsupported kind,
 * evaluations whose columns differ, a label or dimension that cannot be a column name, a table
 * whose columns differ, another model's metadata row or a parameter given again with another
 * value; a {@link NullPointerException} for a null argument or parameter name. The store's own
 * errors pass through: {@link IllegalStateException} for a store that is read-only or closed,
 * {@link cox.exceptions.CoxException} (a {@link CoxIOException} for a failing disk) while
 * writing, and {@code Store.addTable}'s {@link IllegalArgumentException} for a table that exists
 * already (two calls adding it at once, see below) or is more than store.h5 can hold.
 *
 * <p>Tribuo is the application's own dependency: this class needs only {@code tribuo-core}; the
 * classification and regression columns are read through classes loaded only when an evaluation
 * of that kind is logged, so a classification-only application needs no regression module and
 * the other way round.
 *
 * <p>An instance (from {@link #to(Store)}) collects parameters and is not thread-safe. The static
 * methods keep no state; two calls logging into the same store at once are not supported (both
 * may try to add its tables: one of them fails with {@code Store.addTable}'s
 * {@link IllegalArgumentException}).
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
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for an evaluation of another model or of an
     *     unsupported kind, evaluations whose columns differ, a label that cannot be
     *     a column name, or tables of the store whose columns or metadata row differ from
     *     these (see the class comment); the message starts with {@code store DIR: }, and
     *     nothing is written then
     * @throws IllegalStateException if the store is read-only or closed
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
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for an evaluation of another model or of an
     *     unsupported kind, evaluations whose columns differ, an empty name, a label that cannot be
     *     a column name, or tables of the store whose columns or metadata row differ from
     *     these (see the class comment); the message starts with {@code store DIR: }, and
     *     nothing is written then
     * @throws IllegalStateException if the store is read-only or closed
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
     * {@link Schema#fromExample} infers it ({@code Long}/{@code Integer}/{@code Short}/{@code Byte}/
     * {@code BigInteger} INT, {@code Double}/{@code Float} FLOAT, {@code String} STR,
     * {@code Boolean} BOOL, a {@code List} or {@code Map} OBJECT) or, for null, an OBJECT cell
     * holding Python's None. The value is checked now, so that {@link #log} never fails half-way
     * on it: it must be null, a {@code String}, one of those numbers (a {@code BigInteger} within
     * int64), a {@code Boolean}, or a {@code List} or a {@code Map} with {@code String} keys of
     * these, nested at most {@value StorableValue#MAX_DEPTH} deep; anything else (an
     * {@code Instant}, a {@code Path}, an enum) must be converted first, e.g. to its text.
     *
     * @param name the column name; not one the provenance gives
     * @param value its value
     * @return this logger
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException for a value cox cannot store (the message names the store,
     *     the parameter and the value's class) or a name set before
     */
    public CoxTribuo param(String name, Object value) {
        Objects.requireNonNull(name, "name");
        checkParam(name, value);
        if (params.containsKey(name)) {
            throw new IllegalArgumentException(where() + ": parameter '" + name + "' is set twice");
        }
        params.put(name, value);
        return this;
    }

    /**
     * Adds each entry as {@link #param(String, Object)} does, in the map's order; every entry is
     * checked before any is added.
     *
     * @param params names to values
     * @return this logger
     * @throws NullPointerException if {@code params} or a name in it is null
     * @throws IllegalArgumentException as {@link #param(String, Object)}; no entry is added then
     */
    public CoxTribuo params(Map<String, ?> params) {
        Objects.requireNonNull(params, "params");
        Set<String> names = new HashSet<>();
        params.forEach((name, value) -> {
            Objects.requireNonNull(name, "name");
            checkParam(name, value);
            if (this.params.containsKey(name) || !names.add(name)) {
                throw new IllegalArgumentException(where() + ": parameter '" + name + "' is set twice");
            }
        });
        this.params.putAll(params);
        return this;
    }

    private void checkParam(String name, Object value) {
        String problem = StorableValue.paramProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException(where() + ": parameter '" + name + "' " + problem);
        }
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
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for a parameter given again with another value,
     *     an evaluation of another model or of an
     *     unsupported kind, evaluations whose columns differ, a label that cannot be
     *     a column name, or tables of the store whose columns or metadata row differ from
     *     these (see the class comment); the message starts with {@code store DIR: }, and
     *     nothing is written then
     * @throws IllegalStateException if the store is read-only or closed
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
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for a parameter given again with another value,
     *     an evaluation of another model or of an
     *     unsupported kind, evaluations whose columns differ, an empty name, a label that cannot be
     *     a column name, or tables of the store whose columns or metadata row differ from
     *     these (see the class comment); the message starts with {@code store DIR: }, and
     *     nothing is written then
     * @throws IllegalStateException if the store is read-only or closed
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
     *     or a subtree kept whole (see the class comment), {@code List} or {@code Map}; keys
     *     sorted within each object, {@code class-name} first
     */
    public static Map<String, Object> flatten(ObjectProvenance provenance) {
        return ProvenanceColumns.flatten(Objects.requireNonNull(provenance, "provenance"));
    }

    // ------------------------------------------------------------------ writing

    private String where() {
        return "store " + store.path();
    }

    private void write(Model<?> model, Map<String, Evaluation<?>> evaluations) {
        ModelProvenance provenance = model.getProvenance();
        Map<String, Object> provenanceColumns = ProvenanceColumns.flatten(provenance);
        Row metadata = metadataRow(provenanceColumns);
        List<Row> rows = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, Evaluation<?>> e : evaluations.entrySet()) {
            String name = e.getKey();
            Evaluation<?> evaluation = e.getValue();
            if (name == null || name.isEmpty() || evaluation == null) {
                throw new IllegalArgumentException(where() + ": evaluation '" + name + "': needs a non-empty name and an"
                        + " evaluation, got " + (evaluation == null ? "null" : evaluation.getClass().getName()));
            }
            checkOfModel(name, evaluation, provenance);
            Row row = resultsRow(name, evaluation);
            if (!rows.isEmpty() && !row.schema().sameLayout(rows.get(0).schema())) {
                throw new IllegalArgumentException(where() + ": evaluations '" + first + "' and '" + name + "' give different"
                        + " results columns, which one table cannot hold (" + difference(rows.get(0).schema(),
                        "evaluation '" + name + "'", row.schema()) + "); log them into separate stores");
            }
            if (first == null) {
                first = name;
            }
            rows.add(row);
        }
        // every check before the first table is added: a call writes all of its rows or none
        Table metadataTable = store.keys().contains(METADATA) ? store.table(METADATA) : null;
        boolean appendMetadata = metadataTable == null
                || checkMetadata(metadataTable, metadata, provenanceColumns.keySet());
        Table results = null;
        if (!rows.isEmpty() && store.keys().contains(RESULTS)) {
            results = store.table(RESULTS);
            if (!results.schema().sameLayout(rows.get(0).schema())) {
                throw new IllegalArgumentException(where() + ": table '" + RESULTS + "' has other columns than evaluation '"
                        + first + "' gives (" + difference(results.schema(), "evaluation '" + first + "'",
                        rows.get(0).schema()) + "); log each model into a store of its own");
            }
        }
        if (metadataTable == null) {
            metadataTable = store.addTable(METADATA, metadata.schema());
        }
        if (!rows.isEmpty() && results == null) {
            results = store.addTable(RESULTS, rows.get(0).schema());
        }
        if (appendMetadata) {
            metadataTable.appendRow(metadata.values());
        }
        for (Row row : rows) {
            results.appendRow(row.values());
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
            throw new CoxIOException(where() + ": cannot save the model to " + target + ": " + e, e);
        }
    }

    private Row metadataRow(Map<String, Object> columns) {
        Row.Builder row = new Row.Builder(where() + ": the metadata row");
        columns.forEach(row::addInferred);
        params.forEach((name, value) -> {
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException(where() + ": parameter '" + name + "' is a column of the model's"
                        + " provenance already (" + columns.get(name) + "): choose another name");
            }
            row.addInferred(name, value);
        });
        return row.build();
    }

    private Row resultsRow(String name, Evaluation<?> evaluation) {
        Row.Builder row = new Row.Builder(where() + ": evaluation '" + name + "'");
        row.add("evaluation", ColumnType.STR, name);
        row.add("num-examples", ColumnType.INT, (long) evaluation.getPredictions().size());
        if (implementsInterface(evaluation.getClass(), LabelEvaluationColumns.INTERFACE)) {
            LabelEvaluationColumns.add(row, evaluation);
        } else if (implementsInterface(evaluation.getClass(), RegressionEvaluationColumns.INTERFACE)) {
            RegressionEvaluationColumns.add(row, evaluation);
        } else {
            throw new IllegalArgumentException(where() + ": evaluation '" + name + "' is a " + evaluation.getClass().getName()
                    + ": CoxTribuo logs a LabelEvaluation (classification) or a RegressionEvaluation");
        }
        DataProvenance data = evaluation.getProvenance().getTestDatasetProvenance();
        row.add("dataset", ColumnType.OBJECT, data == null ? Map.of() : ProvenanceColumns.flatten(data));
        return row.build();
    }

    /**
     * "train" for the training data, else "test"; "-2", "-3", ... appended to a name that the
     * store's {@code results} table or an earlier evaluation of this call has already.
     */
    private List<String> defaultNames(Model<?> model, Evaluation<?>[] evaluations) {
        Set<String> taken = new HashSet<>();
        if (store.keys().contains(RESULTS) && store.table(RESULTS).schema().containsKey("evaluation")) {
            store.table(RESULTS).df().getColumn("evaluation").forEach(v -> taken.add(String.valueOf(v)));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < evaluations.length; i++) {
            if (evaluations[i] == null) {
                throw new IllegalArgumentException(where() + ": evaluation " + i + " is null");
            }
            DataProvenance data = evaluations[i].getProvenance().getTestDatasetProvenance();
            String base = model.getProvenance().getDatasetProvenance().equals(data) ? "train" : "test";
            String name = base;
            for (int n = 2; taken.contains(name); n++) {
                name = base + "-" + n;
            }
            taken.add(name);
            names.add(name);
        }
        return names;
    }

    private void checkOfModel(String name, Evaluation<?> evaluation, ModelProvenance model) {
        ModelProvenance of = evaluation.getProvenance().getModelProvenance();
        if (of != null && !of.equals(model)) {
            throw new IllegalArgumentException(where() + ": evaluation '" + name + "' is of another model ("
                    + of.getClassName() + " trained at " + of.getTrainingTime() + "), not of the model logged ("
                    + model.getClassName() + " trained at " + model.getTrainingTime() + ")");
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

    /**
     * Checks a metadata table there is already: one row whose provenance columns are this
     * model's, and whose columns after them are the parameters of the call that wrote it, equal
     * to the ones given again. A table without a row (left by a call that stopped between adding
     * the table and its row) must have this call's columns.
     *
     * @return whether the metadata row is still to be appended (the table has none)
     */
    private boolean checkMetadata(Table table, Row row, Set<String> provenance) {
        String where = where() + ": table '" + METADATA + "'";
        Schema have = table.schema();
        if (table.nrows() == 0) {
            if (!have.sameLayout(row.schema())) {
                throw new IllegalArgumentException(where + " has no row and other columns than this call gives ("
                        + difference(have, "this call", row.schema()) + "); log each model into a store of its own");
            }
            return true;
        }
        Schema.Builder expected = Schema.builder();
        row.schema().forEach((name, type) -> {
            if (provenance.contains(name)) {
                expected.add(name, type);
            }
        });
        have.forEach((name, type) -> {
            if (!provenance.contains(name)) {
                expected.add(name, type);
            }
        });
        Schema layout = expected.build();
        if (!have.sameLayout(layout)) {
            throw new IllegalArgumentException(where + " has other columns than the model's provenance gives ("
                    + difference(have, "the model's provenance", layout) + "); log each model into a store of its own");
        }
        for (String name : params.keySet()) {
            if (!have.containsKey(name)) {
                throw new IllegalArgumentException(where() + ": parameter '" + name + "' is not a column of table '"
                        + METADATA + "', whose row was logged without it: a second log cannot add a column");
            }
        }
        DataFrame df = table.df();
        if (df.height() != 1) {
            throw new IllegalArgumentException(where + " has " + df.height() + " rows: CoxTribuo logs one model per store,"
                    + " its provenance in one row");
        }
        List<String> differing = new ArrayList<>();
        String paramChanged = null;
        for (String name : row.schema().keySet()) {
            Object stored = df.getColumn(name).get(0);
            if (have.get(name).isObject()) {
                stored = table.getObject((String) stored);
            }
            Object value = StorableValue.normalized(row.values().get(name));
            if (Objects.equals(stored, value)) {
                continue;
            }
            if (!provenance.contains(name)) {
                paramChanged = paramChanged != null ? paramChanged : where() + ": parameter '" + name + "' is " + stored
                        + " in table '" + METADATA + "', given again as " + value + "; a logged row cannot change";
                continue;
            }
            differing.add("'" + name + "' is " + stored + ", this model's is " + value);
        }
        if (!differing.isEmpty()) {
            int shown = Math.min(differing.size(), 5);
            throw new IllegalArgumentException(where + " holds another model's row: column " + String.join("; column ",
                    differing.subList(0, shown)) + (differing.size() > shown ? "; and " + (differing.size() - shown)
                    + " more columns" : "") + "; log each model into a store of its own");
        }
        if (paramChanged != null) {
            throw new IllegalArgumentException(paramChanged);
        }
        return false;
    }

    /**
     * How {@code own} differs from a table's schema {@code have}, as cox's
     * {@link TableSchema#describeDifferences} words it for a collection's runs:
     * {@code "evaluation 'test': extra column x (int); no column y"}.
     */
    private static String difference(Schema have, String label, Schema own) {
        return new TableSchema("", have, 2, have, Map.of(label, own)).describeDifferences().get(0);
    }
}
