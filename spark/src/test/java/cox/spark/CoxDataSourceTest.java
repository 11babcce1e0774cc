package cox.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.Store;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code spark.read().format("cox")} in Spark's local mode ({@code local[2]}, a real
 * SparkSession shared by the class), against cox4j's own {@link CollectionReader} on the same
 * folder: runs written by cox4j ({@link SweepRuns#SPARK}) and by the real Python cox
 * ({@link PythonCoxRuns}).
 */
class CoxDataSourceTest {
    /** OBJECT and PICKLE columns of the test runs: the reader decodes them unless kept; Spark gives the stored text. */
    static final String[] OBJECT_COLUMNS = {"sample", "config", "obj", "pick"};

    @TempDir
    static Path tmp;
    static Path runs;
    static Path broken;
    static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        runs = Files.createDirectories(tmp.resolve("runs"));
        PythonCoxRuns.copyAll(runs);
        SweepRuns.SPARK.write(runs, "java-%02d", 8);
        broken = Files.createDirectories(tmp.resolve("broken"));
        SweepRuns.SPARK.writeRun(broken, "a", 0);
        Files.writeString(Files.createDirectories(broken.resolve("b")).resolve("store.h5"), "this is not an HDF5 file");
        SweepRuns.SPARK.writeRun(broken, "c", 1);
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cox4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Dataset<Row> read(Path path, String table, String... options) {
        var reader = spark.read().format("cox").option("table", table);
        for (int i = 0; i < options.length; i += 2) {
            reader = reader.option(options[i], options[i + 1]);
        }
        return reader.load(path.toString());
    }

    static DataFrame expected(Path dir, String table, String metadata, Predicate<String> expFilter) {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            DfOptions o = DfOptions.defaults().keepSerialized(OBJECT_COLUMNS).metadataTable(metadata);
            return reader.df(table, expFilter == null ? o : o.expFilter(expFilter));
        }
    }

    /** Same column names in the same order, same rows in the same order, each cell equal (doubles bit for bit, NaN included). */
    static void assertSameCells(Dataset<Row> actual, DataFrame expected) {
        assertThat(actual.columns()).containsExactly(expected.getColumnsIndex().toArray());
        List<Row> rows = actual.collectAsList();
        assertThat(rows).hasSize(expected.height());
        for (int c = 0; c < actual.columns().length; c++) {
            for (int r = 0; r < rows.size(); r++) {
                Object a = rows.get(r).get(c);
                Object e = expected.getColumn(c).get(r);
                String where = "column " + actual.columns()[c] + ", row " + r;
                if (e instanceof Double d) {
                    assertThat(a).as(where).isInstanceOf(Double.class);
                    assertThat(Double.doubleToRawLongBits((Double) a)).as(where + ": " + a + " vs " + d)
                            .isEqualTo(Double.doubleToRawLongBits(d));
                } else {
                    assertThat(a).as(where).isEqualTo(e);
                }
            }
        }
    }

    /**
     * For a read of some runs: the schema is the whole folder's (inferred at load), so the columns
     * only other runs have are null here; the rest equals the reader's frame of these runs.
     */
    static void assertSameCellsOfSomeRuns(Dataset<Row> actual, DataFrame expected) {
        assertThat(expected.height()).as("rows expected (a check of no runs proves nothing)").isPositive();
        List<String> own = List.of(expected.getColumnsIndex().toArray());
        List<org.apache.spark.sql.Column> others = new ArrayList<>();
        for (String c : actual.columns()) {
            if (!own.contains(c)) {
                others.add(col(c).isNotNull());
            }
        }
        for (org.apache.spark.sql.Column notNull : others) {
            assertThat(actual.filter(notNull).count()).as(notNull.toString()).isZero();
        }
        assertSameCells(actual.select(own.stream().map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new)), expected);
    }

    /** A metric of the cox scan in the query {@code df} ran. */
    static long metric(Dataset<Row> df, String name) {
        SparkPlan plan = df.queryExecution().executedPlan();
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            plan = adaptive.executedPlan();
        }
        for (SparkPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
            if (leaf instanceof BatchScanExec scan) {
                return scan.metrics().apply(name).value();
            }
        }
        throw new AssertionError("no batch scan in " + plan);
    }

    @Test
    void everyTable_equalsCollectionReaderDf_cellForCell() {
        for (String table : List.of("results", "metadata", "objects", "special")) {
            Dataset<Row> df = read(runs, table);
            assertSameCells(df, expected(runs, table, null, null));
        }
    }

    @Test
    void rowByRowReads_giveTheSameCells() {
        spark.conf().set(RunScan.COLUMNAR_READS, "false");
        try {
            assertSameCells(read(runs, "results", "metadata", "metadata"), expected(runs, "results", "metadata", null));
            // special: only the Python runs have it, yet every run's parameters are columns (null here)
            assertSameCellsOfSomeRuns(read(runs, "special", "metadata", "metadata"), expected(runs, "special", "metadata", null));
            Dataset<Row> df = read(runs, "results").filter(col("exp_id").startsWith("java-0"));
            assertThat(df.collectAsList()).hasSize(3 + 4 + 5 + 6 + 7 + 8 + 10);
            assertThat(df.queryExecution().executedPlan().toString()).doesNotContain("ColumnarToRow");
            assertThat(metric(df, ReadMetrics.STORES_READ)).isEqualTo(8);
        } finally {
            spark.conf().unset(RunScan.COLUMNAR_READS);
        }
        assertThat(read(runs, "results").queryExecution().executedPlan().toString()).contains("ColumnarToRow");
    }

    @Test
    void metadataJoin_equalsCollectionReaderDf_cellForCell() {
        Dataset<Row> df = read(runs, "results", "metadata", "metadata");
        assertSameCells(df, expected(runs, "results", "metadata", null));
        assertThat(df.columns()).containsSequence("exp_id", "lr", "epochs", "optimizer", "nesterov", "layers", "config");
        assertThat(metric(df, ReadMetrics.STORES_READ)).isEqualTo(11);
        assertThat(metric(df, ReadMetrics.ROWS_READ)).isEqualTo(3 * 20 + 3 + 4 + 5 + 6 + 7 + 8 + 10);
    }

    @Test
    void schema_isInferredWithCoxMerge_objectsAsStoredText() {
        StructType schema = read(runs, "results", "metadata", "metadata").schema();
        assertThat(schema.apply("epoch").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(schema.apply("acc").dataType()).isEqualTo(DataTypes.DoubleType); // INT in java-04, FLOAT elsewhere
        assertThat(schema.apply("best").dataType()).isEqualTo(DataTypes.BooleanType);
        assertThat(schema.apply("sample").dataType()).isEqualTo(DataTypes.StringType);
        assertThat(schema.apply("exp_id").nullable()).isFalse();
        StructType objects = read(runs, "objects").schema();
        assertThat(objects.fieldNames()).containsExactly("obj", "pick", "state", "exp_id");
        Row first = read(runs, "objects").filter(col("exp_id").equalTo("exp-0")).first();
        try (Store s = Store.open(runs, "exp-0", cox.store.Mode.READ)) {
            DataFrame stored = s.table("objects").df();
            assertThat(first.getString(0)).isEqualTo(stored.getColumn("obj").get(0));
            assertThat(first.getString(2)).isEqualTo(stored.getColumn("state").get(0));
            assertThat(s.table("objects").getStateDict(first.getString(2))).isNotEmpty();
        }
    }

    @Test
    void filterOnExpId_opensOnlyTheMatchingStores() {
        Dataset<Row> df = read(runs, "results", "metadata", "metadata")
                .filter(col("exp_id").equalTo("java-01").or(col("exp_id").startsWith("exp-")));
        assertSameCellsOfSomeRuns(df, expected(runs, "results", "metadata", id -> id.equals("java-01") || id.startsWith("exp-")));
        assertThat(df.columns()).contains("grad_norm"); // java-03's column: in the schema, null in these runs
        assertThat(df.collectAsList()).hasSize(3 * 20 + 4);
        assertThat(metric(df, ReadMetrics.STORES_READ)).isEqualTo(4);
        assertThat(df.queryExecution().executedPlan().toString()).contains("pushedFilters=[Or(EqualTo(exp_id,java-01)");

        Dataset<Row> in = read(runs, "results").filter(col("exp_id").isin("java-02", "java-05", "nope"));
        assertThat(in.count()).isEqualTo(5 + 8);
        Dataset<Row> inRows = read(runs, "results").filter(col("exp_id").isin("java-02", "java-05", "nope"));
        inRows.collectAsList();
        assertThat(metric(inRows, ReadMetrics.STORES_READ)).isEqualTo(2);
    }

    @Test
    void filterOnOtherColumns_staysWithSpark_andIsRight() {
        Dataset<Row> df = read(runs, "results", "metadata", "metadata")
                .filter(col("optimizer").equalTo("adam").and(col("epoch").geq(2)));
        List<Row> rows = df.collectAsList();
        DataFrame all = expected(runs, "results", "metadata", null);
        int n = 0;
        for (int r = 0; r < all.height(); r++) {
            n += "adam".equals(all.getColumn("optimizer").get(r)) && (Long) all.getColumn("epoch").get(r) >= 2 ? 1 : 0;
        }
        assertThat(rows).hasSize(n).isNotEmpty();
        assertThat(metric(df, ReadMetrics.STORES_READ)).isEqualTo(11);
    }

    @Test
    void expFilterOption_isARegexFoundInTheId() {
        Dataset<Row> df = read(runs, "results", "expFilter", "a-0[12]$");
        assertSameCellsOfSomeRuns(df, expected(runs, "results", null, id -> id.matches(".*a-0[12]$")));
        assertThat(df.collectAsList()).hasSize(4 + 5);
        assertThat(metric(df, ReadMetrics.STORES_READ)).isEqualTo(2);
    }

    @Test
    void whereOption_choosesWholeRunsByParametersAsCoxExportDoes() {
        // SweepRuns.SPARK: run i is adam when i is odd, with layers = i % 3 + 1
        Dataset<Row> df = read(runs, "results", "metadata", "metadata", "where", "optimizer == adam and layers >= 2");
        assertSameCellsOfSomeRuns(df, expected(runs, "results", "metadata",
                id -> List.of("java-01", "java-05", "java-07").contains(id)));
        assertThat(df.select("exp_id").distinct().collectAsList()).hasSize(3);
        assertThat(read(runs, "results", "where", "status == closed and exp_id ~ ^java").select("exp_id").distinct()
                .collectAsList()).as("cox4j's runs were closed cleanly; java-06 has no results").hasSize(7);
        assertThatThrownBy(() -> read(runs, "results", "metadata", "metadata", "where", "layers == deep").collectAsList())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option where: 'layers == deep' compares the number column 'layers' with the text 'deep'");
    }

    @Test
    void singleExperimentFolder_readsThatRun() {
        Dataset<Row> df = read(runs.resolve("java-02"), "results", "metadata", "metadata");
        assertSameCells(df, expected(runs, "results", "metadata", "java-02"::equals));
        Dataset<Row> python = read(runs.resolve("exp-1"), "special");
        assertSameCells(python, expected(runs, "special", null, "exp-1"::equals));
    }

    @Test
    void columnsAreSelectedAndCountsNeedNoColumns() {
        assertThat(read(runs, "results").select("loss", "exp_id").columns()).containsExactly("loss", "exp_id");
        List<Row> rows = read(runs, "results").select("exp_id").distinct().orderBy("exp_id").collectAsList();
        assertThat(rows).extracting(r -> r.getString(0)).containsExactly("exp-0", "exp-1", "exp-2", "java-00", "java-01",
                "java-02", "java-03", "java-04", "java-05", "java-07");
        assertThat(read(runs, "results").count()).isEqualTo(3 * 20 + 3 + 4 + 5 + 6 + 7 + 8 + 10);
    }

    @Test
    void runsAreGroupedIntoPartitions_neverSplit() {
        Dataset<Row> df = read(runs, "results").withColumn("p", spark_partition_id());
        assertThat(df.rdd().getNumPartitions()).isBetween(2, 3); // local[2]: at least the default parallelism
        List<Row> perRun = df.groupBy("exp_id").agg(countDistinct("p").as("n")).collectAsList();
        assertThat(perRun).hasSize(10).allSatisfy(r -> assertThat(r.getLong(1)).isEqualTo(1L));
    }

    @Test
    void sql_usingCox() {
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW cox_results USING cox OPTIONS (path '" + runs
                + "', table 'results', metadata 'metadata')");
        List<Row> rows = spark.sql("SELECT optimizer, count(*) AS n, count(DISTINCT exp_id) AS runs FROM cox_results"
                + " GROUP BY optimizer ORDER BY optimizer").collectAsList();
        DataFrame all = expected(runs, "results", "metadata", null);
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int r = 0; r < all.height(); r++) {
            counts.merge((String) all.getColumn("optimizer").get(r), 1, Integer::sum);
        }
        List<String> got = new ArrayList<>();
        rows.forEach(r -> got.add(r.getString(0) + "=" + r.getLong(1)));
        List<String> want = new ArrayList<>();
        counts.forEach((k, v) -> want.add(k + "=" + v));
        assertThat(got).isEqualTo(want);
    }

    @Test
    void damagedStore_failsNamingIt_orIsSkippedWithSkipErrors() {
        assertThatThrownBy(() -> read(broken, "results"))
                .isInstanceOf(CoxException.class)
                .hasMessageContaining("experiment b of " + broken.toAbsolutePath())
                .hasMessageContaining(broken.resolve("b").resolve("store.h5").toAbsolutePath().toString());

        StructType schema = read(broken, "results", "skipErrors", "true").schema();
        Dataset<Row> noInference = spark.read().format("cox").schema(schema).option("table", "results").load(broken.toString());
        assertThatThrownBy(noInference::collectAsList)
                .hasStackTraceContaining("cannot read table 'results' of experiment b in " + broken.toAbsolutePath())
                .hasStackTraceContaining(broken.resolve("b").resolve("store.h5").toAbsolutePath().toString());

        Dataset<Row> skipping = read(broken, "results", "skipErrors", "true", "metadata", "metadata");
        assertSameCells(skipping, expected(broken, "results", "metadata", id -> !id.equals("b")));
        assertThat(metric(skipping, ReadMetrics.STORES_SKIPPED)).isEqualTo(1);

        // a pruned run is never opened: no error without skipErrors
        Dataset<Row> onlyA = spark.read().format("cox").schema(schema).option("table", "results").load(broken.toString())
                .filter(col("exp_id").equalTo("a"));
        assertThat(onlyA.collectAsList()).hasSize(3);
        assertThat(metric(onlyA, ReadMetrics.STORES_READ)).isEqualTo(1);
    }

    @Test
    void unionSchemasFalse_failsOnARunWithOtherColumns_orSkipsIt() {
        Dataset<Row> strict = read(runs, "results", "unionSchemas", "false", "expFilter", "java-0[0-4]");
        assertThatThrownBy(strict::collectAsList)
                .hasStackTraceContaining("cannot read table 'results' of experiment java-03 in " + runs.toAbsolutePath()
                        + ": table 'results' has other columns than in experiment java-00 (missing [], extra [grad_norm])");
        Dataset<Row> skipping = read(runs, "results", "unionSchemas", "false", "skipErrors", "true", "expFilter", "java-0[0-4]");
        try (CollectionReader reader = CollectionReader.builder(runs).skipErrors(true).build()) {
            DataFrame want = reader.df("results", DfOptions.defaults().keepSerialized(OBJECT_COLUMNS).unionSchemas(false)
                    .expFilter(id -> id.matches("java-0[0-4]")));
            assertThat(skipping.collectAsList()).hasSize(want.height());
        }
        assertThat(metric(skipping, ReadMetrics.STORES_SKIPPED)).isEqualTo(1);
    }

    @Test
    void badOptions_areOneLineErrors() {
        assertThatThrownBy(() -> spark.read().format("cox").load(runs.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format(\"cox\") needs the table to read: .option(\"table\", \"results\")");
        assertThatThrownBy(() -> read(runs, "results", "metdata", "metadata"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option [metdata] for format(\"cox\"): the options are table, metadata, expFilter,"
                        + " unionSchemas, skipErrors, where");
        assertThatThrownBy(() -> read(runs, "resutls"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no experiment in " + runs.toAbsolutePath() + " has a table 'resutls'; the tables are"
                        + " [metadata, objects, results, special]");
        assertThatThrownBy(() -> read(runs.resolve("nowhere"), "results"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a folder: " + runs.toAbsolutePath().resolve("nowhere"));
        assertThatThrownBy(() -> read(runs, "results", "skipErrors", "yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option skipErrors is true or false, not 'yes'");
    }
}
