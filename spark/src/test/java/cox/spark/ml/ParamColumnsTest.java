package cox.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;

/** {@link ParamColumns} on Spark ML stages that are never fitted: no SparkContext. */
class ParamColumnsTest {
    @Test
    void describe_sortsThePairsByColumn_whateverTheUids() {
        // a ParamMap's order is its hash map's, which follows the uids: many estimators, one text
        for (int i = 0; i < 20; i++) {
            LogisticRegression lr = new LogisticRegression();
            ParamMap map = new ParamMap().put(lr.tol(), 1e-4).put(lr.regParam(), 0.1)
                    .put(lr.maxIter(), 3).put(lr.elasticNetParam(), 0.5).put(lr.fitIntercept(), false);
            ParamColumns columns = new ParamColumns();
            columns.add(lr, null);
            assertThat(columns.describe(map)).as(lr.uid()).isEqualTo("LogisticRegression.elasticNetParam=0.5,"
                    + " LogisticRegression.fitIntercept=false, LogisticRegression.maxIter=3,"
                    + " LogisticRegression.regParam=0.1, LogisticRegression.tol=1.0E-4");
        }
    }

    @Test
    void twoStagesOfOneClass_secondIsStageClass2_inColumnsAndParamMaps() {
        VectorAssembler first = new VectorAssembler().setInputCols(new String[] {"a"}).setOutputCol("u");
        VectorAssembler second = new VectorAssembler().setInputCols(new String[] {"u", "b"}).setOutputCol("v");
        LogisticRegression lr = new LogisticRegression().setFeaturesCol("v");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {first, second, lr});
        ParamColumns columns = new ParamColumns();
        columns.addStages(pipeline, null);

        assertThat(columns.stageNames()).containsExactly("VectorAssembler", "VectorAssembler_2", "LogisticRegression");
        assertThat(columns.columns()).containsEntry("VectorAssembler.outputCol", "u")
                .containsEntry("VectorAssembler_2.outputCol", "v")
                .containsEntry("VectorAssembler_2.inputCols", "[\"u\",\"b\"]")
                .containsEntry("LogisticRegression.featuresCol", "v");
        assertThat(columns.prefixOf(second)).isEqualTo("VectorAssembler_2");
        ParamMap map = new ParamMap().put(second.handleInvalid(), "skip").put(first.handleInvalid(), "keep");
        assertThat(columns.describe(map))
                .isEqualTo("VectorAssembler.handleInvalid=keep, VectorAssembler_2.handleInvalid=skip");
    }
}
