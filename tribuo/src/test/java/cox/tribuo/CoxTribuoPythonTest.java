package cox.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.Store;
import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/**
 * What Python sees: pandas.read_hdf on the run's store.h5, OBJECT cells unpickled as Python cox's
 * {@code Table.get_object} does; every value equal to Tribuo's own, floats to the last bit.
 */
@Interop
class CoxTribuoPythonTest {
    /** Tribuo's trainers log each training at INFO; held so the setting stays. */
    static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    /**
     * Prints each cell of a table as {@code TABLE<TAB>ROW<TAB>COLUMN<TAB>DTYPE<TAB>repr}, a
     * confusion matrix's entries as {@code cm<TAB>ROW<TAB>TRUTH<TAB>PREDICTED<TAB>repr} and a
     * dataset dict's as {@code dataset<TAB>ROW<TAB>KEY<TAB>type<TAB>repr}.
     */
    private static final String SCRIPT = String.join("\n",
            "import sys, pickle, codecs, pandas as pd",
            "def obj(s):",
            "    return pickle.loads(codecs.decode(s.encode(), 'base64'))",
            "for table in ('metadata', 'results'):",
            "    df = pd.read_hdf(sys.argv[1], table)",
            "    for r in range(len(df)):",
            "        for c in df.columns:",
            "            v = df[c].iloc[r]",
            "            if c == 'confusionMatrix':",
            "                cm = obj(v)",
            "                assert type(cm) is dict, type(cm)",
            "                for truth, row in cm.items():",
            "                    for predicted, n in row.items():",
            "                        print('cm', r, truth, predicted, repr(n), sep='\\t')",
            "            elif c == 'dataset':",
            "                for k, x in obj(v).items():",
            "                    print('dataset', r, k, type(x).__name__, repr(x), sep='\\t')",
            "            else:",
            "                v = v.item() if hasattr(v, 'item') else v",
            "                print(table, r, c, df[c].dtype, repr(v), sep='\\t')",
            "");

    @TempDir
    Path runs;

    @Test
    void classification_pandasReadsTribuosValues_confusionMatrixAsADictOfDicts() {
        TRIBUO_LOG.setLevel(Level.WARNING);
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 300, 3L);
        MutableDataset<Label> test = TribuoData.threeClasses("three blobs, test", 150, 4L);
        Model<Label> model = TribuoData.logisticRegression(train, 0.5, 3);
        LabelEvaluator evaluator = new LabelEvaluator();
        List<LabelEvaluation> evaluations = List.of(evaluator.evaluate(model, train), evaluator.evaluate(model, test));
        Path h5;
        try (Store store = Store.open(runs, "python")) {
            CoxTribuo.to(store).param("note", "from java").log(model, evaluations.toArray(LabelEvaluation[]::new));
            h5 = store.path().resolve("store.h5");
        }
        Printed printed = Printed.parse(Python.run(SCRIPT, h5.toString()));

