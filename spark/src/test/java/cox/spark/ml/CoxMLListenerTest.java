package cox.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.testing.Interop;
import cox.testing.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CoxMLListener} in Spark's local mode ({@code local[2]}, one real SparkSession for the
 * class, started with {@code spark.extraListeners=cox.spark.ml.CoxMLListener}): real pipeline and
 * cross-validation fits on seeded generated data, the runs read back with cox4j's
 * {@link CollectionReader} and {@code spark.read().format("cox")}.
 */
class CoxMLListenerTest {
    @TempDir
    static Path tmp;
    static Path confDir;
    static SparkSession spark;
    static Dataset<Row> train;
    static Dataset<Row> test;

    @BeforeAll
    static void start() {
        confDir = tmp.resolve("from-conf");
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cox4j-spark-ml-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.extraListeners", CoxMLListener.class.getName())
                .config(CoxMLListener.DIR_CONF, confDir.toString())
                .getOrCreate();
        Dataset<Row>[] split = MLData.classification(spark, 200, 7).randomSplit(new double[] {0.7, 0.3}, 7);
        train = split[0].cache();
        test = split[1].cache();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Pipeline pipeline(LogisticRegression lr) {
        VectorAssembler features = new VectorAssembler()
                .setInputCols(new String[] {"x1", "x2", "x3"}).setOutputCol("features");
        return new Pipeline().setStages(new PipelineStage[] {features, lr});
    }

    static CoxMLListener added(Path dir) {
        CoxMLListener cox = new CoxMLListener(dir);
        spark.sparkContext().addSparkListener(cox);
        return cox;
    }

    static DataFrame table(Path dir, String table) {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            return reader.df(table, DfOptions.defaults());
        }
    }

    static Object cell(DataFrame df, String column, int row) {
        assertThat(df.getColumnsIndex().toArray()).as("columns").contains(column);
        return df.getColumn(column).get(row);
    }

