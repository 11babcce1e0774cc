package cox.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import cox.readers.CollectionReader;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.LinearScalingTransformation;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

class ProvenanceColumnsTest {
    @TempDir
    Path runs;

    @BeforeAll
    static void quietTribuo() {
        CoxTribuoTest.TRIBUO_LOG.setLevel(Level.WARNING);
    }

    @Test
    void equalProvenances_fromDifferentTrainerInstances_giveTheSameColumnsInTheSameOrder() {
        LinearSGDTrainer one = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 3, 1000, 1, 7L);
        LinearSGDTrainer two = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 3, 1000, 1, 7L);
        assertThat(two.getProvenance()).isEqualTo(one.getProvenance());
        List<String> columns = List.copyOf(CoxTribuo.flatten(one.getProvenance()).keySet());
        assertThat(List.copyOf(CoxTribuo.flatten(two.getProvenance()).keySet())).isEqualTo(columns);
        // the same provenance iterated in the opposite order (as another HashMap capacity may give it)
        assertThat(List.copyOf(CoxTribuo.flatten(new Reversed(one.getProvenance())).keySet())).isEqualTo(columns);
        assertThat(columns.get(0)).isEqualTo("class-name");
        assertThat(columns).containsSubsequence("epochs", "objective.class-name", "optimiser.class-name",
                "optimiser.epsilon", "optimiser.initialLearningRate", "seed");
        assertThat(columns.stream().filter(c -> c.startsWith("optimiser.")).toList().get(0)).isEqualTo("optimiser.class-name");
    }

    /**
     * Keys holding dots, as a CSV RowProcessor's fieldProcessorMap is keyed by headers: "Sepal.Length"
     * and "Sepal" → {"Length"} give one path twice. The "Sepal" map is one OBJECT cell; the log works.
     */
    @Test
    void dottedKeysThatCollide_theCollidingSubtreeIsOneObjectCell_andTheLogWorks() {
        Map<String, Provenance> sepal = new LinkedHashMap<>();
        sepal.put("Length", new StringProvenance("Length", "DoubleFieldProcessor(cm)"));
        Map<String, Provenance> processors = new LinkedHashMap<>();
        processors.put("Sepal.Length", new StringProvenance("Sepal.Length", "DoubleFieldProcessor"));
        processors.put("Sepal", new MapProvenance<>(sepal));
        processors.put("Petal.Width", new StringProvenance("Petal.Width", "DoubleFieldProcessor"));
        Map<String, Provenance> fields = new LinkedHashMap<>();
        fields.put("fieldProcessorMap", new MapProvenance<>(processors));
        fields.put("headers", new ListProvenance<>(List.of(new StringProvenance("headers", "Sepal.Length"),
                new StringProvenance("headers", "Petal.Width"))));
        fields.put("skew", new DoubleProvenance("skew", 0.5));
        CsvLikeProvenance csv = new CsvLikeProvenance(fields);

        Map<String, Object> flat = CoxTribuo.flatten(csv);
        assertThat(List.copyOf(flat.keySet())).containsExactly("class-name", "fieldProcessorMap.Petal.Width",
                "fieldProcessorMap.Sepal", "fieldProcessorMap.Sepal.Length", "headers.0", "headers.1", "skew");
        assertThat(flat.get("fieldProcessorMap.Sepal")).isEqualTo(Map.of("Length", "DoubleFieldProcessor(cm)"));
        assertThat(flat.get("fieldProcessorMap.Sepal.Length")).isEqualTo("DoubleFieldProcessor");

        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(csv, factory);
        for (Example<Label> example : TribuoData.threeClasses("blobs", 60, 3L)) {
            data.add(example);
        }
        Model<Label> model = TribuoData.logisticRegression(data, 0.5, 1);
        try (Store store = Store.open(runs, "csv")) {
            CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, data));
            CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, data)); // the OBJECT cell compares equal
        }
        try (Store store = Store.open(runs, "csv", Mode.READ)) {
            Table metadata = store.table("metadata");
            String cell = "dataset.datasource.fieldProcessorMap.Sepal";
            assertThat(metadata.schema().get(cell)).isEqualTo(ColumnType.OBJECT);
            assertThat(metadata.getObject((String) CoxTribuoTest.cell(metadata.df(), cell)))
                    .isEqualTo(Map.of("Length", "DoubleFieldProcessor(cm)"));
            assertThat(CoxTribuoTest.cell(metadata.df(), "dataset.datasource.fieldProcessorMap.Sepal.Length"))
                    .isEqualTo("DoubleFieldProcessor");
            assertThat(store.table("results").df().getColumn("evaluation").toList()).containsExactly("train", "train-2");
        }
    }

    /**
     * A list of at most 16 elements is spread, so runs whose list-valued settings differ in length
     * (a sweep over how many transformations precede the trainer) have different metadata columns;
     * cox reads them as the union, a run's missing cells null.
     */
    @Test
    void listsOfDifferentLengths_giveDifferentColumns_readAsTheirUnionWithNulls() {
        MutableDataset<Label> train = TribuoData.threeClasses("three blobs, train", 90, 3L);
        List<List<Transformation>> sweep = List.of(List.of(new LinearScalingTransformation(0, 1)),
                List.of(new LinearScalingTransformation(0, 1), new MeanStdDevTransformation(0, 1)));
        for (int i = 0; i < sweep.size(); i++) {
            TransformTrainer<Label> trainer = new TransformTrainer<>(
                    new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 1, 1000, 1, 7L),
                    new TransformationMap(sweep.get(i)));
            Model<Label> model = trainer.train(train);
            try (Store store = Store.open(runs, "transformations-" + (i + 1))) {
                CoxTribuo.log(store, model, new LabelEvaluator().evaluate(model, train));
            }
        }
        CollectionReader reader = CollectionReader.open(runs);
        DataFrame meta = reader.df("metadata");
        assertThat(meta.getColumn("exp_id").toList()).containsExactly("transformations-1", "transformations-2");
        String prefix = "trainer.transformations.globalTransformations.";
        assertThat(meta.getColumn(prefix + "0.class-name").toList()).containsExactly(
                LinearScalingTransformation.class.getName(), LinearScalingTransformation.class.getName());
        assertThat(meta.getColumn(prefix + "1.class-name").toList()).containsExactly(null,
                MeanStdDevTransformation.class.getName());
        assertThat(meta.getColumn(prefix + "1.targetStdDev").toList()).containsExactly(null, 1.0);
        assertThat(reader.schemas().get("metadata").differing()).hasSize(1);
    }

    /** A data source's provenance shaped as a CSV source's: fields in the order given. */
    private record CsvLikeProvenance(Map<String, Provenance> fields) implements DataSourceProvenance {
        @Override
        public String getClassName() {
            return "org.tribuo.data.csv.CSVDataSource";
        }

        @Override
        public Iterator<Pair<String, Provenance>> iterator() {
            List<Pair<String, Provenance>> pairs = new ArrayList<>();
            pairs.add(new Pair<>(CLASS_NAME, new StringProvenance(CLASS_NAME, getClassName())));
            fields.forEach((k, v) -> pairs.add(new Pair<>(k, v)));
            return pairs.iterator();
        }
    }

    /** An object provenance whose fields (and its objects' fields) iterate in the opposite order. */
    private record Reversed(ObjectProvenance of) implements ObjectProvenance {
        @Override
        public String getClassName() {
            return of.getClassName();
        }

        @Override
        public Iterator<Pair<String, Provenance>> iterator() {
            List<Pair<String, Provenance>> pairs = new ArrayList<>();
            for (Pair<String, Provenance> p : of) {
                Provenance v = p.getB() instanceof ObjectProvenance o ? new Reversed(o) : p.getB();
                pairs.add(new Pair<>(p.getA(), v));
            }
            Collections.reverse(pairs);
            return pairs.iterator();
        }
    }
}
