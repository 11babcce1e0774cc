package cox.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.ml.FitEnd;
import org.apache.spark.ml.FitStart;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
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

    static SparkListenerEvent start(Pipeline p) {
        FitStart<PipelineModel> e = new FitStart<>();
        e.estimator_$eq(p);
        return e;
    }

    static SparkListenerEvent end(Pipeline p, PipelineModel m) {
        FitEnd<PipelineModel> e = new FitEnd<>();
        e.estimator_$eq(p);
        e.model_$eq(m);
        return e;
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
