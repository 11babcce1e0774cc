package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.testing.Interop;
import cox.testing.Python;
import cox.torch.StateDict;
import cox.torch.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectColumnsTest {
    @TempDir
    Path dir;

    static final Schema SCHEMA = Schema.of("obj", Store.OBJECT, "pick", Store.PICKLE, "state", Store.PYTORCH_STATE);

    /** A model-like object: PYTORCH_STATE takes its stateDict(). */
    public static final class Model {
        public Map<String, Tensor> stateDict() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("w", Tensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
            m.put("b", Tensor.ofLongs(new long[] {7}));
            return m;
        }
    }

    static Map<String, Object> objectValue() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("layers", List.of(64L, 32L));
        v.put("name", "net0 ✓");
        v.put("dropout", -0.0);
        v.put("nothing", null);
        return v;
    }

    @Test
    void objectPickleAndState_roundTripThroughTheStore() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("objects", SCHEMA);
            t.appendRow(Map.of("obj", objectValue(), "pick", List.of("a", 1L, 2.5), "state", new Model()));
            DataFrame df = t.df();
            String obj = (String) df.getColumn("obj").get(0);
            assertThat(obj).endsWith("\n");
            assertThat(t.getObject(obj)).isEqualTo(objectValue());
            String uid = (String) df.getColumn("pick").get(0);
            assertThat(s.path().resolve(".table_objects").resolve(uid)).isRegularFile();
            assertThat(t.getPickle(uid)).isEqualTo(List.of("a", 1L, 2.5));
            StateDict state = t.getStateDict((String) df.getColumn("state").get(0));
            assertThat(state.keySet()).containsExactly("w", "b");
            assertThat(state.get("w").toFloatArray()).containsExactly(1, 2, 3, 4);
            assertThat(state.get("w").shape()).containsExactly(2, 2);
            assertThat(state.get("b").shape()).isEmpty();
        }
    }

    @Test
    void bigObjectCells_widenTheStringBlock() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("o", Schema.of("obj", Store.OBJECT));
            t.appendRow(Map.of("obj", 1L));
            s.sync();
            List<Long> big = java.util.stream.LongStream.range(0, 20_000).boxed().toList();
            t.appendRow(Map.of("obj", big));
            assertThat(t.getObject((String) t.df().getColumn("obj").get(1))).isEqualTo(big);
        }
    }

    @Test
    void uids_thatAreNotUuids_areRefused() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("o", SCHEMA);
            assertThatThrownBy(() -> t.getPickle("../../etc/passwd"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("PICKLE cell text '../../etc/passwd' given for table 'o' of store ")
                    .hasMessageEndingWith(", which no PICKLE cell of it holds: object uid must be a UUID such as"
                            + " 8667a56b-2850-40ef-a42c-a0487b75317d: got '../../etc/passwd'");
            assertThatThrownBy(() -> t.getStateDict("8667A56B-2850-40EF-A42C-A0487B75317D"))
                    .hasMessageContaining("must be a UUID");
        }
    }

    @Test
    void badStateValue_namesColumn() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("o", Schema.of("state", Store.PYTORCH_STATE));
            assertThatThrownBy(() -> t.updateRow(Map.of("state", "not a model")))
                    .hasMessage("table 'o' of store " + s.path() + ": column 'state' expects PYTORCH_STATE (a Map<String, Tensor>"
                            + " or an object with a stateDict() method), got java.lang.String");
        }
    }

    @Test
    void scalarTensors_goIntoScalarColumns_andExampleSchemasUseTheAlternative() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTableLikeExample("m", Map.of("loss", 0.5, "hist", List.of(1, 2)), Store.PICKLE);
            assertThat(t.schema().type("hist")).isEqualTo(ColumnType.PICKLE);
            t.appendRow(Map.of("loss", Tensor.ofDoubles(new double[] {0.25}), "hist", List.of(1L)));
            assertThat(t.df().getColumn("loss").toList()).containsExactly(0.25);
            Table i = s.addTable("i", Schema.of("n", ColumnType.INT));
            i.appendRow(Map.of("n", Tensor.ofLongs(new long[] {7})));
            assertThat(i.df().getColumn("n").toList()).containsExactly(7L);
            assertThatThrownBy(() -> i.appendRow(Map.of("n", Tensor.ofLongs(new long[] {1, 2}, 2))))
                    .hasMessageContaining("only a tensor with one element converts to a scalar");
        }
    }

    @Test
    @Interop
    void python_decodesEveryObjectCell_likeCox() {
        Path store;
        try (Store s = Store.open(dir, "exp")) {
            store = s.path();
            s.addTable("objects", SCHEMA).appendRow(Map.of("obj", objectValue(), "pick", List.of("a", 1L, 2.5),
                    "state", new Model()));
        }
        String out = Python.run(String.join("\n",
                "import sys, os, pickle, codecs, json, torch, pandas as pd",
                "exp = sys.argv[1]",
                "df = pd.read_hdf(os.path.join(exp, 'store.h5'), 'objects')",
                "obj = pickle.loads(codecs.decode(df['obj'][0].encode(), 'base64'))",
                "pick = pickle.load(open(os.path.join(exp, '.table_objects', df['pick'][0]), 'rb'))",
                "state = torch.load(os.path.join(exp, '.table_objects', df['state'][0]))",
                "safe = torch.load(os.path.join(exp, '.table_objects', df['state'][0]), weights_only=True)",
                "print(json.dumps({'obj': repr(obj), 'pick': repr(pick),",
                "  'w': state['w'].tolist(), 'wdtype': str(state['w'].dtype), 'b': state['b'].tolist(), 'bshape': list(state['b'].shape),",
                "  'safe': safe['w'].tolist()}, sort_keys=True))"), store.toString());
        assertThat(out.strip()).isEqualTo("{\"b\": 7, \"bshape\": [], \"obj\": \"{'layers': [64, 32], 'name': 'net0 \\u2713', "
                + "'dropout': -0.0, 'nothing': None}\", \"pick\": \"['a', 1, 2.5]\", \"safe\": [[1.0, 2.0], [3.0, 4.0]], "
                + "\"w\": [[1.0, 2.0], [3.0, 4.0]], \"wdtype\": \"torch.float32\"}");
    }
}
