package cox.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings DJL keeps in private fields, flattened as the metadata row holds them. */
class DjlSettingsTest {
    private static Map<String, Object> settings(Tracker mainTracker) {
        Optimizer sgd = Optimizer.sgd()
                .setLearningRateTracker(Tracker.warmUp().setMainTracker(mainTracker).optWarmUpSteps(10).build())
                .build();
        Map<String, Object> out = new LinkedHashMap<>();
        DjlSettings.flatten("optimizer", sgd, out);
        return out;
    }

    @Test
    void warmUpTracker_givesItsMainTrackersSettingsOneLevelDown() {
        assertThat(settings(Tracker.fixed(0.1f)))
                .containsEntry("optimizer", "Sgd")
                .containsEntry("optimizer.learningRateTracker", "WarmUpTracker")
                .containsEntry("optimizer.learningRateTracker.warmUpSteps", 10L)
                .containsEntry("optimizer.learningRateTracker.mainTracker", "FixedTracker")
                .containsEntry("optimizer.learningRateTracker.mainTracker.value", 0.1);
    }

    @Test
    void lambdaTracker_isLoggedAsLambda_soThatTheRunsOfASweepAgree() {
        // two lambdas: two classes, named differently (and in each JVM anew)
        Map<String, Object> one = settings(step -> 0.1f);
        Map<String, Object> other = settings(step -> 0.1f);
        assertThat(one).containsEntry("optimizer.learningRateTracker.mainTracker", "lambda")
                .doesNotContainKey("optimizer.learningRateTracker.mainTracker.value");
        assertThat(other).isEqualTo(one);
        Tracker lambda = step -> 0.1f;
        assertThat(DjlSettings.className(lambda.getClass())).isEqualTo("lambda");
    }
}
