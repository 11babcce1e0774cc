package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.RunSummary;
import cox.store.Schema;
import cox.store.Store;
import cox.store.TableSummary;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's per-run min and max take the value logged first among equal ones, as a run's summary and cox df do. */
class MetricSummaryTest {
    @TempDir
    Path dir;

    @Test
    void ofSignedZerosAndTies_theFirstLoggedIsTheLeastAndTheGreatest_asInTheRunSummary() {
        double[][] cases = {{0.0, -0.0}, {-0.0, 0.0}, {1.0, -0.0, 0.0, 1.0}, {Double.NaN, -0.0, 0.0}};
        for (int k = 0; k < cases.length; k++) {
            double[] values = cases[k];
            MetricSummary m = MetricSummary.of(values, values.length);
            try (Store s = Store.open(dir, "run" + k)) {
                var t = s.addTable("t", Schema.of("x", ColumnType.FLOAT));
                for (double v : values) {
                    t.appendRow(Map.of("x", v));
                }
            }
            TableSummary t = RunSummary.written(dir.resolve("run" + k)).tables().get("t");
            assertThat(Double.doubleToRawLongBits(m.min())).as("min of case %d", k)
                    .isEqualTo(Double.doubleToRawLongBits(t.min("x")));
            assertThat(Double.doubleToRawLongBits(m.max())).as("max of case %d", k)
                    .isEqualTo(Double.doubleToRawLongBits(t.max("x")));
        }
    }
}
