package cox.readers.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import cox.readers.CollectionReader;
import cox.readers.filter.FilterTypeException;
import cox.readers.query.QueryResult.Level;
import cox.readers.summary.Goal;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of docs/querying.md on a small sweep: 2 learning rates x 2 optimizers x 3 seeds,
 * 10 epochs each, where the best val_acc of each run is its last row except in run
 * {@code lr01-adam-0} (0.98 at epoch 7, 0.938 at epoch 9), run {@code lr01-sgd-2} stopped after 5
 * epochs, and run {@code lr01-sgd-1} has an extra parameter {@code momentum}.
 */
class RunQueryTest {
    @TempDir
    static Path dir;

    /** Each run's peak val_acc (the last epoch's, but for lr01-adam-0). */
    private static final Map<String, Double> PEAK = new LinkedHashMap<>();

    static {
        PEAK.put("lr1-adam-0", 0.91);
        PEAK.put("lr1-adam-1", 0.93);
        PEAK.put("lr1-adam-2", 0.96);
        PEAK.put("lr1-sgd-0", 0.81);
        PEAK.put("lr1-sgd-1", 0.84);
        PEAK.put("lr1-sgd-2", 0.83);
        PEAK.put("lr01-adam-0", 0.98);
        PEAK.put("lr01-adam-1", 0.90);
        PEAK.put("lr01-adam-2", 0.92);
        PEAK.put("lr01-sgd-0", 0.70);
        PEAK.put("lr01-sgd-1", 0.72);
        PEAK.put("lr01-sgd-2", 0.75);
    }

