package cox.readers.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;
import org.junit.jupiter.api.Test;

class RunSummariesTest {
    /** Three runs: b logs 3 epochs, a logs 2 (interleaved after b's first), c diverges (NaN loss). */
    private static DataFrame rows() {
        return DataFrame.byColumn("epoch", "loss", "acc", "phase", "exp_id").of(
                Series.ofLong(0, 0, 1, 1, 2, 0, 1),
                Series.ofDouble(0.9, 0.8, 0.4, 0.5, 0.6, Double.NaN, Double.NaN),
                Series.ofDouble(0.1, 0.2, 0.7, 0.6, 0.65, 0.0, 0.0),
                Series.of("t", "t", "v", "v", "t", "t", "v"),
                Series.of("b", "a", "a", "b", "b", "c", "c"));
    }

    @Test
    void firstAndLastRows_onePerRun_inOrderOfFirstRow() {
        DataFrame last = RunSummaries.lastRows(rows());
        assertThat(last.getColumn("exp_id").toList()).containsExactly("b", "a", "c");
        assertThat(last.getColumn("epoch").toList()).containsExactly(2L, 1L, 1L);
        assertThat(last.getColumn("epoch")).isInstanceOf(LongSeries.class);
        DataFrame first = RunSummaries.firstRows(rows());
        assertThat(first.getColumn("loss").toList()).containsExactly(0.9, 0.8, Double.NaN);
    }

    @Test
    void bestRows_minAndMax_skipNaN_runWithoutNumberGivesItsLastRow() {
        DataFrame bestLoss = RunSummaries.bestRows(rows(), "loss", Goal.MIN);
        assertThat(bestLoss.getColumn("exp_id").toList()).containsExactly("b", "a", "c");
        assertThat(bestLoss.getColumn("epoch").toList()).containsExactly(1L, 1L, 1L);
        assertThat(bestLoss.getColumn("loss").toList()).containsExactly(0.5, 0.4, Double.NaN);
        DataFrame bestAcc = RunSummaries.bestRows(rows(), "acc", Goal.MAX);
        assertThat(bestAcc.getColumn("acc").toList()).containsExactly(0.65, 0.7, 0.0);
        assertThat(bestAcc.getColumn("epoch").toList()).containsExactly(2L, 1L, 0L); // ties: the first row
    }

    @Test
    void rowsAtStep_lastRowAtOrBeforeTheStep_runsNotThereYetLeftOut() {
        DataFrame at1 = RunSummaries.rowsAtStep(rows(), "epoch", 1);
        assertThat(at1.getColumn("exp_id").toList()).containsExactly("b", "a", "c");
        assertThat(at1.getColumn("loss").toList()).containsExactly(0.5, 0.4, Double.NaN);
        DataFrame at5 = RunSummaries.rowsAtStep(rows(), "epoch", 5);
        assertThat(at5.getColumn("epoch").toList()).containsExactly(2L, 1L, 1L);
        assertThat(RunSummaries.rowsAtStep(rows(), "epoch", -1).height()).isZero();
    }

