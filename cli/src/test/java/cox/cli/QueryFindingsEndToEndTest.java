package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's findings, each asked as a new user asked it, on the sweep of the issue: 7 learning
 * rates x adam/sgd x 3 seeds, a metadata table with an OBJECT {@code config}, results of 60 to
 * 100 epochs (the same for the three seeds of a learning rate and optimizer); run {@code lr0.01-adam-1} peaks at val_acc 0.98 at epoch 87 and ends at 0.938 at
 * epoch 99; run {@code lr0.001-sgd-2} stopped after 30 epochs; run {@code lr0.1-sgd-0} has an
 * extra parameter {@code momentum}. Each answer that was wrong without a warning is checked for
 * the right answer, or for the usage error that now replaces it.
 */
class QueryFindingsEndToEndTest {
    @TempDir
    static Path work;

    static Path runs;

    static final double[] LRS = {0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003};
    static final String[] OPTIMIZERS = {"adam", "sgd"};
    static final String PEAKED = "lr0.01-adam-1";
    static final String STOPPED = "lr0.001-sgd-2";



    static String id(double lr, String optimizer, int seed) {
        return "lr" + lr + "-" + optimizer + "-" + seed;
    }

    @BeforeAll
    static void sweep() {
        runs = work.resolve("sweep");
        int config = 0;
        for (double lr : LRS) {
            for (String optimizer : OPTIMIZERS) {
                config++;
                for (int seed = 0; seed < 3; seed++) {
                    String id = id(lr, optimizer, seed);
                    int epochs = lr == 0.01 && optimizer.equals("adam") ? 100 : id.equals(STOPPED) ? 30 : 60 + (config * 7) % 41;
                    try (Store s = Store.open(runs, id)) {
                        Map<String, Object> meta = new LinkedHashMap<>();
                        meta.put("lr", lr);
                        meta.put("optimizer", optimizer);
                        meta.put("seed", (long) seed);
                        meta.put("epochs", 100L);
                        meta.put("config", Map.of("lr", lr, "optimizer", optimizer, "layers", List.of(64L, 32L)));
                        Schema schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT,
                                "epochs", ColumnType.INT, "config", ColumnType.OBJECT);
                        if (id.equals("lr0.1-sgd-0")) {
                            meta.put("momentum", 0.9);
                            schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT,
                                    "epochs", ColumnType.INT, "config", ColumnType.OBJECT, "momentum", ColumnType.FLOAT);
                        }
                        s.addTable("metadata", schema).appendRow(meta);
                        Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                                "val_acc", ColumnType.FLOAT));
                        double top = 0.95 - 0.02 * Math.abs(Math.log10(lr) + 2) + (optimizer.equals("adam") ? 0.01 : 0) + 0.004 * seed;
                        for (int e = 0; e < epochs; e++) {
                            double acc = top - 0.4 * Math.exp(-e / 12.0);
                            if (id.equals(PEAKED)) {
                                acc = e == 87 ? 0.98 : e == 99 ? 0.938 : Math.min(acc, 0.93);
                            }
                            results.appendRow(Map.of("epoch", (long) e, "loss", Math.exp(-e / 20.0) + lr, "val_acc", acc));
                        }
                    }
                }
            }
        }
    }

    static List<Map<String, String>> csv(String text) throws IOException {
        return SqlCommandEndToEndTest.csv(text);
    }

    @Test
    void finding2_lastThenWhere_keepsRunsByTheirRealLastRow() {
        CoxRun last = cox("df", runs.toString(), "results", "--last", "--where", "val_acc > 0.97", "--columns", "exp_id,epoch,val_acc",
                "--format", "csv");
        assertThat(last.exit()).as(last.err()).isZero();
        assertThat(last.out()).as("no run ends above 0.97; " + PEAKED + " ends at 0.938").isEqualTo("exp_id,epoch,val_acc\n");

        CoxRun peaked = cox("df", runs.toString(), "results", "--last", "--where", "exp_id == " + PEAKED, "--columns",
                "exp_id,epoch,val_acc", "--format", "csv");
        assertThat(peaked.out()).isEqualTo("exp_id,epoch,val_acc\n" + PEAKED + ",99,0.938\n");

        CoxRun best = cox("df", runs.toString(), "results", "--best", "val_acc", "--where", "val_acc > 0.97", "--columns",
                "exp_id,epoch,val_acc", "--format", "csv");
        assertThat(best.out()).as("val_acc is maximised without :max").isEqualTo("exp_id,epoch,val_acc\n" + PEAKED + ",87,0.98\n");

        CoxRun everPeaked = cox("df", runs.toString(), "results", "--last", "--where", "val_acc.max > 0.97", "--columns",
                "exp_id,epoch,val_acc,val_acc.max", "--format", "csv");
        assertThat(everPeaked.out()).isEqualTo("exp_id,epoch,val_acc,val_acc.max\n" + PEAKED + ",99,0.938,0.98\n");
    }

    @Test
    void finding3_aBareWordNamingAColumnIsThatColumn_aNumberComparedWithTextIsAUsageError() throws IOException {
        CoxRun below = cox("df", runs.toString(), "results", "--where", "epoch < epochs", "--where", "exp_id == " + STOPPED,
                "--format", "csv", "--columns", "epoch");
        assertThat(csv(below.out())).hasSize(30);
        CoxRun above = cox("df", runs.toString(), "results", "--where", "epoch >= epochs", "--format", "csv");
        assertThat(above.exit()).isZero();
        assertThat(csv(above.out())).isEmpty();

        CoxRun textForNumber = cox("df", runs.toString(), "results", "--where", "lr == adam");
        assertThat(textForNumber.exit()).isEqualTo(2);
        assertThat(textForNumber.out()).isEmpty();
        assertThat(textForNumber.err()).startsWith("cox df: --where: 'lr == adam' compares the number column 'lr' with the text "
                + "'adam', which is not a number and names no column");

        CoxRun typo = cox("df", runs.toString(), "results", "--last", "--where", "optimzer == adam", "--format", "csv");
        assertThat(typo.exit()).isZero();
        assertThat(typo.err()).startsWith("cox df: warning: --where names 'optimzer', which no run has");
    }

    @Test
    void finding6_oneNameForASummary_inEveryFormat_andOneExitCodeForAMissingTable() throws IOException {
        CoxRun csv = cox("df", runs.toString(), "results", "--summary", "--where", "exp_id == " + PEAKED, "--format", "csv");
        assertThat(csv(csv.out()).get(0)).containsKeys("val_acc.first", "val_acc.last", "val_acc.min", "val_acc.max",
                "val_acc.mean", "val_acc.best", "val_acc.count").containsEntry("val_acc.best", "0.98")
                .containsEntry("val_acc.count", "100");
        CoxRun json = cox("df", runs.toString(), "results", "--summary", "--where", "exp_id == " + PEAKED, "--format", "json");
        JsonNode row = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(row.get("val_acc.last").asDouble()).isEqualTo(0.938);
        assertThat(row.get("config")).as("an OBJECT cell as JSON")
                .isEqualTo(new ObjectMapper().readTree("{\"lr\":0.01,\"optimizer\":\"adam\",\"layers\":[64,32]}"));

        CoxRun noMetadata = cox("df", runs.toString(), "results", "--last", "--metadata-table", "metdata");
        assertThat(noMetadata.exit()).as("a metadata table named on purpose that no run has").isEqualTo(2);
        assertThat(noMetadata.err()).startsWith("cox df: --metadata-table: no run in " + runs + " has a table 'metdata'; "
                + "the tables are metadata, results");
        CoxRun dfMissing = cox("df", runs.toString(), "resluts");
        CoxRun showMissing = cox("show", runs.resolve(PEAKED).toString(), "resluts");
        assertThat(dfMissing.exit()).as(dfMissing.err()).isEqualTo(2);
        assertThat(showMissing.exit()).as(showMissing.err()).isEqualTo(2);
    }

    @Test
    void finding7_bestPerRun_meanAndSpreadOverSeeds_perLearningRateAndOptimizer() throws IOException {
        CoxRun groups = cox("df", runs.toString(), "results", "--best", "val_acc:max", "--group-by", "lr,optimizer", "--format", "csv");
        assertThat(groups.exit()).as(groups.err()).isZero();
        List<Map<String, String>> rows = csv(groups.out());
        assertThat(rows).hasSize(14);
        assertThat(rows.get(0).keySet()).as("the per-run rows' order: parameters, then the table's columns")
                .startsWith("lr", "optimizer", "n", "seed.mean", "seed.std", "seed.sem", "seed.ci95_low", "seed.ci95_high",
                        "seed.min", "seed.max", "epochs.mean");
        assertThat(rows.get(0).keySet()).contains("val_acc.mean", "val_acc.std", "val_acc.sem", "val_acc.ci95_low",
                "val_acc.ci95_high", "val_acc.min", "val_acc.max").doesNotContain("val_acc.diff", "lr.mean");
        assertThat(rows).extracting(r -> r.get("lr") + "/" + r.get("optimizer")).startsWith("0.0003/adam", "0.0003/sgd",
                "0.001/adam");
        assertThat(rows).extracting(r -> r.get("n")).containsOnly("3");

        // the mean over seeds is the mean of the three runs' best rows, as --best lists them
        CoxRun perRun = cox("df", runs.toString(), "results", "--best", "val_acc:max", "--where", "lr == 0.01 and optimizer == adam",
                "--columns", "val_acc", "--format", "csv");
        double sum = 0;
        for (Map<String, String> r : csv(perRun.out())) {
            sum += Double.parseDouble(r.get("val_acc"));
        }
        Map<String, String> group = rows.stream().filter(r -> r.get("lr").equals("0.01") && r.get("optimizer").equals("adam"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(group.get("val_acc.mean"))).isCloseTo(sum / 3, org.assertj.core.data.Offset.offset(1e-15));

        CoxRun baseline = cox("df", runs.toString(), "results", "--best", "val_acc:max", "--group-by", "lr,optimizer", "--baseline",
                "lr == 0.1 and optimizer == sgd", "--columns", "lr,optimizer,n,val_acc.diff,val_acc.p_welch", "--format", "csv");
        assertThat(baseline.exit()).as(baseline.err()).isZero();
        Map<String, String> self = csv(baseline.out()).stream()
                .filter(r -> r.get("lr").equals("0.1") && r.get("optimizer").equals("sgd")).findFirst().orElseThrow();
        assertThat(self).containsEntry("val_acc.diff", "0.0").containsEntry("val_acc.p_welch", "1.0");

        CoxRun none = cox("df", runs.toString(), "results", "--last", "--group-by", "lr", "--baseline", "lr == 7");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("cox df: --baseline: 'lr == 7' matches none of the 42 runs");
    }

    @Test
    void finding9_theRunThatStoppedEarly_isShort() {
        CoxRun shortRuns = cox("df", runs.toString(), "results", "--last", "--where", "short == true", "--columns",
                "exp_id,rows,short,epoch", "--format", "csv");
        assertThat(shortRuns.exit()).as(shortRuns.err()).isZero();
        assertThat(shortRuns.out()).isEqualTo("exp_id,rows,short,epoch\n" + STOPPED + ",30,True,29\n");
    }
}
