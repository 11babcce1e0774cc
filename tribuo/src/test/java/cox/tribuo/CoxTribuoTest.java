package cox.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import cox.readers.CollectionReader;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.evaluation.metrics.MetricID;
import org.tribuo.provenance.EvaluationProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

class CoxTribuoTest {
    /** Tribuo's trainers log each training at INFO; held so the setting stays. */
    static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    @TempDir
    Path runs;

    @BeforeAll
    static void quietTribuo() {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    @Test
    void logisticRegression_metadataIsTheProvenance_resultsEqualTribuos() {
        TribuoData.Split<Label> data = TribuoData.gaussianLabels(200, 1L);
        Model<Label> model = TribuoData.logisticRegression(data.train());
        LabelEvaluator evaluator = new LabelEvaluator();
        LabelEvaluation train = evaluator.evaluate(model, data.train());
        LabelEvaluation test = evaluator.evaluate(model, data.test());
        try (Store store = Store.open(runs, "lr")) {
            CoxTribuo.log(store, model, train, test);
        }
        try (Store store = Store.open(runs, "lr", Mode.READ)) {
            DataFrame meta = store.table("metadata").df();
            assertThat(meta.height()).isEqualTo(1);
            assertThat(cell(meta, "class-name")).isEqualTo("org.tribuo.classification.sgd.linear.LinearSGDModel");
            assertThat(cell(meta, "trainer.class-name"))
                    .isEqualTo("org.tribuo.classification.sgd.linear.LogisticRegressionTrainer");
            assertThat(cell(meta, "trainer.epochs")).isEqualTo(5L);
            assertThat(cell(meta, "trainer.seed")).isEqualTo(12345L);
            assertThat(cell(meta, "trainer.shuffle")).isEqualTo(true);
            assertThat(cell(meta, "trainer.optimiser.class-name")).isEqualTo("org.tribuo.math.optimisers.AdaGrad");
            assertThat(cell(meta, "trainer.optimiser.initialLearningRate")).isEqualTo(1.0);
            assertThat(cell(meta, "dataset.num-examples")).isEqualTo(140L);
            assertThat(cell(meta, "dataset.num-features")).isEqualTo(2L);
            assertThat(cell(meta, "dataset.num-outputs")).isEqualTo(2L);
            assertThat(cell(meta, "dataset.datasource.class-name")).isEqualTo("org.tribuo.evaluation.TrainTestSplitter");
            assertThat(cell(meta, "dataset.datasource.train-proportion")).isEqualTo(0.7);
            assertThat(cell(meta, "dataset.datasource.is-train")).isEqualTo(true);
            assertThat(cell(meta, "dataset.datasource.source.class-name"))
                    .isEqualTo("org.tribuo.classification.example.GaussianLabelDataSource");
            assertThat(cell(meta, "dataset.datasource.source.numSamples")).isEqualTo(200L);
            assertThat(cell(meta, "dataset.datasource.source.firstMean.1")).isEqualTo(1.0);
            assertThat(cell(meta, "trained-at")).isEqualTo(model.getProvenance().getTrainingTime().toString());
            assertThat(cell(meta, "tribuo-version")).isEqualTo("4.3.2");
            assertThat(meta.getColumnsIndex().toArray()).noneMatch(c -> c.contains("host-short-name"));
            assertThat(store.table("metadata").schema().get("trainer.epochs")).isEqualTo(ColumnType.INT);
            assertThat(store.table("metadata").schema().get("trainer.optimiser.epsilon")).isEqualTo(ColumnType.FLOAT);
            assertThat(store.table("metadata").schema().get("trainer.shuffle")).isEqualTo(ColumnType.BOOL);
            assertEveryValueIsOlcuts(meta, ProvenanceUtil.convertToMap(model.getProvenance()));

            Table results = store.table("results");
            DataFrame df = results.df();
            assertThat(df.height()).isEqualTo(2);
            assertThat(df.getColumnsIndex().toArray()).containsExactly("evaluation", "num-examples", "accuracy",
                    "balancedErrorRate", "macroAveragedPrecision", "macroAveragedRecall", "macroAveragedF1",
                    "microAveragedPrecision", "microAveragedRecall", "microAveragedF1", "precision.O", "recall.O", "f1.O",
                    "precision.X", "recall.X", "f1.X", "confusionMatrix", "dataset");
            assertThat(df.getColumn("evaluation").toList()).containsExactly("train", "test");
            assertLabelRow(results, df, 0, train);
            assertLabelRow(results, df, 1, test);
            @SuppressWarnings("unchecked")
            Map<String, Object> testData = (Map<String, Object>) results.getObject((String) df.getColumn("dataset").get(1));
            assertThat(testData).containsEntry("datasource.is-train", false).containsEntry("num-examples", 60L)
                    .containsEntry("datasource.class-name", "org.tribuo.evaluation.TrainTestSplitter");
        }
        DataFrame read = CollectionReader.open(runs).df("results");
        assertThat(read.getColumn("exp_id").toList()).containsExactly("lr", "lr");
        assertThat(read.getColumn("macroAveragedF1").toList()).containsExactly(train.macroAveragedF1(), test.macroAveragedF1());
        assertThat(read.getColumn("confusionMatrix").get(1)).isEqualTo(confusion(test));
    }

    @Test
    void threeLabels_perLabelColumnsSortedByName_confusionMatrixRowsAreTruth() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 300, 3L);
        MutableDataset<Label> test = TribuoData.threeClasses("three blobs, test", 150, 4L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 3);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        try (Store store = Store.open(runs, "three")) {
            CoxTribuo.log(store, model, evaluation);
            Table results = store.table("results");
            DataFrame df = results.df();
            assertThat(df.getColumnsIndex().toArray()).containsSubsequence("precision.blue", "recall.blue", "f1.blue",
                    "precision.green", "recall.green", "f1.green", "precision.red", "recall.red", "f1.red");
            assertThat(cell(df, "evaluation")).isEqualTo("test");
            assertLabelRow(results, df, 0, evaluation);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Double>> cm = (Map<String, Map<String, Double>>) results.getObject(
                    (String) cell(df, "confusionMatrix"));
            assertThat(cm.keySet()).containsExactly("blue", "green", "red");
            Label red = new Label("red");
            assertThat(cm.get("red").get("red")).isEqualTo(evaluation.tp(red));
            double redMissed = cm.get("red").values().stream().mapToDouble(Double::doubleValue).sum() - cm.get("red").get("red");
            assertThat(redMissed).isEqualTo(evaluation.fn(red));
        }
    }

    /** The matrix counted straight from the predictions, independently of Tribuo's ConfusionMatrix. */
    @Test
    void confusionMatrix_isTruthThenPredicted_asCountedFromThePredictions() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 300, 3L);
        MutableDataset<Label> test = TribuoData.threeClasses("three blobs, test", 150, 4L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.05, 1);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        Map<String, Map<String, Double>> expected = new LinkedHashMap<>();
        for (String truth : List.of("blue", "green", "red")) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String predicted : List.of("blue", "green", "red")) {
                row.put(predicted, 0.0);
            }
            expected.put(truth, row);
        }
        for (Prediction<Label> p : evaluation.getPredictions()) {
            expected.get(p.getExample().getOutput().getLabel()).merge(p.getOutput().getLabel(), 1.0, Double::sum);
        }
        // not symmetric, so a transposed matrix would not pass
        assertThat(expected.get("red").get("green")).isNotEqualTo(expected.get("green").get("red"));
        try (Store store = Store.open(runs, "orientation")) {
            CoxTribuo.log(store, model, evaluation);
            Table results = store.table("results");
            Object cm = results.getObject((String) cell(results.df(), "confusionMatrix"));
            assertThat(cm).isEqualTo(expected);
            assertThat(((Map<?, ?>) cm).keySet().stream().map(String::valueOf).toList()).containsExactly("blue", "green", "red");
        }
    }

    /** A label the model knows but the test set lacks keeps its columns, with Tribuo's values. */
    @Test
    void testSetWithoutALabel_keepsItsColumns_withTribuosValues() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 300, 3L);
        MutableDataset<Label> test = TribuoData.threeClassesWithout("blue", "two blobs, test", 150, 4L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 3);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);
        Label blue = new Label("blue");
        try (Store store = Store.open(runs, "no-blue")) {
            CoxTribuo.log(store, model, evaluation);
            Table results = store.table("results");
            DataFrame df = results.df();
            assertThat(df.getColumnsIndex().toArray()).contains("precision.blue", "recall.blue", "f1.blue");
            assertThat(cell(df, "precision.blue")).isEqualTo(evaluation.precision(blue)).isEqualTo(0.0);
            assertThat(cell(df, "recall.blue")).isEqualTo(evaluation.recall(blue));
            assertThat(cell(df, "f1.blue")).isEqualTo(evaluation.f1(blue));
            assertLabelRow(results, df, 0, evaluation);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Double>> cm = (Map<String, Map<String, Double>>) results.getObject(
                    (String) cell(df, "confusionMatrix"));
            assertThat(cm.get("blue")).containsExactly(Map.entry("blue", 0.0), Map.entry("green", 0.0), Map.entry("red", 0.0));
        }
    }

    /** An output dimension whose true values are all equal: R² is NaN, as Tribuo gives it. */
    @Test
    void regression_aConstantOutputDimension_hasAnR2OfNaN() {
        MutableDataset<Regressor> train = TribuoData.oneFlatOutput("flat, train", 200, 8L);
        MutableDataset<Regressor> test = TribuoData.oneFlatOutput("flat, test", 60, 9L);
        Model<Regressor> model = TribuoData.linearRegression(train, 3);
        RegressionEvaluation evaluation = new RegressionEvaluator().evaluate(model, test);
        Regressor flat = new Regressor("flat", Double.NaN);
        assertThat(evaluation.r2(flat)).isNaN();
        try (Store store = Store.open(runs, "flat")) {
            CoxTribuo.log(store, model, evaluation);
            DataFrame df = store.table("results").df();
            assertThat((double) cell(df, "r2.flat")).isNaN();
            assertThat(cell(df, "averageR2")).isEqualTo(evaluation.averageR2());
            assertThat(cell(df, "r2.y")).isEqualTo(evaluation.r2(new Regressor("y", Double.NaN)));
            assertThat(cell(df, "rmse.flat")).isEqualTo(evaluation.rmse(flat));
        }
    }

    /** An evaluation of a DataSource carries the source's provenance: never "train", even of the training source. */
    @Test
    void evaluationOfADataSource_isNeverNamedTrain() {
        org.tribuo.classification.example.GaussianLabelDataSource source =
                new org.tribuo.classification.example.GaussianLabelDataSource(100, 2L, new double[] {1, 1},
                        new double[] {1, 0, 0, 1}, new double[] {-1, -1}, new double[] {1, 0, 0, 1});
        MutableDataset<Label> train = new MutableDataset<>(source);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        LabelEvaluator evaluator = new LabelEvaluator();
        try (Store store = Store.open(runs, "source")) {
            CoxTribuo.log(store, model, evaluator.evaluate(model, source), evaluator.evaluate(model, train));
            assertThat(store.table("results").df().getColumn("evaluation").toList()).containsExactly("test", "train");
        }
    }

    @Test
    void linearRegression_twoOutputs_resultsEqualTribuos_modelSaved() throws Exception {
        MutableDataset<Regressor> train = TribuoData.twoOutputs("two outputs, train", 300, 5L);
        MutableDataset<Regressor> test = TribuoData.twoOutputs("two outputs, test", 100, 6L);
        Model<Regressor> model = TribuoData.linearRegression(train, 5);
        RegressionEvaluator evaluator = new RegressionEvaluator();
        RegressionEvaluation onTrain = evaluator.evaluate(model, train);
        RegressionEvaluation onTest = evaluator.evaluate(model, test);
        try (Store store = Store.open(runs, "reg")) {
            CoxTribuo.to(store).saveModel().log(model, Map.of("holdout", onTest));
            CoxTribuo.log(store, model, onTrain); // a second call: metadata kept, a row appended
            Model<?> saved = Model.deserializeFromFile(store.saveDir().resolve("model.tribuo"));
            assertThat(saved.getProvenance()).isEqualTo(model.getProvenance());
            assertThat(new RegressionEvaluator().evaluate(saved.castModel(Regressor.class), test).averageRMSE())
                    .isEqualTo(onTest.averageRMSE());
        }
        try (Store store = Store.open(runs, "reg", Mode.READ)) {
            DataFrame meta = store.table("metadata").df();
            assertThat(meta.height()).isEqualTo(1);
            assertThat(cell(meta, "trainer.class-name")).isEqualTo("org.tribuo.regression.sgd.linear.LinearSGDTrainer");
            assertThat(cell(meta, "trainer.objective.class-name")).isEqualTo("org.tribuo.regression.sgd.objectives.SquaredLoss");
            assertThat(cell(meta, "trainer.optimiser.initialLearningRate")).isEqualTo(0.1);
            assertThat(cell(meta, "dataset.num-outputs")).isEqualTo(2L);
            assertThat(cell(meta, "dataset.datasource.description")).isEqualTo("two outputs, train");
            assertEveryValueIsOlcuts(meta, ProvenanceUtil.convertToMap(model.getProvenance()));
            DataFrame df = store.table("results").df();
            assertThat(df.getColumnsIndex().toArray()).containsExactly("evaluation", "num-examples", "averageRMSE",
                    "averageMAE", "averageR2", "averagedExplainedVariance", "rmse.demand", "mae.demand", "r2.demand",
                    "explainedVariance.demand", "rmse.price", "mae.price", "r2.price", "explainedVariance.price", "dataset");
            assertThat(df.getColumn("evaluation").toList()).containsExactly("holdout", "train");
            List<RegressionEvaluation> evaluations = List.of(onTest, onTrain);
            for (int r = 0; r < 2; r++) {
                RegressionEvaluation e = evaluations.get(r);
                assertThat(df.getColumn("num-examples").get(r)).isEqualTo((long) e.getPredictions().size());
                assertThat(df.getColumn("averageRMSE").get(r)).isEqualTo(e.averageRMSE());
                assertThat(df.getColumn("averageMAE").get(r)).isEqualTo(e.averageMAE());
                assertThat(df.getColumn("averageR2").get(r)).isEqualTo(e.averageR2());
                assertThat(df.getColumn("averagedExplainedVariance").get(r)).isEqualTo(e.averagedExplainedVariance());
                for (String dim : List.of("price", "demand")) {
                    Regressor d = new Regressor(dim, Double.NaN);
                    assertThat(df.getColumn("rmse." + dim).get(r)).isEqualTo(e.rmse(d));
                    assertThat(df.getColumn("mae." + dim).get(r)).isEqualTo(e.mae(d));
                    assertThat(df.getColumn("r2." + dim).get(r)).isEqualTo(e.r2(d));
                    assertThat(df.getColumn("explainedVariance." + dim).get(r)).isEqualTo(e.explainedVariance(d));
                }
            }
            assertThat((double) df.getColumn("averageRMSE").get(0))
                    .isEqualTo((onTest.rmse(new Regressor("price", 0)) + onTest.rmse(new Regressor("demand", 0))) / 2);
        }
    }

    @Test
    void sweep_everyRunHasTheSameColumns_userParamsFollowTheProvenance() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 200, 3L);
        MutableDataset<Label> test = TribuoData.threeClasses("three blobs, test", 100, 4L);
        List<Schema> metadata = new ArrayList<>();
        List<Schema> results = new ArrayList<>();
        for (double lr : new double[] {0.05, 0.5, 1.0}) {
            Model<Label> model = TribuoData.logisticRegression(train, lr, 2);
            LabelEvaluator evaluator = new LabelEvaluator();
            try (Store store = Store.open(runs)) {
                CoxTribuo.to(store).param("sweep", "lr").param("round", 1)
                        .log(model, evaluator.evaluate(model, train), evaluator.evaluate(model, test));
                metadata.add(store.table("metadata").schema());
                results.add(store.table("results").schema());
                assertThat(store.table("metadata").schema().get("round")).isEqualTo(ColumnType.INT);
                assertThat(List.copyOf(store.table("metadata").schema().keySet())).endsWith("sweep", "round");
            }
        }
        assertThat(metadata).allMatch(s -> s.sameLayout(metadata.get(0)));
        assertThat(results).allMatch(s -> s.sameLayout(results.get(0)));
        CollectionReader reader = CollectionReader.open(runs);
        assertThat(reader.df("results").height()).isEqualTo(6);
        DataFrame meta = reader.df("metadata");
        assertThat(meta.getColumn("trainer.optimiser.initialLearningRate").toList()).containsExactlyInAnyOrder(0.05, 0.5, 1.0);
    }

    @Test
    void resultsTableWithOtherColumns_isRefused_namingStoreTableAndColumns_nothingWritten() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> classifier = TribuoData.logisticRegression(train, 0.5, 1);
        MutableDataset<Regressor> reg = TribuoData.twoOutputs("two outputs, train", 100, 5L);
        Model<Regressor> regression = TribuoData.linearRegression(reg, 1);
        try (Store store = Store.open(runs, "mixed")) {
            store.addTable("results", Schema.of("epoch", ColumnType.INT, "accuracy", ColumnType.FLOAT));
            assertThatThrownBy(() -> CoxTribuo.log(store, classifier, new LabelEvaluator().evaluate(classifier, train)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": table 'results' has other columns than evaluation"
                            + " 'train' gives (evaluation 'train': extra column evaluation (str); extra column num-examples"
                            + " (int); extra column balancedErrorRate (float);")
                    .hasMessageContaining("; no column epoch); log each model into a store of its own");
            assertThat(store.keys()).containsExactly("results");
        }
        try (Store store = Store.open(runs, "regression-then-labels")) {
            CoxTribuo.log(store, regression, new RegressionEvaluator().evaluate(regression, reg));
            assertThatThrownBy(() -> CoxTribuo.log(store, classifier, new LabelEvaluator().evaluate(classifier, train)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": table 'metadata' has other columns than the model's"
                            + " provenance gives (the model's provenance: ");
        }
    }

    @Test
    void otherModelsMetadata_evaluationOfAnotherModel_paramClash_areRefused() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> first = TribuoData.logisticRegression(train, 0.5, 1);
        Model<Label> second = TribuoData.logisticRegression(train, 0.1, 1);
        LabelEvaluator evaluator = new LabelEvaluator();
        try (Store store = Store.open(runs, "two-models")) {
            CoxTribuo.log(store, first, evaluator.evaluate(first, train));
            assertThatThrownBy(() -> CoxTribuo.log(store, second, evaluator.evaluate(second, train)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": table 'metadata' holds another model's row: column"
                            + " 'trained-at' is " + first.getProvenance().getTrainingTime() + ", this model's is "
                            + second.getProvenance().getTrainingTime() + "; column 'trainer.optimiser.initialLearningRate'"
                            + " is 0.5, this model's is 0.1; log each model");
            assertThatThrownBy(() -> CoxTribuo.log(store, first, evaluator.evaluate(second, train)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": evaluation 'train-2' is of another model");
            assertThatThrownBy(() -> CoxTribuo.to(store).param("trainer.epochs", 3).log(first))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": parameter 'trainer.epochs' is a column of the model's"
                            + " provenance already (1): choose another name");
            assertThat(store.table("results").nrows()).isEqualTo(1);
        }
    }

    @Test
    void labelNamesThatCannotBeColumns_areRefusedNamingTheLabel() {
        org.tribuo.classification.LabelFactory factory = new org.tribuo.classification.LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("control characters", factory), factory);
        for (int i = 0; i < 20; i++) {
            String label = i % 2 == 0 ? "ok" : "bad\tlabel";
            data.add(new org.tribuo.impl.ListExample<>(new Label(label), new String[] {"x"}, new double[] {i % 2}));
        }
        Model<Label> model = TribuoData.logisticRegression(data, 0.5, 1);
        try (Store store = Store.open(runs, "bad-label")) {
            assertThatThrownBy(() -> CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, data)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": evaluation 'train': 'precision.bad\tlabel' cannot be a"
                            + " cox column name");
            assertThat(store.keys()).isEmpty();
        }
    }

    @Test
    void ensembles_ofAnySize_haveTheSameColumns_membersInOneObjectCell() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 150, 3L);
        List<Schema> schemas = new ArrayList<>();
        for (int members : new int[] {3, 20}) {
            Model<Label> model = new BaggingTrainer<>(new LogisticRegressionTrainer(), new VotingCombiner(), members, 9L)
                    .train(train);
            try (Store store = Store.open(runs, "bagging-" + members)) {
                CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, train));
                Table metadata = store.table("metadata");
                schemas.add(metadata.schema());
                DataFrame meta = metadata.df();
                assertThat(cell(meta, "trainer.numMembers")).isEqualTo((long) members);
                assertThat(cell(meta, "trainer.innerTrainer.class-name"))
                        .isEqualTo("org.tribuo.classification.sgd.linear.LogisticRegressionTrainer");
                assertThat(metadata.schema().get("member-provenance")).isEqualTo(ColumnType.OBJECT);
                List<?> memberList = (List<?>) metadata.getObject((String) cell(meta, "member-provenance"));
                assertThat(memberList).hasSize(members);
                @SuppressWarnings("unchecked")
                Map<String, Object> first = (Map<String, Object>) memberList.get(0);
                assertThat(first).containsEntry("trainer.class-name",
                        "org.tribuo.classification.sgd.linear.LogisticRegressionTrainer").containsEntry("dataset.sampled", true);
                assertThat(metadata.schema().keySet()).noneMatch(c -> c.startsWith("member-provenance."));
            }
        }
        assertThat(schemas.get(1).sameLayout(schemas.get(0))).isTrue();
        assertThat(schemas.get(0).size()).isLessThan(60);
    }

    @Test
    void unsupportedEvaluationKind_andAnotherModelsEvaluation_areRefused_nothingWritten() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 120, 3L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 1);
        LabelEvaluation real = new LabelEvaluator().evaluate(model, train);
        Evaluation<Label> other = new Evaluation<>() {
            @Override
            public Map<MetricID<Label>, Double> asMap() {
                return real.asMap();
            }

            @Override
            public List<Prediction<Label>> getPredictions() {
                return real.getPredictions();
            }

            @Override
            public EvaluationProvenance getProvenance() {
                return real.getProvenance();
            }
        };
        MutableDataset<Regressor> reg = TribuoData.twoOutputs("two outputs, train", 100, 5L);
        Model<Regressor> regression = TribuoData.linearRegression(reg, 1);
        try (Store store = Store.open(runs, "kinds")) {
            assertThatThrownBy(() -> CoxTribuo.log(store, model, other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("store " + store.path() + ": evaluation 'train' is a " + other.getClass().getName()
                            + ": CoxTribuo logs a LabelEvaluation (classification) or a RegressionEvaluation");
            Map<String, Evaluation<?>> mixed = new LinkedHashMap<>();
            mixed.put("labels", real);
            mixed.put("numbers", new RegressionEvaluator().evaluate(regression, reg));
            assertThatThrownBy(() -> CoxTribuo.log(store, model, mixed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("store " + store.path() + ": evaluation 'numbers' is of another model");
            assertThat(store.keys()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Object cell(DataFrame df, String column) {
        return df.getColumn(column).get(0);
    }

    private static void assertLabelRow(Table results, DataFrame df, int r, LabelEvaluation e) {
        assertThat(df.getColumn("num-examples").get(r)).isEqualTo((long) e.getPredictions().size());
        assertThat(df.getColumn("accuracy").get(r)).isEqualTo(e.accuracy());
        assertThat(df.getColumn("balancedErrorRate").get(r)).isEqualTo(e.balancedErrorRate());
        assertThat(df.getColumn("macroAveragedPrecision").get(r)).isEqualTo(e.macroAveragedPrecision());
        assertThat(df.getColumn("macroAveragedRecall").get(r)).isEqualTo(e.macroAveragedRecall());
        assertThat(df.getColumn("macroAveragedF1").get(r)).isEqualTo(e.macroAveragedF1());
        assertThat(df.getColumn("microAveragedPrecision").get(r)).isEqualTo(e.microAveragedPrecision());
        assertThat(df.getColumn("microAveragedRecall").get(r)).isEqualTo(e.microAveragedRecall());
        assertThat(df.getColumn("microAveragedF1").get(r)).isEqualTo(e.microAveragedF1());
        for (Label label : e.getConfusionMatrix().getDomain().getDomain()) {
            String name = label.getLabel();
            assertThat(df.getColumn("precision." + name).get(r)).isEqualTo(e.precision(label));
            assertThat(df.getColumn("recall." + name).get(r)).isEqualTo(e.recall(label));
            assertThat(df.getColumn("f1." + name).get(r)).isEqualTo(e.f1(label));
        }
        assertThat(results.getObject((String) df.getColumn("confusionMatrix").get(r))).isEqualTo(confusion(e));
    }

    /** {true label: {predicted label: count}} straight from Tribuo's confusion matrix. */
    static Map<String, Map<String, Double>> confusion(LabelEvaluation e) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (Label truth : e.getConfusionMatrix().getDomain().getDomain()) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (Label predicted : e.getConfusionMatrix().getDomain().getDomain()) {
                row.put(predicted.getLabel(), e.getConfusionMatrix().confusion(predicted, truth));
            }
            m.put(truth.getLabel(), row);
        }
        return m;
    }

    /**
     * Every metadata column is a path into OLCUT's own {@code ProvenanceUtil.convertToMap} (nested
     * maps and lists of value strings) whose text is the cell's, and every leaf of that map but
     * OLCUT's host-short-name entries is a column.
     */
    static void assertEveryValueIsOlcuts(DataFrame meta, Map<String, Object> olcut) {
        Map<String, String> leaves = new LinkedHashMap<>();
        collectLeaves("", olcut, leaves);
        leaves.keySet().removeIf(k -> k.endsWith(ProvenanceColumns.HOST_SHORT_NAME));
        List<String> columns = List.of(meta.getColumnsIndex().toArray());
        assertThat(columns).containsExactlyInAnyOrderElementsOf(leaves.keySet());
        for (String c : columns) {
            assertThat(String.valueOf(cell(meta, c))).as(c).isEqualTo(leaves.get(c));
        }
    }

    private static void collectLeaves(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectLeaves(prefix.isEmpty() ? (String) k : prefix + "." + k, v, out));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectLeaves(prefix + "." + i, list.get(i), out);
            }
        } else {
            out.put(prefix, String.valueOf(value));
        }
    }
}
