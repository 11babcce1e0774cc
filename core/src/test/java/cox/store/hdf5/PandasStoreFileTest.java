package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PandasStoreFileTest {
    static final List<FrameColumn> SCHEMA = List.of(new FrameColumn("epoch", ColumnKind.INT, "int"),
            new FrameColumn("loss", ColumnKind.FLOAT, "float"), new FrameColumn("phase", ColumnKind.TEXT, "str"),
            new FrameColumn("best", ColumnKind.BOOL, "bool"), new FrameColumn("acc", ColumnKind.FLOAT, "float"));

    static List<FrameColumn> text(String name) {
        return List.of(new FrameColumn(name, ColumnKind.TEXT, "str"));
    }

    static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {0L, Double.NaN, "train", true, -0.0});
        rows.add(new Object[] {1L, Double.POSITIVE_INFINITY, "", false, 1.5});
        rows.add(new Object[] {Long.MIN_VALUE, Double.NEGATIVE_INFINITY, "ünïcødé ✓ 🎉", true, Double.MIN_VALUE});
        rows.add(new Object[] {Long.MAX_VALUE, 0.1, "nul-free", false, -1e308});
        return rows;
    }

    @Test
    void append_thenRead_returnsExactValues(@TempDir Path dir) {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("results", SCHEMA, 5);
            t.append(rows());
            assertThat(t.nrows()).isEqualTo(4);
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat(f.tableNames()).containsExactly("results");
            PandasTable t = f.table("results");
            assertThat(t.columns()).isEqualTo(SCHEMA);
            Object[] cols = t.read(0, 4);
            assertThat((long[]) cols[0]).containsExactly(0L, 1L, Long.MIN_VALUE, Long.MAX_VALUE);
            double[] loss = (double[]) cols[1];
            assertThat(loss[0]).isNaN();
            assertThat(loss[1]).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat((String[]) cols[2]).containsExactly("train", "", "ünïcødé ✓ 🎉", "nul-free");
            assertThat((boolean[]) cols[3]).containsExactly(true, false, true, false);
            assertThat(Double.doubleToRawLongBits(((double[]) cols[4])[0])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        }
    }

    @Test
    void append_longerString_widensBlockAndKeepsRows(@TempDir Path dir) {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("t", List.of(new FrameColumn("s", ColumnKind.TEXT, "str"),
                    new FrameColumn("x", ColumnKind.INT, "int")), 1);
            t.append(List.<Object[]>of(new Object[] {"a", 1L}));
            assertThat(t.stringWidth()).isEqualTo(1);
            String big = "x".repeat(1000);
            t.append(List.<Object[]>of(new Object[] {big, 2L}));
            assertThat(t.stringWidth()).isEqualTo(1000);
            t.append(List.<Object[]>of(new Object[] {"bb", 3L}));
            Object[] cols = t.read(0, 3);
            assertThat((String[]) cols[0]).containsExactly("a", big, "bb");
            assertThat((long[]) cols[1]).containsExactly(1L, 2L, 3L);
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat(((String[]) f.table("t").read(0, 3)[0])[1]).hasSize(1000);
        }
    }

    @Test
    void open_notHdf5_namesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("store.h5");
        Files.writeString(file, "this is not HDF5");
        assertThatThrownBy(() -> PandasStoreFile.open(file, false))
                .isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("cannot read HDF5 file " + file);
    }

    @Test
    @Interop
    void pandas_readsWhatWeWrite(@TempDir Path dir) {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("results", SCHEMA, 5);
            t.append(rows());
            PandasTable w = f.createTable("wide", text("s"), 1);
            w.append(List.<Object[]>of(new Object[] {"a"}));
            w.append(List.<Object[]>of(new Object[] {"é".repeat(300)}));
        }
        String out = Python.run(String.join("\n",
                "import sys, json, math, pandas as pd",
                "df = pd.read_hdf(sys.argv[1], 'results')",
                "def enc(v):",
                "    if isinstance(v, float):",
                "        return repr(v)",
                "    return v",
                "print(json.dumps({'columns': list(df.columns), 'dtypes': [str(d) for d in df.dtypes],",
                "  'index': [int(i) for i in df.index],",
                "  'rows': [[enc(v.item() if hasattr(v, 'item') else v) for v in r] for r in df.itertuples(index=False)]}))",
                "w = pd.read_hdf(sys.argv[1], 'wide')",
                "print(json.dumps(list(w['s'])))"), file.toString());
        String[] lines = out.strip().split("\n");
        assertThat(lines[0]).isEqualTo("{\"columns\": [\"epoch\", \"loss\", \"phase\", \"best\", \"acc\"], "
                + "\"dtypes\": [\"int64\", \"float64\", \"object\", \"bool\", \"float64\"], \"index\": [0, 1, 2, 3], "
                + "\"rows\": [[0, \"nan\", \"train\", true, \"-0.0\"], [1, \"inf\", \"\", false, \"1.5\"], "
                + "[-9223372036854775808, \"-inf\", \"\\u00fcn\\u00efc\\u00f8d\\u00e9 \\u2713 \\ud83c\\udf89\", true, \"5e-324\"], "
                + "[9223372036854775807, \"0.1\", \"nul-free\", false, \"-1e+308\"]]}");
        assertThat(lines[1]).isEqualTo("[\"a\", \"" + "\\u00e9".repeat(300) + "\"]");
    }
}
