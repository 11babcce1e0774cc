package cox.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.readers.CollectionReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.FitEnd;
import org.apache.spark.ml.FitStart;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CoxMLListener} fed Spark ML's events directly, no SparkContext: the order Spark posts
 * them in, one missing, fits that never end; times from a clock that ticks one second a call.
 */
class CoxMLListenerEventsTest {
    @TempDir
    Path tmp;

    /** 2026-01-01T00:00:00Z, then one second later at every call. */
    static final class TickingClock extends Clock {
        private long seconds = 1_767_225_600L;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized Instant instant() {
            return Instant.ofEpochSecond(seconds++);
        }
    }

    static Pipeline pipeline() {
        VectorAssembler va = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("v");
        return new Pipeline().setStages(new PipelineStage[] {va});
    }

    static PipelineModel fitted(Pipeline p) {
        return new PipelineModel(p.uid(), List.<Transformer>of((Transformer) p.getStages()[0]));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SparkListenerEvent start(Estimator<?> estimator) {
        FitStart e = new FitStart<>();
        e.estimator_$eq(estimator);
        return e;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SparkListenerEvent end(Estimator<?> estimator, Model<?> model) {
        FitEnd e = new FitEnd<>();
        e.estimator_$eq(estimator);
        e.model_$eq(model);
        return e;
    }

    /** A pipeline of {@code stages} and its model of {@code fitted} stages, as Spark fits it. */
    static Pipeline pipelineOf(PipelineStage... stages) {
        return new Pipeline().setStages(stages);
    }

    static PipelineModel modelOf(Pipeline p, Transformer... fitted) {
        return new PipelineModel(p.uid(), List.of(fitted));
    }

    static DataFrame metadata(Path dir) {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            return reader.df("metadata");
        }
    }

    @Test
    void startAndEnd_isOneRun_timedByTheClock() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        Pipeline p = pipeline();
        PipelineModel m = fitted(p);
        cox.onOtherEvent(start(p));
        cox.onOtherEvent(end(p, m));
        assertThat(cox.runOf(m)).isEqualTo(cox.lastRun());
        DataFrame meta = metadata(tmp);
        assertThat(meta.height()).isEqualTo(1);
        assertThat(meta.getColumn("fit_start").get(0)).isEqualTo(1_767_225_600.0);
        assertThat(meta.getColumn("fit_end").get(0)).isEqualTo(1_767_225_601.0);
        assertThat(meta.getColumn("estimator_uid").get(0)).isEqualTo(p.uid());
        assertThat(meta.getColumn("VectorAssembler.inputCols").get(0)).isEqualTo("[\"a\",\"b\"]");
        assertThat(meta.getColumn("VectorAssembler.handleInvalid").get(0)).isEqualTo("error");
    }

