package cox.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.ensemble.BaggingTrainer;

/** The user's parameters, a second log into the same store, and calls that must write nothing. */
class CoxTribuoParamTest {
    @TempDir
    Path runs;

    @BeforeAll
    static void quietTribuo() {
        CoxTribuoTest.TRIBUO_LOG.setLevel(Level.WARNING);
    }

    @Test
    void param_aValueCoxCannotStore_isRefusedAtOnce_namingStoreParamAndClass_andALaterLogWorks() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        Path path = Path.of("data", "iris.csv");
        try (Store store = Store.open(runs, "params")) {
            CoxTribuo logger = CoxTribuo.to(store);
            assertThatThrownBy(() -> logger.param("started", Instant.parse("2026-12-07T10:00:00Z")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'started' is a java.time.Instant, which cox cannot"
                            + " store: it stores " + StorableValue.OBJECT_TYPES + " (convert it, e.g. to its String)");
            assertThatThrownBy(() -> logger.param("data", path))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": parameter 'data' is a " + path.getClass().getName()
                            + ", which cox cannot store");
            assertThatThrownBy(() -> logger.param("inputs", List.of("a", Map.of("file", path))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": parameter 'inputs' holds a "
                            + path.getClass().getName() + " at [1][\"file\"], which cox cannot store");
            assertThatThrownBy(() -> logger.param("byFold", Map.of(1, "a")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'byFold' holds a map key that is not a String"
                            + " (java.lang.Integer 1): a Python dict in cox has str keys");
            assertThatThrownBy(() -> logger.param("huge", BigInteger.TWO.pow(70)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 'huge' is 1180591620717411303424, out of the int64 range");
            assertThatThrownBy(() -> logger.param("nul", "a\0b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'nul' holds a NUL character, which store.h5's"
                            + " strings cannot keep");
            List<Object> cyclic = new ArrayList<>();
            cyclic.add(cyclic);
            assertThatThrownBy(() -> logger.param("cyclic", cyclic))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 'cyclic' nests lists and maps deeper than 100 levels at [0]");
            Map<String, Object> some = new LinkedHashMap<>();
            some.put("fine", 1);
            some.put("when", Instant.EPOCH);
            assertThatThrownBy(() -> logger.params(some)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 'when' is a java.time.Instant");
            assertThatThrownBy(() -> logger.param(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("name");
            // inside an OBJECT cell the store's pickler refuses a lone surrogate, in a string or a map key
            assertThatThrownBy(() -> logger.param("tags", List.of("ok", "a\uD800")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'tags' holds a lone surrogate U+D800 at index 1"
                            + " of the string at [1], which UTF-8 cannot store");
            assertThatThrownBy(() -> logger.param("byName", Map.of("b\uDC00", 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 'byName' holds a lone surrogate U+DC00 at index 1 of a map key,");
            assertThat(store.keys()).isEmpty();

            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("layers", List.of(64, 32L, (short) 8));
            nested.put("dropout", 0.5f);
            nested.put("none", null);
            logger.param("fine", 1).param("none", null).param("arch", nested).param("big", BigInteger.TEN)
                    .param("ratio", 0.25f).log(model, new LabelEvaluator().evaluate(model, train));
            Table metadata = store.table("metadata");
            assertThat(metadata.schema().get("none")).isEqualTo(ColumnType.OBJECT);
            assertThat(metadata.schema().get("big")).isEqualTo(ColumnType.INT);
            assertThat(metadata.schema().get("ratio")).isEqualTo(ColumnType.FLOAT);
            DataFrame df = metadata.df();
            assertThat(metadata.getObject((String) CoxTribuoTest.cell(df, "none"))).isNull();
            Map<String, Object> stored = new HashMap<>();
            stored.put("layers", List.of(64L, 32L, 8L));
            stored.put("dropout", (double) 0.5f);
            stored.put("none", null);
            assertThat(metadata.getObject((String) CoxTribuoTest.cell(df, "arch"))).isEqualTo(stored);
            assertThat(CoxTribuoTest.cell(df, "big")).isEqualTo(10L);
            assertThat(CoxTribuoTest.cell(df, "fine")).isEqualTo(1L);
        }
    }

    /** An evaluation named with a character store.h5 cannot keep: refused before any table is added. */
    @Test
    void aRowThatCannotBeWritten_writesNothing() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        try (Store store = Store.open(runs, "nothing")) {
            assertThatThrownBy(() -> CoxTribuo.log(store, model, Map.of("held\0out", new LabelEvaluator().evaluate(model, train))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": evaluation 'held\0out': the value of column 'evaluation' holds"
                            + " a NUL character, which store.h5's strings cannot keep");
            assertThat(store.keys()).isEmpty();
            CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, train));
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
        }
    }

    /** A metadata table left without a row (a call stopped between adding it and its row) gets the row. */
    @Test
    void aMetadataTableWithoutARow_getsThisModelsRow() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        try (Store store = Store.open(runs, "empty-metadata")) {
            Map<String, Object> row = new LinkedHashMap<>(CoxTribuo.flatten(model.getProvenance()));
            row.put("fold", 3);
            store.addTableLikeExample("metadata", row);
            CoxTribuo.to(store).param("fold", 3).log(model, new LabelEvaluator().evaluate(model, train));
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
            assertThat(CoxTribuoTest.cell(store.table("metadata").df(), "fold")).isEqualTo(3L);
        }
    }

    @Test
    void secondLog_needNotRepeatTheParams_oneGivenAgainMustEqual_defaultNamesAreNumbered() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 150, 3L);
        MutableDataset<Label> test = TribuoData.threeClasses("three blobs, test", 90, 4L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        LabelEvaluator evaluator = new LabelEvaluator();
        LabelEvaluation onTrain = evaluator.evaluate(model, train);
        LabelEvaluation onTest = evaluator.evaluate(model, test);
        try (Store store = Store.open(runs, "relog")) {
            CoxTribuo.to(store).param("fold", 3).param("tags", List.of("a", "b")).log(model, onTrain, onTest);
            CoxTribuo.log(store, model, onTest);
            CoxTribuo.to(store).param("fold", 3).log(model, onTrain);
            CoxTribuo.to(store).params(Map.of("tags", List.of("a", "b"), "fold", 3L)).log(model, onTest, onTest);
            assertThatThrownBy(() -> CoxTribuo.to(store).param("fold", 4).log(model, onTest))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'fold' is 3 in table 'metadata', given again as 4;"
                            + " a logged row cannot change");
            assertThatThrownBy(() -> CoxTribuo.to(store).param("tags", List.of("a", "c")).log(model, onTest))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'tags' is [a, b] in table 'metadata', given again"
                            + " as [a, c]; a logged row cannot change");
            assertThatThrownBy(() -> CoxTribuo.to(store).param("seed", 1).log(model, onTest))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'seed' is not a column of table 'metadata', whose row"
                            + " was logged without it: a second log cannot add a column");
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
            assertThat(store.table("results").df().getColumn("evaluation").toList())
                    .containsExactly("train", "test", "test-2", "train-2", "test-3", "test-4");
        }
    }

    /** OBJECT cells of the metadata row are compared too: the unpickled value against this model's. */
    @Test
    void metadataRowWhoseObjectCellDiffers_isAnotherModels() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 90, 3L);
        Model<Label> model = new BaggingTrainer<>(new LogisticRegressionTrainer(), new VotingCombiner(), 2, 9L).train(train);
        Map<String, Object> row = new LinkedHashMap<>(CoxTribuo.flatten(model.getProvenance()));
        List<?> members = (List<?>) row.get("member-provenance");
        try (Store store = Store.open(runs, "same")) {
            CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, train));
            CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, train)); // equal: accepted
            assertThat(store.table("results").nrows()).isEqualTo(2);
        }
        try (Store store = Store.open(runs, "other")) {
            Map<String, Object> changed = new LinkedHashMap<>(row);
            changed.put("member-provenance", List.of(members.get(0)));
            Schema schema = Schema.fromExample(changed);
            store.addTable("metadata", schema).appendRow(changed);
            assertThatThrownBy(() -> CoxTribuo.log(store, model))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": table 'metadata' holds another model's row: column"
                            + " 'member-provenance' is [{");
            assertThat(store.keys()).containsExactly("metadata");
        }
        try (Store store = Store.open(runs, "other", Mode.READ)) {
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
        }
    }
}
