package cox.readers.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A NaN is incomparable with anything; the one exception is the literal {@code nan}
 * ({@code loss == nan}). So two NaN cells are not equal: found by DfDifferentialTest, where
 * {@code cox df DIR results --last --where 'val_acc == val_acc.mean'} kept a run whose val_acc
 * was NaN in every row (its last val_acc and its mean both NaN), as pandas does not.
 */
class RunFilterNanColumnsTest {
    private static final Map<String, Object> NANS = Map.of("a", Double.NaN, "b", Double.NaN, "x", 0.5);

    private static boolean eval(String expression) {
        return RunFilter.parse(expression).bind(NANS.keySet(), NANS.keySet()).test(NANS);
    }

    @Test
    void twoNanCells_areNotEqual_whicheverWayTheColumnIsWritten() {
        assertThat(eval("a == b")).as("bare word bound to a column").isFalse();
        assertThat(eval("a == `b`")).as("backquoted column").isFalse();
        assertThat(eval("a != b")).isTrue();
        assertThat(eval("not a != b")).isFalse();
        assertThat(eval("a <= b")).isFalse();
        assertThat(eval("a == x")).isFalse();
        assertThat(eval("a != x")).isTrue();
    }

    @Test
    void theLiteralNan_stillFindsNan_onEitherSide() {
        assertThat(eval("a == nan")).isTrue();
        assertThat(eval("a != nan")).isFalse();
        assertThat(eval("nan == a")).isTrue();
        assertThat(eval("x == nan")).isFalse();
        assertThat(eval("a in (nan, 1)")).isTrue();
        assertThat(RunFilter.parse("a == `b`").test(Map.of("a", Double.NaN, "b", Float.NaN))).isFalse();
        assertThat(RunFilter.parse("a == `b`").bind(Set.of("a", "b"), Set.of("a", "b")).columns()).containsExactly("a", "b");
    }
}
