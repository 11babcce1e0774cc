package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Interop;
import cox.testing.LogCapture;
import cox.testing.Python;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden store ({@link GoldenStore}), written by an earlier cox4j, reads back value for value
 * through the public API: in READ mode (store.h5 plus the journal's tail) and after an APPEND open
 * has applied the tail to store.h5.
 */
class GoldenStoreTest {
    @TempDir
    Path dir;

    static List<String> versions() {
        return GoldenStore.VERSIONS;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void readMode_everyTableAndValue(String version) throws IOException {
        GoldenStore.copyTo(dir, version);
        try (Store store = Store.open(dir, GoldenStore.EXP_ID, Mode.READ)) {
            assertEveryValue(store);
        }
    }

    @Test
    void readMode_ofACheckpointWithDigests_answersFromStoreH5_withoutAWarning() throws IOException {
        GoldenStore.copyTo(dir, "2026-11-25-9db0067");
        try (LogCapture log = new LogCapture(); Store store = Store.open(dir, GoldenStore.EXP_ID, Mode.READ)) {
            assertEveryValue(store);
            assertThat(log.text()).doesNotContain("answering from the journal").doesNotContain("WARN");
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void appendMode_appliesTheJournalTail_thenReadsTheSame(String version) throws IOException {
        GoldenStore.copyTo(dir, version);
        try (Store store = Store.open(dir, GoldenStore.EXP_ID)) {
            assertEveryValue(store);
        }
        try (Store store = Store.open(dir, GoldenStore.EXP_ID, Mode.READ)) {
            assertEveryValue(store);
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    @Interop
    void appendMode_thenPandas_readsEveryRow(String version) throws IOException {
        GoldenStore.copyTo(dir, version);
        Store.open(dir, GoldenStore.EXP_ID).close();
        String out = Python.run(String.join("\n",
                "import sys, math, pandas as pd",
                "f = sys.argv[1]",
                "r = pd.read_hdf(f, 'résultats')",
                "print(len(r), len(pd.read_hdf(f, 'später')), len(pd.read_hdf(f, 'objects')))",
                "print(r['epoch'].iloc[7], r['epoch'].iloc[8], math.isnan(r['loss'].iloc[1]), len(r['note ✎'].iloc[250]))"),
                dir.resolve(GoldenStore.EXP_ID).resolve("store.h5").toString());
        assertThat(out.lines().toList()).containsExactly("300 3 5",
                Long.MIN_VALUE + " " + Long.MAX_VALUE + " True 1000");
    }

    private static void assertEveryValue(Store store) {
        Map<String, Schema> schemas = GoldenStore.schemas();
        assertThat(new ArrayList<>(store.keys())).containsExactlyElementsOf(schemas.keySet());
        for (Map.Entry<String, Schema> e : schemas.entrySet()) {
            Table table = store.table(e.getKey());
            assertThat(table.schema().sameLayout(e.getValue())).as("schema of %s", e.getKey()).isTrue();
            List<Map<String, Object>> expected = GoldenStore.rows(e.getKey());
            DataFrame df = table.df();
            assertThat(df.height()).as("rows of %s", e.getKey()).isEqualTo(expected.size());
            assertThat(table.nrows()).isEqualTo(expected.size());
            for (int r = 0; r < expected.size(); r++) {
                for (Map.Entry<String, ColumnType> c : e.getValue().entrySet()) {
                    Object cell = df.getColumn(c.getKey()).get(r);
                    Object want = expected.get(r).get(c.getKey());
                    String what = e.getKey() + "[" + r + "]." + c.getKey();
                    switch (c.getValue()) {
                        case OBJECT:
                            assertThat(GoldenStore.comparable(table.getObject((String) cell))).as(what)
                                    .isEqualTo(GoldenStore.comparable(want));
                            break;
                        case PICKLE:
                            assertThat(GoldenStore.comparable(table.getPickle((String) cell))).as(what)
                                    .isEqualTo(GoldenStore.comparable(want));
                            break;
                        case PYTORCH_STATE:
                            assertThat(table.getStateDict((String) cell)).as(what)
                                    .containsExactlyEntriesOf((cox.torch.StateDict) want);
                            break;
                        case FLOAT:
                            assertThat(Double.doubleToRawLongBits((Double) cell)).as(what)
                                    .isEqualTo(Double.doubleToRawLongBits((Double) want));
                            break;
                        default:
                            assertThat(cell).as(what).isEqualTo(want);
                    }
                }
            }
        }
    }
}
