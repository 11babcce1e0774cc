package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.testing.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 1: a query that matches nothing prints its header once (CSV: pandas reads no
 * row), in every format, to standard output, to {@code -o FILE}, from {@code cox df} and {@code cox sql}.
 */
class EmptyResultEndToEndTest {
    @TempDir
    static Path work;

    static final String HEADER = "exp_id,lr,optimizer,layers,seed,epoch,loss,acc\n";
    static final String NO_ROW = "optimizer == Adam"; // the runs' optimizers are sgd and adam

    @BeforeAll
    static void collection() throws Exception {
        Path runs = Files.createDirectories(work.resolve("runs"));
        CoxCommandEndToEndTest.writeRun(runs, "a", 0.1, "sgd", List.of(64L, 32L), new double[] {1.0, 0.5});
        CoxCommandEndToEndTest.writeRun(runs, "b", 0.01, "adam", List.of(64L), new double[] {0.9});
    }

    @Test
    void df_csv_printsTheHeaderOnce() throws Exception {
        CliProcess.Result r = cox(work, "df", "runs", "results", "--where", NO_ROW, "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(HEADER);

        CliProcess.Result file = cox(work, "df", "runs", "results", "--where", NO_ROW, "--format", "csv", "-o", "empty.csv");
        assertThat(file.exit()).as(file.toString()).isZero();
        assertThat(Files.readString(work.resolve("empty.csv"))).isEqualTo(HEADER);
    }

    @Test
    void df_csv_quotesAHeaderAsACell() {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT 1 AS \"a,b\", 2 AS c WHERE false", "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("\"a,b\",c\n");
    }

    @Test
    void sql_csv_printsTheHeaderOnce() {
        CliProcess.Result r = cox(work, "sql", "runs", "SELECT exp_id, loss FROM results WHERE loss > 5", "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("exp_id,loss\n");
    }

    @Test
    void df_otherFormats_ofNoRow() {
        assertThat(cox(work, "df", "runs", "results", "--where", NO_ROW, "--format", "json").out()).isEqualTo("[]\n");
        assertThat(cox(work, "df", "runs", "results", "--where", NO_ROW, "--format", "markdown", "--columns", "exp_id,loss")
                .out()).isEqualTo("| exp_id | loss |\n|---|---|\n");
        assertThat(cox(work, "df", "runs", "results", "--where", NO_ROW, "--columns", "exp_id,loss").out())
                .isEqualTo("exp_id  loss\n------  ----\n");
        assertThat(cox(work, "sql", "runs", "SELECT exp_id FROM results WHERE loss > 5", "--format", "json").out())
                .isEqualTo("[]\n");
    }

    /** The file as pandas reads it ({@code read_export.py}): columns, dtypes and rows. */
    static JsonNode pandasCsv(Path file) throws Exception {
        Path script = Path.of("src/test/resources/python/read_export.py").toAbsolutePath();
        CliProcess.Result r = CliProcess.run(work, Map.of(), List.of("/usr/bin/python3", script.toString(), "csv", file.toString()));
        assertThat(r.exit()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    @Interop
    void emptyCsv_readByPandas_hasTheColumnsAndNoRow() throws Exception {
        assertThat(cox(work, "df", "runs", "results", "--where", NO_ROW, "--format", "csv", "-o", "df.csv").exit()).isZero();
        assertThat(cox(work, "sql", "runs", "SELECT exp_id, loss FROM results WHERE loss > 5", "--format", "csv", "-o",
                "sql.csv").exit()).isZero();
        JsonNode df = pandasCsv(work.resolve("df.csv"));
        assertThat(df.get("columns")).extracting(JsonNode::asText)
                .containsExactly("exp_id", "lr", "optimizer", "layers", "seed", "epoch", "loss", "acc");
        assertThat(df.get("rows")).isEmpty();
        JsonNode sql = pandasCsv(work.resolve("sql.csv"));
        assertThat(sql.get("columns")).extracting(JsonNode::asText).containsExactly("exp_id", "loss");
        assertThat(sql.get("rows")).isEmpty();
    }
}
