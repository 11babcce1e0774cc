package cox.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.summary.RunSummaries;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.dflib.DataFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code cox export} writes, read by Spark (its own Parquet, CSV and JSON readers): the
 * export runs as a user runs it, the built {@code cox} command in its own JVM (cli's classes and
 * libraries from {@code cli/target}), then Spark in local mode reads the files and every cell is
 * compared with {@link CollectionReader} on the same runs.
 */
class ExportReadBySparkIT {
    static final String[] KEEP = {"sample", "config", "obj", "pick"};

    @TempDir
    static Path tmp;
    static Path runs;
    static SparkSession spark;

    @BeforeAll
    static void export() throws Exception {
        runs = Files.createDirectories(tmp.resolve("runs"));
        PythonCoxRuns.copyAll(runs);
        SweepRuns.SPARK.write(runs, "java-%02d", 6);
        for (String format : List.of("parquet", "csv", "jsonl")) {
            cox("export", runs.toString(), "--format", format, "-o", tmp.resolve(format).toString(), "--keep-serialized",
                    String.join(",", KEEP));
        }
        spark = SparkSession.builder().master("local[2]").appName("cox4j-export-read")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static void cox(String... args) throws IOException, InterruptedException {
        Path cli = Path.of(System.getProperty("cox.cliTarget"));
        String classpath = cli.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(cli.resolve("classpath.txt")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classpath, "cox.cli.CoxCommand"));
        command.addAll(List.of(args));
        Path log = tmp.resolve("cox.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }

    static DataFrame expected(String table) {
        try (CollectionReader reader = CollectionReader.open(runs)) {
            return reader.df(table, DfOptions.defaults().keepSerialized(KEEP));
        }
    }

    @Test
    void parquet_everyCell_equalsTheReader() {
        for (String table : List.of("results", "metadata", "objects", "special")) {
            Dataset<Row> df = spark.read().parquet(tmp.resolve("parquet/" + table + ".parquet").toString());
            CoxDataSourceTest.assertSameCells(df, expected(table));
        }
    }

    @Test
    void parquetRuns_columnsWithDots_readBySpark() {
        Dataset<Row> runsFile = spark.read().parquet(tmp.resolve("parquet/runs.parquet").toString());
        assertThat(runsFile.count()).isEqualTo(9);
        assertThat(runsFile.schema().apply("last_write").dataType()).isEqualTo(DataTypes.TimestampType);
        DataFrame results = expected("results");
        DataFrame last = RunSummaries.lastRows(results);
        List<Row> rows = runsFile.orderBy("exp_id").select(col("exp_id"), col("`results.loss.last`"), col("`results.rows`"))
                .collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getString(0)).isEqualTo(last.getColumn("exp_id").get(i));
            assertThat(rows.get(i).getDouble(1)).isEqualTo(last.getColumn("loss").get(i));
        }
        assertThat(rows.get(3).getLong(2)).isEqualTo(3L); // java-00 logs 3 rows
    }

    @Test
    void csvAndJsonLines_readBySpark() {
        DataFrame want = expected("results");
        // the stored text of an OBJECT cell (Python's base64 of a pickle) ends with a newline: multiLine
        Dataset<Row> csv = spark.read().option("header", "true").option("inferSchema", "true").option("multiLine", "true")
                .csv(tmp.resolve("csv/results.csv").toString());
        assertThat(csv.columns()).containsExactly(want.getColumnsIndex().toArray());
        assertThat(csv.count()).isEqualTo(want.height());
        Dataset<Row> json = spark.read().json(tmp.resolve("jsonl/results.jsonl").toString());
        assertThat(json.count()).isEqualTo(want.height());
        List<Row> losses = json.filter(col("exp_id").equalTo("java-01")).orderBy("epoch").select("loss").collectAsList();
        List<Double> expectedLosses = new ArrayList<>();
        for (int i = 0; i < want.height(); i++) {
            if (want.getColumn("exp_id").get(i).equals("java-01")) {
                expectedLosses.add((Double) want.getColumn("loss").get(i));
            }
        }
        assertThat(losses).extracting(r -> r.getDouble(0)).isEqualTo(expectedLosses);
        List<Row> csvLosses = csv.filter(col("exp_id").equalTo("java-01")).orderBy("epoch").select("loss").collectAsList();
        assertThat(csvLosses).extracting(r -> r.getDouble(0)).isEqualTo(expectedLosses);
    }
}