    @Test
    void anEndWithoutItsStart_isStillARun_itsStartUnknown() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        Pipeline p = pipeline();
        PipelineModel m = fitted(p);
        cox.onOtherEvent(end(p, m));
        cox.runOf(m);
        DataFrame meta = metadata(tmp);
        assertThat((Double) meta.getColumn("fit_start").get(0)).isNaN();
        assertThat((Double) meta.getColumn("fit_seconds").get(0)).isNaN();
        assertThat(meta.getColumn("fit_end").get(0)).isEqualTo(1_767_225_600.0);
    }

    @Test
    void fitsThatNeverEnd_areForgottenOldestFirst_pastTheLimit() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        Pipeline first = pipeline();
        cox.onOtherEvent(start(first));
        for (int i = 0; i < CoxMLListener.MAX_OPEN_FITS; i++) {
            cox.onOtherEvent(start(pipeline()));       // each throws in Spark: no FitEnd
        }
        Pipeline last = pipeline();
        cox.onOtherEvent(start(last));
        PipelineModel firstModel = fitted(first);
        PipelineModel lastModel = fitted(last);
        cox.onOtherEvent(end(first, firstModel));
        cox.onOtherEvent(end(last, lastModel));
        DataFrame meta = metadata(tmp);
        assertThat(meta.height()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            boolean isFirst = cox.runOf(firstModel).expId().equals(meta.getColumn("exp_id").get(i));
            assertThat(Double.isNaN((Double) meta.getColumn("fit_start").get(i))).isEqualTo(isFirst);
        }
        assertThat(cox.failures()).isEmpty();
    }

    @Test
    void aStageWhoseStartWasMissed_hasNaNFitSeconds() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        StringIndexer indexer = new StringIndexer().setInputCol("s").setOutputCol("i");
        StringIndexerModel indexed = new StringIndexerModel(indexer.uid(), new String[] {"a", "b"});
        Pipeline p = pipelineOf(indexer);
        PipelineModel m = modelOf(p, indexed);
        cox.onOtherEvent(start(p));
        cox.onOtherEvent(end(indexer, indexed));        // its FitStart never came
        cox.onOtherEvent(end(p, m));
        cox.runOf(m);
        DataFrame meta = metadata(tmp);
        assertThat((Double) meta.getColumn("StringIndexer.fit_seconds").get(0)).isNaN();
        assertThat((Double) meta.getColumn("fit_seconds").get(0)).isNotNaN();
    }

    @Test
    void aNestedPipelinesStages_keepTheirFitSeconds_inTheOuterRun() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        VectorAssembler va = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("v");
        StringIndexer indexer = new StringIndexer().setInputCol("s").setOutputCol("i");
        StringIndexerModel indexed = new StringIndexerModel(indexer.uid(), new String[] {"a", "b"});
        Pipeline inner = pipelineOf(indexer);
        PipelineModel innerModel = modelOf(inner, indexed);
        Pipeline outer = pipelineOf(va, inner);
        PipelineModel outerModel = modelOf(outer, va, innerModel);
        cox.onOtherEvent(start(outer));
        cox.onOtherEvent(start(inner));
        cox.onOtherEvent(start(indexer));
        cox.onOtherEvent(end(indexer, indexed));
        cox.onOtherEvent(end(inner, innerModel));
        cox.onOtherEvent(end(outer, outerModel));
        assertThat(cox.runs()).containsExactly(cox.runOf(outerModel));
        assertThat(cox.runOf(indexed)).isEqualTo(cox.runOf(outerModel));
        DataFrame meta = metadata(tmp);
        assertThat(meta.getColumn("stages").get(0)).isEqualTo("VectorAssembler,StringIndexer");
        assertThat((Double) meta.getColumn("StringIndexer.fit_seconds").get(0)).isNotNaN().isNotNegative()
                .isLessThanOrEqualTo((Double) meta.getColumn("fit_seconds").get(0));
        assertThat(meta.getColumn("StringIndexer.inputCol").get(0)).isEqualTo("s");
    }

    @Test
    void anEventThatCannotBeHandled_isAFailureOfItsModel_runOfSaysWhyAtOnce() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        Pipeline p = pipeline();
        PipelineModel m = fitted(p);
        cox.onOtherEvent(end(null, m));       // no estimator: cannot be handled
        assertThat(cox.failures()).singleElement().asString().startsWith("cannot handle FitEnd: java.lang.NullPointerException");
        // at once, naming the cause, not "no run ... after 10000 ms"
        assertThatThrownBy(() -> cox.runOf(m, Duration.ofSeconds(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("model " + p.uid() + " has no run: cannot handle FitEnd: java.lang.NullPointerException");
    }

    @Test
    void runsOf_isACopy() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        Pipeline p = pipeline();
        PipelineModel m = fitted(p);
        cox.onOtherEvent(start(p));
        cox.onOtherEvent(end(p, m));
        List<FitRun> runs = cox.runsOf(m);
        assertThatThrownBy(() -> runs.add(runs.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThat(cox.runsOf(m)).hasSize(1);
    }

    @Test
    void otherEvents_areIgnored() {
        CoxMLListener cox = new CoxMLListener(tmp, new TickingClock(), false);
        cox.onOtherEvent(new SparkListenerEvent() {
            @Override
            public boolean logEvent() {
                return false;
            }
        });
        assertThat(cox.runs()).isEmpty();
        assertThat(cox.failures()).isEmpty();
        assertThat(cox.lastRun()).isNull();
    }
}
