package cox.readers.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, finding 5: a regex that backtracks exponentially ({@code (.*.){12}!} never ends on a
 * 36-character exp_id in java.util.regex) is stopped by the step budget with a message naming the
 * regex, the column and the budget. The timeouts are hang guards only.
 */
class RunFilterBudgetTest {
    private static final String EXP_ID = "5e8e89ce-15ab-453f-b7d4-b24b63ec425c";
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"(.*.){8}!", "(.*.){12}!", "(.*.){40}!"})
    void test_backtrackingRegex_stopsAtTheBudget(String regex) {
        RunFilter f = RunFilter.parse("exp_id ~ '" + regex + "'");
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> f.test(Map.of("exp_id", EXP_ID)))
                .isInstanceOf(FilterBudgetException.class)
                .hasMessage("the filter's regex '" + regex + "' was stopped on column exp_id (a value of 36 characters)"
                        + " after reading 1,000,000 characters, the budget of one match: it backtracks too much (nested "
                        + "repetitions such as (.*)* or (a|a)* do); simplify it"));
    }

    @Test
    void test_negatedBacktrackingRegex_stopsToo() {
        RunFilter f = RunFilter.parse("exp_id !~ '(.*.){12}!' or lr < 1");
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> f.test(Map.of("exp_id", EXP_ID, "lr", 0.1)))
                .isInstanceOf(FilterBudgetException.class)
                .satisfies(e -> {
                    FilterBudgetException b = (FilterBudgetException) e;
                    assertThat(b.regex()).isEqualTo("(.*.){12}!");
                    assertThat(b.column()).isEqualTo("exp_id");
                }));
    }

    @Test
    void test_linearRegexOnALongCell_isNotStopped() {
        String cell = "x".repeat(400_000) + "needle";
        assertThat(RunFilter.parse("note ~ needle$").test(Map.of("note", cell))).isTrue();
        assertThat(RunFilter.parse("note ~ 'ne+dle'").test(Map.of("note", cell))).isTrue();
        assertThat(RunFilter.parse("note ~ absent").test(Map.of("note", cell))).isFalse();
    }

    @Test
    void test_deeplyRecursiveRegex_isAFilterErrorNotAStackOverflow() {
        // java.util.regex recurses once per repetition of (a|b): 300,000 levels overflow any usual stack
        String cell = "ab".repeat(150_000);
        RunFilter f = RunFilter.parse("note ~ '^(a|b)*c'");
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> f.test(Map.of("note", cell)))
                .isInstanceOf(FilterBudgetException.class)
                .hasMessageStartingWith("the filter's regex '^(a|b)*c' was stopped on column note (a value of 300,000 characters)"));
    }

    @Test
    void df_whereWithBacktrackingRegex_endsWithTheBudgetError(@TempDir Path dir) {
        for (int i = 0; i < 3; i++) {
            try (Store s = Store.open(dir)) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1 * i));
            }
        }
        try (CollectionReader r = CollectionReader.open(dir)) {
            DfOptions options = DfOptions.defaults().where(RunFilter.parse("exp_id ~ '(.*.){12}!'"));
            assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(() -> r.df("metadata", options))
                    .isInstanceOf(FilterBudgetException.class)
                    .hasMessageContaining("the filter's regex '(.*.){12}!' was stopped on column exp_id")
                    .hasMessageContaining("1,000,000 characters, the budget of one match"));
            assertThat(r.df("metadata", DfOptions.defaults().where(RunFilter.parse("exp_id ~ '^[0-9a-f-]+$'"))).height())
                    .isEqualTo(3);
        }
    }
}