    @Test
    void summary_statisticsPerMetric_namedStatOfColumn() {
        DataFrame s = RunSummaries.summary(rows(), List.of("loss", "epoch"), List.of(Statistic.values()));
        assertThat(s.getColumnsIndex().toArray()).containsExactly("exp_id", "loss.first", "loss.last", "loss.min",
                "loss.max", "loss.mean", "loss.best", "loss.count", "epoch.first", "epoch.last", "epoch.min", "epoch.max",
                "epoch.mean", "epoch.best", "epoch.count");
        assertThat(s.getColumn("exp_id").toList()).containsExactly("b", "a", "c");
        assertThat(s.getColumn("loss.first").toList()).containsExactly(0.9, 0.8, Double.NaN);
        assertThat(s.getColumn("loss.last").toList()).containsExactly(0.6, 0.4, Double.NaN);
        assertThat(s.getColumn("loss.min").toList()).containsExactly(0.5, 0.4, Double.NaN);
        assertThat(s.getColumn("loss.max").toList()).containsExactly(0.9, 0.8, Double.NaN);
        assertThat(s.getColumn("loss.mean").toList()).element(0).satisfies(
                v -> assertThat((Double) v).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12)));
        assertThat(s.getColumn("epoch.max").toList()).containsExactly(2L, 1L, 1L);
        assertThat(s.getColumn("epoch.max")).isInstanceOf(LongSeries.class);
        assertThat(s.getColumn("epoch.mean")).isInstanceOf(DoubleSeries.class);
        assertThat(s.getColumn("epoch.mean").toList()).containsExactly(1.0, 0.5, 0.5);
        assertThat(s.getColumn("loss.best").toList()).as("a loss is minimised").containsExactly(0.5, 0.4, Double.NaN);
        assertThat(s.getColumn("loss.count").toList()).as("NaN is not counted").containsExactly(3L, 2L, 0L);
    }

    @Test
    void summary_nullCells_fromUnionedSchemas_areSkipped() {
        DataFrame df = DataFrame.byColumn("x", "exp_id").of(Series.of(1L, null, 3L, null), Series.of("a", "a", "a", "b"));
        DataFrame s = RunSummaries.summary(df, List.of("x"), List.of(Statistic.MIN, Statistic.MEAN, Statistic.LAST));
        assertThat(s.getColumn("x.min").toList()).containsExactly(1.0, Double.NaN); // INT becomes FLOAT beside a NaN, as in pandas
        assertThat(s.getColumn("x.mean").toList()).containsExactly(2.0, Double.NaN);
        assertThat(s.getColumn("x.last").toList()).containsExactly(3L, null);
    }

    @Test
    void metricColumns_areTheNumericOnes_butExpId() {
        assertThat(RunSummaries.metricColumns(rows())).containsExactly("epoch", "loss", "acc");
    }

    @Test
    void changedColumns_dropsColumnsEqualInEveryRow_nanEqualsNan() {
        DataFrame perRun = DataFrame.byColumn("exp_id", "lr", "seed", "opt", "loss", "tags").of(
                Series.of("a", "b", "c"), Series.ofDouble(0.1, 0.1, 0.1), Series.ofLong(1, 2, 3), Series.of("sgd", "sgd", "sgd"),
                Series.ofDouble(Double.NaN, Double.NaN, Double.NaN), Series.of(List.of(1L), List.of(1L), List.of(2L)));
        assertThat(RunSummaries.changedColumns(perRun)).containsExactly("exp_id", "seed", "tags");
        assertThat(RunSummaries.onlyChanged(perRun, "exp_id", "lr").getColumnsIndex().toArray())
                .containsExactly("exp_id", "lr", "seed", "tags");
        assertThat(RunSummaries.changedColumns(perRun.head(1))).hasSize(6);
    }

    @Test
    void badColumn_isACallerError() {
        assertThatThrownBy(() -> RunSummaries.bestRows(rows(), "los", Goal.MIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'los': the columns are [epoch, loss, acc, phase, exp_id]");
        assertThatThrownBy(() -> RunSummaries.bestRows(rows(), "phase", Goal.MIN)).hasMessage("column 'phase' is not numeric");
        assertThatThrownBy(() -> Goal.of("best")).hasMessage("unknown goal 'best': expected min or max");
        assertThatThrownBy(() -> Statistic.of("median"))
                .hasMessage("unknown statistic 'median': expected first, last, min, max, mean, best or count");
    }

    @Test
    void runMetadata_join_lastRowPerRun_nullsForRunsWithout_clashesPrefixed() {
        DataFrame meta = DataFrame.byColumn("lr", "optimizer", "epoch", "exp_id").of(
                Series.ofDouble(0.1, 0.2, 0.3), Series.of("sgd", "adam", "adamw"), Series.ofLong(9, 9, 9), Series.of("a", "b", "b"));
        RunMetadata m = RunMetadata.of("metadata", meta);
        assertThat(m.columns()).containsExactly("lr", "optimizer", "epoch");
        assertThat(m.parameters("b")).isEqualTo(Map.of("lr", 0.3, "optimizer", "adamw", "epoch", 9L));
        assertThat(m.parameters("c")).isEmpty();
        DataFrame joined = m.join(rows());
        assertThat(joined.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "acc", "phase", "exp_id", "lr",
                "optimizer", "metadata.epoch");
        assertThat(joined.getColumn("lr").toList()).containsExactly(0.3, 0.1, 0.1, 0.3, 0.3, null, null);
        assertThat(joined.getColumn("optimizer").toList()).containsExactly("adamw", "sgd", "sgd", "adamw", "adamw", null, null);
        DataFrame onlyAB = m.join(rows().head(5));
        assertThat(onlyAB.getColumn("lr")).isInstanceOf(DoubleSeries.class);
        assertThat(onlyAB.getColumn("metadata.epoch")).isInstanceOf(LongSeries.class);
    }
}
