package cox.bench;

import cox.spark.ml.CoxML;
import cox.spark.ml.CoxMLListener;
import cox.spark.ml.FitRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.ml.FitEnd;
import org.apache.spark.ml.FitStart;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code cox.spark.ml} costs per fit, in Spark's local mode on a real
 * {@code Pipeline(VectorAssembler, LogisticRegression)} model:
 * <ul>
 *   <li>{@code listenerPerFit}: the listener's whole work for one pipeline fit, on the thread
 *       that calls it (in Spark, the listener bus thread): the four events Spark posts
 *       ({@code FitStart}/{@code FitEnd} of the pipeline and of its estimator stage), the
 *       parameters of both stages flattened (26 metadata columns) and a new run written and closed;</li>
 *   <li>{@code logMetricsPerCall}: {@code CoxML.logMetrics} with an evaluator that answers at
 *       once, so only cox's part: the run opened, a {@code results} row appended, closed;</li>
 *   <li>{@code pipelineFit} and {@code pipelineFitAndRunOf}: a real fit (150 rows, 10
 *       iterations) without, and with the listener, waiting for its run: the listener's share of
 *       a fit as a user meets it.</li>
 * </ul>
 *
 * <pre>{@code
 * bench/run SparkMLLoggingBench
 * }</pre>
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-modules=jdk.incubator.vector",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true"})
@State(Scope.Benchmark)
public class SparkMLLoggingBench {
    Path dir;
    SparkSession spark;
    Dataset<Row> data;
    Pipeline pipeline;
    LogisticRegression lr;
    PipelineModel model;
    CoxMLListener direct;
    CoxMLListener registered;
    FitRun run;
    Evaluator constant;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cox4j-bench-sparkml");
        spark = SparkSession.builder().master("local[2]").appName("cox4j-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Random r = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            rows.add(RowFactory.create(x1, x2, x1 - x2 + r.nextGaussian() > 0 ? 1.0 : 0.0));
        }
        StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType);
        data = spark.createDataFrame(rows, schema).coalesce(1).cache();
        lr = new LogisticRegression().setMaxIter(10);
        pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features"), lr});
        model = pipeline.fit(data);
        direct = new CoxMLListener(dir.resolve("direct"));
        registered = new CoxMLListener(dir.resolve("registered"));
        direct.onOtherEvent(fitStart(pipeline));
        direct.onOtherEvent(fitEnd(pipeline, model));
        run = direct.runOf(model);
        constant = new ConstantEvaluator();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        spark.stop();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static FitStart<PipelineModel> fitStart(Pipeline estimator) {
        FitStart<PipelineModel> e = new FitStart<>();
        e.estimator_$eq(estimator);
        return e;
    }

    static FitEnd<PipelineModel> fitEnd(Pipeline estimator, PipelineModel model) {
        FitEnd<PipelineModel> e = new FitEnd<>();
        e.estimator_$eq(estimator);
        e.model_$eq(model);
        return e;
    }

    @Benchmark
    public FitRun listenerPerFit() {
        direct.onOtherEvent(fitStart(pipeline));
        FitStart<LogisticRegressionModel> stageStart = new FitStart<>();
        stageStart.estimator_$eq(lr);
        direct.onOtherEvent(stageStart);
        FitEnd<LogisticRegressionModel> stageEnd = new FitEnd<>();
        stageEnd.estimator_$eq(lr);
        stageEnd.model_$eq((LogisticRegressionModel) model.stages()[1]);
        direct.onOtherEvent(stageEnd);
        direct.onOtherEvent(fitEnd(pipeline, model));
        return direct.lastRun();
    }

    @Benchmark
    public double logMetricsPerCall() {
        return CoxML.logMetrics(run, constant, data);
    }

    @Benchmark
    public PipelineModel pipelineFit() {
        return pipeline.fit(data);
    }

    @Benchmark
    public FitRun pipelineFitAndRunOf() {
        spark.sparkContext().addSparkListener(registered);
        try {
            return registered.runOf(pipeline.fit(data));
        } finally {
            spark.sparkContext().removeSparkListener(registered);
        }
    }

    /** An evaluator that answers at once: logMetrics' own cost, without Spark's evaluation. */
    static final class ConstantEvaluator extends Evaluator {
        private static final long serialVersionUID = 1L;
        private final String uid = Identifiable.randomUID("constant");

        @Override
        public double evaluate(Dataset<?> dataset) {
            return 0.5;
        }

        @Override
        public Evaluator copy(ParamMap extra) {
            return this;
        }

        @Override
        public String uid() {
            return uid;
        }
    }
}