    @Test
    void pipelineFit_isOneRun_withEveryStagesParams_andTheEvaluatorsMetric() {
        Path dir = tmp.resolve("pipeline");
        CoxMLListener cox = added(dir);
        try {
            LogisticRegression lr = new LogisticRegression().setMaxIter(15).setRegParam(0.02);
            Pipeline pipeline = pipeline(lr);
            PipelineModel model = pipeline.fit(train);
            lr.setRegParam(0.5);        // after the fit: the run keeps what was fitted
            BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
            FitRun run = cox.runOf(model);
            double logged = CoxML.logMetrics(run, "test", auc, model.transform(test));

            assertThat(logged).isEqualTo(auc.evaluate(model.transform(test)));
            assertThat(cox.runOf((Model<?>) model.stages()[1])).isEqualTo(run);
            assertThat(cox.runs()).containsExactly(run);
            assertThat(cox.failures()).isEmpty();
            DataFrame meta = table(dir, "metadata");
            assertThat(meta.height()).isEqualTo(1);
            assertThat(cell(meta, "exp_id", 0)).isEqualTo(run.expId());
            assertThat(cell(meta, "estimator", 0)).isEqualTo("org.apache.spark.ml.Pipeline");
            assertThat(cell(meta, "stages", 0)).isEqualTo("VectorAssembler,LogisticRegression");
            assertThat(cell(meta, "tuning", 0)).isEqualTo("");
            assertThat(cell(meta, "LogisticRegression.regParam", 0)).isEqualTo(0.02);
            assertThat(cell(meta, "LogisticRegression.maxIter", 0)).isEqualTo(15L);
            assertThat(cell(meta, "LogisticRegression.family", 0)).isEqualTo("auto");       // a default
            assertThat(cell(meta, "VectorAssembler.inputCols", 0)).isEqualTo("[\"x1\",\"x2\",\"x3\"]");
            assertThat(cell(meta, "VectorAssembler.outputCol", 0)).isEqualTo("features");
            assertThat((Double) cell(meta, "fit_seconds", 0)).isPositive();
            assertThat((Double) cell(meta, "LogisticRegression.fit_seconds", 0)).isPositive()
                    .isLessThanOrEqualTo((Double) cell(meta, "fit_seconds", 0));
            assertThat((Double) cell(meta, "fit_end", 0)).isGreaterThanOrEqualTo((Double) cell(meta, "fit_start", 0));
            for (Param<?> p : lr.params()) {
                if (lr.isDefined(p)) {
                    assertThat(meta.getColumnsIndex().toArray()).contains("LogisticRegression." + p.name());
                }
            }
            DataFrame results = table(dir, "results");
            assertThat(results.height()).isEqualTo(1);
            assertThat(cell(results, "test_areaUnderROC", 0)).isEqualTo(logged);

            // the listener Spark made from spark.extraListeners saw the same fit
            FitRun fromConf = CoxMLListener.of(spark.sparkContext()).runOf(model);
            assertThat(fromConf.storageFolder()).isEqualTo(confDir.toAbsolutePath());
            assertThat(Files.isRegularFile(fromConf.path().resolve("store.h5"))).isTrue();
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    /** What pandas reads from a run, as Python cox's readers read it: one line per value. */
    static final String PANDAS_READS = """
            import sys, pandas as pd
            h5 = sys.argv[1] + "/store.h5"
            m = pd.read_hdf(h5, "metadata")
            r = pd.read_hdf(h5, "results")
            print(len(m), len(r), len(m.columns))
            print(repr(float(m["LogisticRegression.regParam"].iloc[0])))
            print(int(m["LogisticRegression.maxIter"].iloc[0]))
            print(m["VectorAssembler.inputCols"].iloc[0])
            print(m["stages"].iloc[0])
            print(repr(float(r["areaUnderROC"].iloc[0])))
            """;

    @Test
    @Interop
    void pipelineRun_readByPandas() {
        Path dir = tmp.resolve("pandas");
        CoxMLListener cox = added(dir);
        try {
            PipelineModel model = pipeline(new LogisticRegression().setMaxIter(7).setRegParam(0.125)).fit(train);
            FitRun run = cox.runOf(model);
            double auc = CoxML.logMetrics(run, new BinaryClassificationEvaluator(), model.transform(test));
            int columns = table(dir, "metadata").width() - 1;      // without the reader's exp_id
            List<String> read = Python.run(PANDAS_READS, run.path().toString()).lines().toList();
            assertThat(read.subList(0, 5)).containsExactly(
                    "1 1 " + columns, "0.125", "7", "[\"x1\",\"x2\",\"x3\"]", "VectorAssembler,LogisticRegression");
            assertThat(Double.parseDouble(read.get(5))).isEqualTo(auc);     // repr round-trips exactly
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    @Test
    void logMetrics_severalEvaluators_oneRowOfEach_andOtherColumnsLaterAreRefused() {
        Path dir = tmp.resolve("metrics");
        CoxMLListener cox = added(dir);
        try {
            PipelineModel model = pipeline(new LogisticRegression().setMaxIter(5)).fit(train);
            Dataset<Row> predictions = model.transform(test);
            FitRun run = cox.runOf(model);
            var accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
            var f1 = new MulticlassClassificationEvaluator();
            var logged = CoxML.logMetrics(run, predictions, accuracy, f1);
            assertThat(logged).containsOnlyKeys("accuracy", "f1");
            assertThat(logged.get("accuracy")).isEqualTo(accuracy.evaluate(predictions));
            assertThat(logged.get("f1")).isEqualTo(f1.evaluate(predictions));
            assertThatThrownBy(() -> CoxML.logMetrics(run, "test", accuracy, predictions))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(run.path().toString())
                    .hasMessageContaining("table 'results' has the columns [accuracy, f1], cannot append a row of [test_accuracy]");
            assertThatThrownBy(() -> CoxML.logMetrics(run, "", accuracy, predictions))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("logMetrics of run " + run.path() + ": the prefix is empty (give e.g. \"test\", or none)");
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    @Test
    void crossValidator_isOneRunPerParamMap_withAvgMetrics_andNoRunsOfTheFitsInside() throws IOException {
        CoxMLListener cox = CoxMLListener.of(spark.sparkContext());
        LogisticRegression lr = new LogisticRegression().setMaxIter(5);
        Pipeline pipeline = pipeline(lr);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(lr.regParam(), new double[] {0.01, 0.3})
                .addGrid(lr.elasticNetParam(), new double[] {0.0, 1.0})
                .build();
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEvaluator(new BinaryClassificationEvaluator())
                .setEstimatorParamMaps(grid).setNumFolds(2).setSeed(11).setParallelism(2);
        int before = cox.runs().size();

        CrossValidatorModel cvModel = cox.fitTuning(cv, train);

        List<FitRun> runs = cox.runsOf(cvModel);
        assertThat(runs).hasSize(4);
        // a pipeline fit after the tuning: once its run is there, every event of the fits inside the
        // tuning has been handled (the bus keeps the order)
        PipelineModel after = pipeline.fit(train);
        FitRun afterRun = cox.runOf(after);
        assertThat(cox.runs()).hasSize(before + 5).endsWith(afterRun);
        try (Stream<Path> folders = Files.list(confDir)) {
            assertThat(folders.count()).isEqualTo(before + 5);
        }
        assertThat(cox.failures()).isEmpty();

        try (CollectionReader reader = CollectionReader.open(confDir)) {
            DataFrame meta = reader.df("metadata", DfOptions.defaults());
            DataFrame results = reader.df("results", DfOptions.defaults());
            for (int i = 0; i < 4; i++) {
                String expId = runs.get(i).expId();
                int m = rowOf(meta, expId);
                int r = rowOf(results, expId);
                assertThat(cell(meta, "tuning", m)).isEqualTo("CrossValidator");
                assertThat(cell(meta, "param_map_index", m)).isEqualTo((long) i);
                assertThat(cell(meta, "LogisticRegression.regParam", m)).isEqualTo(grid[i].apply(lr.regParam()));
                assertThat(cell(meta, "LogisticRegression.elasticNetParam", m))
                        .isEqualTo(grid[i].apply(lr.elasticNetParam()));
                assertThat(cell(meta, "LogisticRegression.maxIter", m)).isEqualTo(5L);
                assertThat(cell(meta, "CrossValidator.numFolds", m)).isEqualTo(2L);
                assertThat(cell(meta, "CrossValidator.seed", m)).isEqualTo(11L);
                assertThat(cell(meta, "BinaryClassificationEvaluator.metricName", m)).isEqualTo("areaUnderROC");
                assertThat((String) cell(meta, "param_map", m)).contains("LogisticRegression.regParam=" + grid[i].apply(lr.regParam()));
                assertThat(cell(results, "avg_areaUnderROC", r)).isEqualTo(cvModel.avgMetrics()[i]);
            }
            FitRun best = bestRunIsSparksBestModel(meta, runs, cvModel.bestModel());
            assertThat(cox.runOf(cvModel.bestModel())).isEqualTo(best);
            assertThat(cox.runOf((Model<?>) ((PipelineModel) cvModel.bestModel()).stages()[1])).isEqualTo(best);
        }

        // and Spark reads them: one row per parameter map
        Dataset<Row> sweep = spark.read().format("cox").option("table", "results").option("metadata", "metadata")
                .load(confDir.toString()).where("tuning = 'CrossValidator'");
        assertThat(sweep.count()).isEqualTo(4);
        assertThat(sweep.where("`LogisticRegression.regParam` < 0.1").count()).isEqualTo(2);
    }

    @Test
    void plainCrossValidatorFit_isARunPerPipelineFitInside_noMetric_thenLogTuningAddsOnePerMap() {
        Path dir = tmp.resolve("plain-cv");
        CoxMLListener cox = added(dir);
        try {
            LogisticRegression lr = new LogisticRegression().setMaxIter(5);
            Pipeline pipeline = pipeline(lr);
            ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.01, 0.3}).build();
            CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEvaluator(new BinaryClassificationEvaluator())
                    .setEstimatorParamMaps(grid).setNumFolds(2).setSeed(5);

            CrossValidatorModel cvModel = cv.fit(train);

            // once the run of a later fit is there, every event of the fits inside has been handled
            VectorAssembler only = new VectorAssembler().setInputCols(new String[] {"x1"}).setOutputCol("v");
            FitRun later = cox.runOf(new Pipeline().setStages(new PipelineStage[] {only}).fit(train));
            List<FitRun> inside = cox.runs().subList(0, cox.runs().size() - 1);
            assertThat(cox.runs()).endsWith(later);
            // numFolds x maps pipeline fits, and the refit of the best map on all the data
            assertThat(inside).hasSize(2 * 2 + 1);
            double bestRegParam = ((LogisticRegressionModel) ((PipelineModel) cvModel.bestModel()).stages()[1]).getRegParam();
            try (CollectionReader reader = CollectionReader.open(dir)) {
                DataFrame meta = reader.df("metadata", DfOptions.defaults());
                List<Object> regParams = new ArrayList<>();
                for (FitRun run : inside) {
                    int m = rowOf(meta, run.expId());
                    assertThat(cell(meta, "tuning", m)).isEqualTo("");
                    assertThat(cell(meta, "estimator_uid", m)).isEqualTo(pipeline.uid());
                    regParams.add(cell(meta, "LogisticRegression.regParam", m));
                }
                assertThat(regParams).containsOnly(0.01, 0.3).filteredOn(v -> v.equals(bestRegParam)).hasSize(3);
            }

            List<FitRun> perMap = cox.logTuning(cvModel);
            assertThat(perMap).hasSize(2);
            assertThat(cox.runs()).hasSize(inside.size() + 1 + 2);      // the runs of the fits inside stay
            try (CollectionReader reader = CollectionReader.open(dir)) {
                DataFrame meta = reader.df("metadata", DfOptions.defaults());
                DataFrame results = reader.df("results", DfOptions.defaults());
                assertThat(results.height()).isEqualTo(2);      // only the per-map runs have a metric
                for (int i = 0; i < 2; i++) {
                    int m = rowOf(meta, perMap.get(i).expId());
                    assertThat(cell(meta, "tuning", m)).isEqualTo("CrossValidator");
                    assertThat(cell(meta, "param_map", m)).isEqualTo("LogisticRegression.regParam=" + grid[i].apply(lr.regParam()));
                    assertThat(cell(meta, "CrossValidator.numFolds", m)).isEqualTo(2L);
                    assertThat((Double) cell(meta, "fit_seconds", m)).isNaN();
                    assertThat(cell(results, "avg_areaUnderROC", rowOf(results, perMap.get(i).expId())))
                            .isEqualTo(cvModel.avgMetrics()[i]);
                }
                // the best model is the refit's, whose run was written first: now it finds the best map's
                assertThat(cox.runOf(cvModel.bestModel())).isEqualTo(bestRunIsSparksBestModel(meta, perMap, cvModel.bestModel()));
            }
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    @Test
    void trainValidationSplit_isOneRunPerParamMap_withValidationMetrics() {
        Path dir = tmp.resolve("tvs");
        CoxMLListener cox = added(dir);
        try {
            LogisticRegression lr = new LogisticRegression().setMaxIter(5);
            ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.05, 0.5}).build();
            TrainValidationSplit tvs = new TrainValidationSplit().setEstimator(pipeline(lr)).setEstimatorParamMaps(grid)
                    .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                    .setTrainRatio(0.75).setSeed(3);
            TrainValidationSplitModel model = cox.fitTuning(tvs, train);
            List<FitRun> runs = cox.runsOf(model);
            assertThat(runs).hasSize(2);
            assertThatThrownBy(() -> cox.runOf(model)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has 2 runs, one per parameter map of its tuning fit: use runsOf(model)");
            try (CollectionReader reader = CollectionReader.open(dir)) {
                DataFrame meta = reader.df("metadata", DfOptions.defaults());
                DataFrame results = reader.df("results", DfOptions.defaults());
                for (int i = 0; i < 2; i++) {
                    int m = rowOf(meta, runs.get(i).expId());
                    assertThat(cell(meta, "tuning", m)).isEqualTo("TrainValidationSplit");
                    assertThat(cell(meta, "TrainValidationSplit.trainRatio", m)).isEqualTo(0.75);
                    assertThat(cell(meta, "LogisticRegression.regParam", m)).isEqualTo(grid[i].apply(lr.regParam()));
                    assertThat(cell(results, "validation_accuracy", rowOf(results, runs.get(i).expId())))
                            .isEqualTo(model.validationMetrics()[i]);
                }
                assertThat(cox.runOf(model.bestModel())).isEqualTo(bestRunIsSparksBestModel(meta, runs, model.bestModel()));
            }

            // the same from the model alone, by a listener that saw no fit (after a plain tvs.fit)
            Path logged = tmp.resolve("tvs-logged");
            CoxMLListener later = new CoxMLListener(logged);
            List<FitRun> again = later.logTuning(model);
            assertThat(again).hasSize(2).doesNotContainAnyElementsOf(runs);
            assertThat(later.logTuning(model)).isEqualTo(again);        // once per model
            try (CollectionReader reader = CollectionReader.open(logged)) {
                DataFrame meta = reader.df("metadata", DfOptions.defaults());
                DataFrame results = reader.df("results", DfOptions.defaults());
                assertThat(meta.height()).isEqualTo(2);
                for (int i = 0; i < 2; i++) {
                    int m = rowOf(meta, again.get(i).expId());
                    assertThat(cell(meta, "tuning", m)).isEqualTo("TrainValidationSplit");
                    assertThat(cell(meta, "TrainValidationSplit.trainRatio", m)).isEqualTo(0.75);
                    assertThat((Double) cell(meta, "fit_start", m)).isNaN();
                    assertThat(cell(results, "validation_accuracy", rowOf(results, again.get(i).expId())))
                            .isEqualTo(model.validationMetrics()[i]);
                }
                assertThat(later.runOf(model.bestModel())).isEqualTo(bestRunIsSparksBestModel(meta, again, model.bestModel()));
            }
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    static int rowOf(DataFrame df, String expId) {
        for (int i = 0; i < df.height(); i++) {
            if (expId.equals(df.getColumn("exp_id").get(i))) {
                return i;
            }
        }
        throw new AssertionError("no row of run " + expId);
    }

    /**
     * The one run marked {@code best}, asserted to hold the parameters of the model Spark chose
     * (the regression of the {@code PipelineModel} Spark refit with the best map).
     */
    static FitRun bestRunIsSparksBestModel(DataFrame meta, List<FitRun> runs, Model<?> bestModel) {
        List<FitRun> best = runs.stream().filter(r -> Boolean.TRUE.equals(cell(meta, "best", rowOf(meta, r.expId())))).toList();
        assertThat(best).hasSize(1);
        LogisticRegressionModel chosen = (LogisticRegressionModel) ((PipelineModel) bestModel).stages()[1];
        int m = rowOf(meta, best.get(0).expId());
        assertThat(cell(meta, "LogisticRegression.regParam", m)).isEqualTo(chosen.getRegParam());
        assertThat(cell(meta, "LogisticRegression.elasticNetParam", m)).isEqualTo(chosen.getElasticNetParam());
        return best.get(0);
    }

    @Test
    void aRunThatCannotBeWritten_isAFailure_notAnException_andRunOfSaysWhy() throws IOException {
        Path notAFolder = Files.writeString(tmp.resolve("not-a-folder"), "a file");
        CoxMLListener cox = added(notAFolder);
        try {
            PipelineModel model = pipeline(new LogisticRegression().setMaxIter(3)).fit(train);
            assertThatThrownBy(() -> cox.runOf(model))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no run: cannot write the run of the fit of pipeline_")
                    .hasMessageContaining(notAFolder.toString());
            assertThat(cox.failures()).hasSize(1);
            assertThat(cox.runs()).isEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    @Test
    void runOf_aBareEstimatorsModel_saysSparkPostsNoEventForIt() {
        CoxMLListener cox = added(tmp.resolve("bare"));
        try {
            var features = new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features");
            var model = new LogisticRegression().setMaxIter(3).fit(features.transform(train));
            assertThatThrownBy(() -> cox.runOf(model, Duration.ofMillis(200)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no run of model logreg_")
                    .hasMessageContaining("Spark posts fit events for Pipeline.fit only");
        } finally {
            spark.sparkContext().removeSparkListener(cox);
        }
    }

    @Test
    void example_runs() {
        Path dir = tmp.resolve("example");
        CoxMLListener cox = SparkMLExample.run(spark, dir);
        assertThat(cox.runs()).hasSize(5);
        assertThat(cox.failures()).isEmpty();
        try (CollectionReader reader = CollectionReader.open(dir)) {
            assertThat(reader.df("metadata", DfOptions.defaults()).height()).isEqualTo(5);
        }
    }

    @Test
    void confFolderOfARemoteScheme_isRefused_namingKeyAndValue_aFileUriIsAFolder() {
        for (String remote : List.of("hdfs://namenode:8020/runs", "s3a://bucket/runs", "dbfs:/runs")) {
            assertThatThrownBy(() -> new CoxMLListener(new SparkConf(false).set(CoxMLListener.DIR_CONF, remote)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("spark.cox.ml.dir=" + remote + ": CoxMLListener writes to a local (or mounted)"
                            + " folder, not to a " + remote.substring(0, remote.indexOf(':') + 1) + " URI");
        }
        Path local = tmp.resolve("file-uri");
        assertThat(new CoxMLListener(new SparkConf(false).set(CoxMLListener.DIR_CONF, local.toUri().toString())).dir())
                .isEqualTo(local.toAbsolutePath());
        // a folder whose name has a colon is a folder, unless a known remote scheme or // follows
        for (String folder : List.of("exp:1", "runs:v2/x")) {
            assertThat(new CoxMLListener(new SparkConf(false).set(CoxMLListener.DIR_CONF, folder)).dir())
                    .isEqualTo(Path.of(folder).toAbsolutePath());
            assertThat(new CoxMLListener(Path.of(folder)).dir()).isEqualTo(Path.of(folder).toAbsolutePath());
        }
        assertThatThrownBy(() -> new CoxMLListener(new SparkConf(false).set(CoxMLListener.DIR_CONF, "minio://host/runs")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not to a minio: URI");
        assertThatThrownBy(() -> new CoxMLListener(Path.of("s3a://bucket/runs")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dir s3a:/bucket/runs: CoxMLListener writes to a local (or mounted) folder,"
                        + " not to a s3a: URI");
    }

    @Test
    void confWithoutTheFolder_isRefused_namingTheKey() {
        assertThatThrownBy(() -> new CoxMLListener(new SparkConf(false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spark.cox.ml.dir is not set: cox.spark.ml.CoxMLListener (in spark.extraListeners)");
    }
}