        Map<String, Object> expectedMeta = new LinkedHashMap<>(CoxTribuo.flatten(model.getProvenance()));
        expectedMeta.put("note", "from java");
        assertMetadata(printed, expectedMeta);
        for (int r = 0; r < 2; r++) {
            LabelEvaluation e = evaluations.get(r);
            assertThat(printed.cell("results", r, "evaluation")).isEqualTo("'" + (r == 0 ? "train" : "test") + "'");
            assertThat(printed.dtype("results", "num-examples")).isEqualTo("int64");
            assertThat(printed.cell("results", r, "num-examples")).isEqualTo(Integer.toString(e.getPredictions().size()));
            assertThat(printed.dtype("results", "accuracy")).isEqualTo("float64");
            assertThat(printed.floatCell("results", r, "accuracy")).isEqualTo(e.accuracy());
            assertThat(printed.floatCell("results", r, "macroAveragedF1")).isEqualTo(e.macroAveragedF1());
            assertThat(printed.floatCell("results", r, "microAveragedF1")).isEqualTo(e.microAveragedF1());
            assertThat(printed.floatCell("results", r, "macroAveragedPrecision")).isEqualTo(e.macroAveragedPrecision());
            assertThat(printed.floatCell("results", r, "macroAveragedRecall")).isEqualTo(e.macroAveragedRecall());
            for (String label : List.of("red", "green", "blue")) {
                Label l = new Label(label);
                assertThat(printed.floatCell("results", r, "precision." + label)).isEqualTo(e.precision(l));
                assertThat(printed.floatCell("results", r, "recall." + label)).isEqualTo(e.recall(l));
                assertThat(printed.floatCell("results", r, "f1." + label)).isEqualTo(e.f1(l));
            }
            Map<String, Map<String, Double>> cm = new LinkedHashMap<>();
            for (String[] line : printed.lines) {
                if (line[0].equals("cm") && line[1].equals(Integer.toString(r))) {
                    cm.computeIfAbsent(line[2], k -> new LinkedHashMap<>()).put(line[3], Double.parseDouble(line[4]));
                }
            }
            assertThat(cm).isEqualTo(CoxTribuoTest.confusion(e));
            assertThat(List.copyOf(cm.keySet())).containsExactly("blue", "green", "red");
        }
        assertThat(printed.lines).anySatisfy(l -> assertThat(l).containsExactly("dataset", "1", "datasource.description",
                "str", "'three blobs, test'"));
        assertThat(printed.lines).anySatisfy(l -> assertThat(l).containsExactly("dataset", "1", "num-examples", "int", "150"));
    }

    @Test
    void regression_pandasReadsTribuosValues() {
        TRIBUO_LOG.setLevel(Level.WARNING);
        MutableDataset<Regressor> train = TribuoData.twoOutputs("two outputs, train", 300, 5L);
        MutableDataset<Regressor> test = TribuoData.twoOutputs("two outputs, test", 100, 6L);
        Model<Regressor> model = TribuoData.linearRegression(train, 5);
        RegressionEvaluation e = new RegressionEvaluator().evaluate(model, test);
        Path h5;
        try (Store store = Store.open(runs, "python-regression")) {
            CoxTribuo.log(store, model, e);
            h5 = store.path().resolve("store.h5");
        }
        Printed printed = Printed.parse(Python.run(SCRIPT, h5.toString()));
        assertMetadata(printed, CoxTribuo.flatten(model.getProvenance()));
        assertThat(printed.floatCell("results", 0, "averageRMSE")).isEqualTo(e.averageRMSE());
        assertThat(printed.floatCell("results", 0, "averageMAE")).isEqualTo(e.averageMAE());
        assertThat(printed.floatCell("results", 0, "averageR2")).isEqualTo(e.averageR2());
        for (String dim : List.of("price", "demand")) {
            Regressor d = new Regressor(dim, Double.NaN);
            assertThat(printed.floatCell("results", 0, "rmse." + dim)).isEqualTo(e.rmse(d));
            assertThat(printed.floatCell("results", 0, "mae." + dim)).isEqualTo(e.mae(d));
            assertThat(printed.floatCell("results", 0, "r2." + dim)).isEqualTo(e.r2(d));
        }
    }

    @Test
    void regression_aConstantOutputDimension_pandasReadsR2AsNaN() {
        TRIBUO_LOG.setLevel(Level.WARNING);
        MutableDataset<Regressor> train = TribuoData.oneFlatOutput("flat, train", 200, 8L);
        Model<Regressor> model = TribuoData.linearRegression(train, 3);
        RegressionEvaluation e = new RegressionEvaluator().evaluate(model, TribuoData.oneFlatOutput("flat, test", 60, 9L));
        Path h5;
        try (Store store = Store.open(runs, "python-flat")) {
            CoxTribuo.log(store, model, e);
            h5 = store.path().resolve("store.h5");
        }
        Printed printed = Printed.parse(Python.run(SCRIPT, h5.toString()));
        assertThat(printed.dtype("results", "r2.flat")).isEqualTo("float64");
        assertThat(printed.cell("results", 0, "r2.flat")).isEqualTo("nan");
        assertThat(printed.floatCell("results", 0, "r2.y")).isEqualTo(e.r2(new Regressor("y", Double.NaN)));
    }

    /** Every metadata column pandas reads is the flattened provenance's, typed int64/float64/bool/str. */
    private static void assertMetadata(Printed printed, Map<String, Object> expected) {
        List<String> columns = new ArrayList<>();
        for (String[] line : printed.lines) {
            if (line[0].equals("metadata")) {
                assertThat(line[1]).isEqualTo("0");
                columns.add(line[2]);
                Object value = expected.get(line[2]);
                String repr = line[4];
                if (value instanceof Long) {
                    assertThat(line[3]).as(line[2]).isEqualTo("int64");
                    assertThat(Long.parseLong(repr)).as(line[2]).isEqualTo(value);
                } else if (value instanceof Double) {
                    assertThat(line[3]).as(line[2]).isEqualTo("float64");
                    assertThat(Double.parseDouble(repr)).as(line[2]).isEqualTo(value);
                } else if (value instanceof Boolean b) {
                    assertThat(line[3]).as(line[2]).isEqualTo("bool");
                    assertThat(repr).as(line[2]).isEqualTo(b ? "True" : "False");
                } else {
                    assertThat(line[3]).as(line[2]).isEqualTo("object");
                    assertThat(repr).as(line[2]).isEqualTo("'" + value + "'");
                }
            }
        }
        assertThat(columns).containsExactlyElementsOf(expected.keySet());
    }

    /** Python's output, one tab-separated line each. */
    private record Printed(List<String[]> lines) {
        static Printed parse(String out) {
            List<String[]> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line.split("\t", -1));
                }
            }
            return new Printed(lines);
        }

        String[] line(String table, int row, String column) {
            for (String[] l : lines) {
                if (l[0].equals(table) && l[1].equals(Integer.toString(row)) && l[2].equals(column)) {
                    return l;
                }
            }
            throw new AssertionError("python printed no " + table + " row " + row + " column " + column);
        }

        String cell(String table, int row, String column) {
            return line(table, row, column)[4];
        }

        String dtype(String table, String column) {
            return line(table, 0, column)[3];
        }

        double floatCell(String table, int row, String column) {
            return Double.parseDouble(cell(table, row, column));
        }
    }
}