    @BeforeAll
    static void sweep() {
        for (Map.Entry<String, Double> run : PEAK.entrySet()) {
            String id = run.getKey();
            String[] parts = id.split("-");
            try (Store s = Store.open(dir, id)) {
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("lr", parts[0].equals("lr1") ? 0.1 : 0.01);
                meta.put("optimizer", parts[1]);
                meta.put("seed", Long.parseLong(parts[2]));
                meta.put("epochs", 10L);
                Schema schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT,
                        "epochs", ColumnType.INT);
                if (id.equals("lr01-sgd-1")) {
                    meta.put("momentum", 0.9);
                    schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT,
                            "epochs", ColumnType.INT, "momentum", ColumnType.FLOAT);
                }
                s.addTable("metadata", schema).appendRow(meta);
                Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                        "val_acc", ColumnType.FLOAT));
                int epochs = id.equals("lr01-sgd-2") ? 5 : 10;
                for (int e = 0; e < epochs; e++) {
                    double acc = run.getValue() - 0.01 * (epochs - 1 - e);
                    if (id.equals("lr01-adam-0")) {
                        acc = e == 7 ? 0.98 : e == 9 ? 0.938 : 0.5 + 0.01 * e;
                    }
                    results.appendRow(Map.of("epoch", (long) e, "loss", 1.0 / (e + 1), "val_acc", acc));
                }
            }
        }
    }

    private static QueryResult run(RunQuery q) {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            return q.run(reader);
        }
    }

    private static RunQuery results() {
        return RunQuery.of("results").metadataTable("metadata");
    }

    private static List<Object> column(DataFrame df, String name) {
        return new ArrayList<>(df.getColumn(name).toList());
    }

    @Test
    void lastThenWhere_filtersTheRunsByTheirLastRow_notAnEarlierRowStandingInAsLast() {
        QueryResult last = run(results().last().where("val_acc > 0.97"));
        assertThat(last.level()).isEqualTo(Level.RUNS);
        assertThat(last.frame().height()).as("no run's last val_acc exceeds 0.97").isZero();

        QueryResult rows = run(results().where("val_acc > 0.97"));
        assertThat(rows.level()).isEqualTo(Level.ROWS);
        assertThat(column(rows.frame(), "exp_id")).containsExactly("lr01-adam-0");
        assertThat(column(rows.frame(), "epoch")).containsExactly(7L);

        QueryResult lastOf = run(results().last().where("exp_id == lr01-adam-0"));
        assertThat(column(lastOf.frame(), "epoch")).containsExactly(9L);
        assertThat(column(lastOf.frame(), "val_acc")).containsExactly(0.938);
    }

    @Test
    void aRunLevelNameInARowQuery_keepsOrDropsAllOfARunsRows() {
        QueryResult r = run(results().where("val_acc.max > 0.95"));
        assertThat(r.frame().height()).isEqualTo(20);
        assertThat(column(r.frame(), "exp_id")).containsOnly("lr1-adam-2", "lr01-adam-0");
        QueryResult shortRuns = run(results().last().where("rows < 10"));
        assertThat(column(shortRuns.frame(), "exp_id")).containsExactly("lr01-sgd-2");
    }

    @Test
    void aBareWordThatNamesAColumn_isThatColumn_anotherIsText() {
        QueryResult r = run(results().where("epoch < epochs").where("exp_id == lr1-sgd-0"));
        assertThat(r.frame().height()).as("every epoch 0..9 is below epochs = 10").isEqualTo(10);
        QueryResult later = run(results().where("epochs <= epoch"));
        assertThat(later.frame().height()).isZero();
        QueryResult text = run(results().last().where("optimizer == adam"));
        assertThat(text.frame().height()).isEqualTo(6);
    }

    @Test
    void aNumberColumnComparedWithText_isAUsageErrorNamingBothSides() {
        assertThatThrownBy(() -> run(results().where("lr == adam")))
                .isInstanceOf(QueryException.class).hasCauseInstanceOf(FilterTypeException.class)
                .hasMessageContaining("'lr == adam' compares the number column 'lr' with the text 'adam'")
                .satisfies(e -> assertThat(((QueryException) e).part()).isEqualTo("where"));
        assertThatThrownBy(() -> run(results().last().where("val_acc in (0.9, high)")))
                .isInstanceOf(QueryException.class).hasMessageContaining("the text 'high'");
        assertThat(run(results().where("lr == '0.1'")).frame().height()).as("text that is a number compares as one")
                .isEqualTo(60);
    }

    @Test
    void aNameNoRunHas_isMissingEverywhere_withAWarning() {
        QueryResult r = run(results().last().where("momentun is missing"));
        assertThat(r.frame().height()).isEqualTo(12);
        assertThat(r.warnings()).singleElement().asString().startsWith("--where names 'momentun', which no run has")
                .contains("epoch, loss, val_acc").endsWith("it is missing in every row");
    }

    @Test
    void summary_namesColumnStat_andARowColumnMeansItsLastValue() {
        QueryResult r = run(results().summary().where("val_acc > 0.95"));
        assertThat(column(r.frame(), "exp_id")).containsExactly("lr1-adam-2");
        assertThat(r.frame().getColumnsIndex().toArray()).startsWith("exp_id", "lr", "optimizer", "seed", "epochs", "momentum",
                "epoch.first", "epoch.last", "epoch.min", "epoch.max", "epoch.mean", "epoch.best", "epoch.count");
        QueryResult best = run(results().summary().where("exp_id == lr01-adam-0"));
        assertThat(column(best.frame(), "val_acc.best")).as("acc is maximised").containsExactly(0.98);
        assertThat(column(best.frame(), "loss.best")).as("loss is minimised").containsExactly(0.1);
        assertThat(column(best.frame(), "val_acc.count")).containsExactly(10L);
    }

    @Test
    void runFields_areColumnsWhenShown() {
        QueryResult r = run(results().last().show(List.of("rows", "short", "status", "val_acc.max", "nope")));
        DataFrame f = r.frame();
        assertThat(f.getColumnsIndex().toArray()).endsWith("rows", "short", "status", "val_acc.max");
        int i = column(f, "exp_id").indexOf("lr01-sgd-2");
        assertThat(column(f, "rows").get(i)).isEqualTo(5L);
        assertThat(column(f, "short").get(i)).as("5 rows where its seed group has 10").isEqualTo(true);
        assertThat(column(f, "short").stream().filter(Boolean.TRUE::equals)).hasSize(1);
        assertThat(column(f, "status")).as("every run was closed cleanly").containsOnly("closed");
        QueryResult typo = run(results().last().where("status == runing or status in (closed, done)"));
        assertThat(typo.warnings()).containsExactly(
                "--where compares status with 'runing', which no run's status is (a status is one of running, interrupted,"
                        + " closed, active, idle, unreadable): it is false for every run",
                "--where compares status with 'done', which no run's status is (a status is one of running, interrupted,"
                        + " closed, active, idle, unreadable): it is false for every run");
    }

    @Test
    void groupBy_bestPerRun_meanSpreadAndIntervalOverSeeds_asScipy() {
        QueryResult r = run(results().best("val_acc", Goal.MAX).groupBy(List.of("lr", "optimizer")));
        assertThat(r.level()).isEqualTo(Level.GROUPS);
        DataFrame g = r.frame();
        assertThat(column(g, "lr")).containsExactly(0.01, 0.01, 0.1, 0.1);
        assertThat(column(g, "optimizer")).containsExactly("adam", "sgd", "adam", "sgd");
        assertThat(column(g, "n")).containsExactly(3L, 3L, 3L, 3L);
        assertThat(g.getColumnsIndex().toArray()).contains("val_acc.mean", "val_acc.std", "val_acc.sem", "val_acc.ci95_low",
                "val_acc.ci95_high", "val_acc.min", "val_acc.max", "epoch.mean", "loss.mean", "seed.mean")
                .doesNotContain("lr.mean", "exp_id", "val_acc.diff");
        // scipy: np.mean, stats.tstd and stats.sem of [0.91, 0.93, 0.96]; Student's t(0.975, 2) in closed form,
        // 0.95 / sqrt(2 * 0.975 * 0.025) = 4.30265272974946385... (scipy's t.ppf gives 4.302652729911275, 4e-11 off)
        assertThat((Double) column(g, "val_acc.mean").get(2)).isCloseTo(0.9333333333333332, within(1e-15));
        assertThat((Double) column(g, "val_acc.std").get(2)).isCloseTo(0.025166114784235798, within(1e-15));
        assertThat((Double) column(g, "val_acc.sem").get(2)).isCloseTo(0.01452966314513556, within(1e-15));
        assertThat((Double) column(g, "val_acc.ci95_high").get(2))
                .isCloseTo(0.9333333333333332 + 0.95 / Math.sqrt(2 * 0.975 * 0.025) * 0.01452966314513556, within(1e-15));
        assertThat(column(g, "val_acc.min").get(2)).isEqualTo(0.91);
        assertThat(column(g, "val_acc.max").get(2)).isEqualTo(0.96);
        assertThat(column(g, "epoch.mean").get(0)).as("lr01-adam-0 peaked at epoch 7").isEqualTo((7 + 9 + 9) / 3.0);
    }

    @Test
    void baseline_addsDiffAndWelchP_asScipy() {
        QueryResult r = run(results().best("val_acc", Goal.MAX).groupBy(List.of("lr", "optimizer"))
                .baseline("lr == 0.1 and optimizer == sgd"));
        DataFrame g = r.frame();
        // scipy: ttest_ind([0.91, 0.93, 0.96], [0.81, 0.84, 0.83], equal_var=False).pvalue
        assertThat((Double) column(g, "val_acc.p_welch").get(2)).isCloseTo(0.00613220116336617, within(1e-12));
        assertThat((Double) column(g, "val_acc.diff").get(2)).isCloseTo(0.9333333333333332 - 0.8266666666666667, within(1e-15));
        assertThat((Double) column(g, "val_acc.diff").get(3)).isEqualTo(0.0);
        assertThatThrownBy(() -> run(results().last().groupBy(List.of("lr")).baseline("lr == 0.5")))
                .isInstanceOf(QueryException.class).hasMessage("'lr == 0.5' matches none of the 12 runs");
        assertThatThrownBy(() -> run(results().last().baseline("lr == 0.1")))
                .isInstanceOf(QueryException.class).hasMessageContaining("group the runs as well");
    }

    @Test
    void groupBy_aParameterSomeRunsLack_groupsThoseRunsTogether_missingLast() {
        DataFrame g = run(results().groupBy(List.of("momentum"))).frame();
        assertThat(column(g, "momentum")).containsExactly(0.9, null);
        assertThat(column(g, "n")).containsExactly(1L, 11L);
        assertThat((Double) column(g, "val_acc.std").get(0)).as("one value has no spread").isNaN();
        assertThat(column(g, "val_acc.mean").get(0)).isEqualTo(0.72);
        assertThatThrownBy(() -> run(results().groupBy(List.of("optimiser"))))
                .isInstanceOf(QueryException.class).hasMessageStartingWith("no column, parameter, run field or summary 'optimiser'")
                .satisfies(e -> assertThat(((QueryException) e).part()).isEqualTo("group-by"));
    }

    @Test
    void aTextColumnUnderSummary_isAUsageError_notAFalseWarning() {
        assertThatThrownBy(() -> run(RunQuery.of("metadata").summary().where("optimizer == adam")))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("'optimizer' is a text column of table 'metadata': --summary summarizes the numeric");
        assertThat(run(RunQuery.of("metadata").last().where("optimizer == adam")).frame().height()).isEqualTo(6);
    }

    @Test
    void lastWrite_isARunField_asIsoText() {
        QueryResult r = run(results().last().where("last_write > '2000-01-01'").show(List.of("last_write")));
        assertThat(r.frame().height()).isEqualTo(12);
        assertThat((String) column(r.frame(), "last_write").get(0)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void best_fromColumnAndGoal_asAUserWritesIt() {
        assertThat(column(run(results().best("val_acc:MAX").where("exp_id == lr01-adam-0")).frame(), "epoch"))
                .containsExactly(7L);
        assertThat(column(run(results().best("val_acc").where("exp_id == lr01-adam-0")).frame(), "epoch"))
                .as("acc is maximised without a goal").containsExactly(7L);
        assertThatThrownBy(() -> results().best("val_acc:maxx")).isInstanceOf(QueryException.class)
                .hasMessage("val_acc:maxx: unknown goal 'maxx': expected min or max");
        assertThatThrownBy(() -> results().groupBy(List.of("lr", "lr"))).isInstanceOf(QueryException.class)
                .hasMessage("names 'lr' twice");
    }

    @Test
    void anUnknownTable_isAUsageError_namingTheTables() {
        assertThatThrownBy(() -> run(RunQuery.of("resluts")))
                .isInstanceOf(QueryException.class)
                .hasMessage("no run in " + dir + " has a table 'resluts'; the tables are metadata, results");
        assertThatThrownBy(() -> results().where("lr <"))
                .as("a filter that does not parse fails when given, before any run is read")
                .isInstanceOf(QueryException.class).hasMessageStartingWith("expected a value after '<'");
    }
}
