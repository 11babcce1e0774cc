package cox.store;

import static cox.store.ColumnType.BOOL;
import static cox.store.ColumnType.FLOAT;
import static cox.store.ColumnType.INT;
import static cox.store.ColumnType.STR;
import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Interop;
import cox.testing.Python;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores cox4j writes, read and appended to by pandas; stores pandas wrote, read by cox4j. */
class PandasInteropTest {
    @TempDir
    Path dir;

    static final Schema SCHEMA = Schema.of("epoch", INT, "loss", FLOAT, "phase", STR, "best", BOOL, "obj", Store.OBJECT);

    private static Map<String, Object> row(long epoch, double loss, String phase, boolean best) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", loss);
        m.put("phase", phase);
        m.put("best", best);
        m.put("obj", Map.of("epoch", epoch));
        return m;
    }

    @Test
    void pandasWrittenStore_readsExactly() throws Exception {
        Path exp = dir.resolve("exp");
        Files.createDirectories(exp);
        try (InputStream in = getClass().getResourceAsStream("/stores/pandas-written.h5")) {
            Files.copy(in, exp.resolve("store.h5"));
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.keys()).containsExactlyInAnyOrder("metrics", "other");
            Table m = s.table("metrics");
            assertThat(m.schema()).isEqualTo(Schema.of("step", INT, "loss", FLOAT, "name", STR, "ok", BOOL));
            DataFrame df = m.df();
            assertThat(df.getColumn("step").toList()).containsExactly(0L, 1L, 2L, -5L);
            assertThat((Double) df.getColumn("loss").get(0)).isNaN();
            assertThat(Double.doubleToRawLongBits((Double) df.getColumn("loss").get(1))).isEqualTo(Long.MIN_VALUE);
            assertThat(df.getColumn("loss").get(2)).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(df.getColumn("loss").get(3)).isEqualTo(1e-300);
            assertThat(df.getColumn("name").toList()).containsExactly("a", "", "ünïcødé ✓", "long-".repeat(10));
            assertThat(df.getColumn("ok").toList()).containsExactly(true, false, true, false);
            DataFrame other = s.table("other").df();
            assertThat(s.table("other").schema()).isEqualTo(Schema.of("i32", INT, "f32", FLOAT, "u8", INT, "tag", STR));
            assertThat(other.getColumn("i32").toList()).containsExactly(1L, -2L);
            assertThat(other.getColumn("f32").toList()).containsExactly(0.5, -1.5);
            assertThat(other.getColumn("u8").toList()).containsExactly(255L, 0L);
            assertThat(other.getColumn("tag").toList()).containsExactly("x", "yy");
        }
        // appending adopts the store: its rows join the journal, new rows follow
        try (Store s = Store.open(dir, "exp")) {
            s.table("metrics").appendRow(Map.of("step", 3, "loss", 0.5, "name", "java", "ok", true));
            assertThat(s.table("metrics").df().getColumn("name").toList()).containsExactly("a", "", "ünïcødé ✓",
                    "long-".repeat(10), "java");
        }
    }

    @Test
    @Interop
    void pandas_readsOurStore_andCoxSeesTheSchema() {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            exp = s.path();
            Table t = s.addTable("results", SCHEMA);
            t.appendRow(row(0, Double.NaN, "validation-long-name", true));
            t.appendRow(row(1, -0.0, "", false));
            t.appendRow(row(2, Double.POSITIVE_INFINITY, "ünïcødé ✓", true));
        }
        String out = Python.run(String.join("\n",
                "import sys, json, pickle, codecs, pandas as pd",
                "p = sys.argv[1] + '/store.h5'",
                "df = pd.read_hdf(p, 'results')",
                "with pd.HDFStore(p, 'r') as st:",
                "    cox = st.get_storer('results').attrs.COX_DATA",
                "print(json.dumps({'cols': list(df.columns), 'dtypes': [str(d) for d in df.dtypes],",
                "  'epoch': df['epoch'].tolist(), 'loss': [repr(v) for v in df['loss']], 'phase': df['phase'].tolist(),",
                "  'best': df['best'].tolist(), 'obj': [pickle.loads(codecs.decode(o.encode(), 'base64')) for o in df['obj']],",
                "  'cox': {'name': cox['name'], 'schema': {k: (v.__name__ if isinstance(v, type) else v) for k, v in cox['schema'].items()}}}))"),
                exp.toString());
        assertThat(out.strip()).isEqualTo("{\"cols\": [\"epoch\", \"loss\", \"phase\", \"best\", \"obj\"], "
                + "\"dtypes\": [\"int64\", \"float64\", \"object\", \"bool\", \"object\"], \"epoch\": [0, 1, 2], "
                + "\"loss\": [\"nan\", \"-0.0\", \"inf\"], \"phase\": [\"validation-long-name\", \"\", \"\\u00fcn\\u00efc\\u00f8d\\u00e9 \\u2713\"], "
                + "\"best\": [true, false, true], \"obj\": [{\"epoch\": 0}, {\"epoch\": 1}, {\"epoch\": 2}], "
                + "\"cox\": {\"name\": \"results\", \"schema\": {\"epoch\": \"int\", \"loss\": \"float\", \"phase\": \"str\", "
                + "\"best\": \"bool\", \"obj\": \"__object__\"}}}");
    }

    @Test
    @Interop
    void pandas_appendsToOurTable_thenWeReadAndAppend() {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            exp = s.path();
            Table t = s.addTable("results", Schema.of("epoch", INT, "loss", FLOAT, "phase", STR, "best", BOOL));
            t.appendRow(Map.of("epoch", 0, "loss", 1.0, "phase", "train-phase-name", "best", true));
        }
        Python.run(String.join("\n",
                "import sys, pandas as pd",
                "p = sys.argv[1] + '/store.h5'",
                "with pd.HDFStore(p, 'a') as st:",
                "    n = st.get_storer('results').nrows",
                "    df = pd.DataFrame({'epoch': [1, 2], 'loss': [0.5, float('nan')], 'phase': ['py', 'é'], 'best': [False, True]},",
                "                      index=[n, n + 1])",
                "    st.append('results', df)"), exp.toString());
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.table("results");
            assertThat(t.nrows()).isEqualTo(3);
            t.appendRow(Map.of("epoch", 3, "loss", 0.25, "phase", "java again, and longer than before", "best", false));
            DataFrame df = t.df();
            assertThat(df.getColumn("epoch").toList()).containsExactly(0L, 1L, 2L, 3L);
            assertThat(df.getColumn("phase").toList()).containsExactly("train-phase-name", "py", "é",
                    "java again, and longer than before");
        }
        String out = Python.run("import sys, pandas as pd\nprint(pd.read_hdf(sys.argv[1] + '/store.h5', 'results')['phase'].tolist())",
                exp.toString());
        assertThat(out.strip()).isEqualTo("['train-phase-name', 'py', 'é', 'java again, and longer than before']");
    }
}
