package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShortRunsTest {
    private static Map<String, Object> params(Object lr, String opt, Object seed) {
        Map<String, Object> m = new HashMap<>();
        m.put("lr", lr);
        m.put("optimizer", opt);
        m.put("seed", seed);
        return m;
    }

    @Test
    void of_aDecodedObjectParameterThatRepeatsTheSeed_doesNotSplitTheGroup() {
        Map<String, Map<String, Object>> p = new LinkedHashMap<>();
        for (int seed = 0; seed < 2; seed++) {
            Map<String, Object> m = params(0.1, "adam", seed);
            m.put("config", Map.of("lr", 0.1, "seed", seed, "layers", java.util.List.of(64L, 32L)));
            p.put("r" + seed, m);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("r0", 3L);
        rows.put("r1", 5L);
        assertThat(ShortRuns.of(p, rows)).containsExactly("r0");
    }

    @Test
    void of_aRunWithFewerRowsThanAnotherSeedOfItsConfiguration_isShort() {
        Map<String, Map<String, Object>> p = new LinkedHashMap<>();
        p.put("a0", params(0.1, "adam", 0));
        p.put("a1", params(0.1, "adam", 1));
        p.put("a2", params(0.1, "adam", 2));
        p.put("b0", params(0.01, "adam", 0));
        p.put("b1", params(0.01, "adam", 1));
        p.put("c0", params(0.1, "sgd", 0));
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("a0", 100L);
        rows.put("a1", 50L);
        rows.put("a2", 100L);
        rows.put("b0", 60L); // its group has 60 at most: not short beside a's 100
        rows.put("b1", 60L);
        rows.put("c0", 10L); // alone in its group
        assertThat(ShortRuns.of(p, rows)).containsExactly("a1");
    }

    @Test
    void of_runsWithoutTheTable_areNotShort_andNumbersCompareByValue_missingIsNull() {
        Map<String, Map<String, Object>> p = new LinkedHashMap<>();
        p.put("x", params(1L, "adam", 0));
        p.put("y", params(1.0, "adam", 1));
        Map<String, Object> noSeed = params(1, "adam", null);
        noSeed.remove("seed");
        p.put("z", noSeed);
        Map<String, Object> other = params(1, "adam", 3);
        other.put("momentum", 0.9);
        p.put("m", other);
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("x", 5L);
        rows.put("y", 7L);
        rows.put("z", 7L);
        rows.put("m", 1L); // its own group: it has a parameter the others lack
        assertThat(ShortRuns.of(p, rows)).containsExactly("x");
        assertThat(ShortRuns.of(p, Map.of("x", 5L))).isEmpty();
        assertThat(ShortRuns.of(Map.of(), Map.of("p", 1L, "q", 2L))).as("runs without parameters have no group").isEmpty();
        assertThat(ShortRuns.of(Map.of("p", Map.of(), "q", Map.of()), Map.of("p", 1L, "q", 2L))).containsExactly("p");
    }

    @Test
    void of_numbersAreOneGroupWhenTheirValuesAreEqual_whateverTheirJavaType() {
        Object[][] same = {{1L, 1.0, 1, (short) 1, 1.0f, new java.math.BigDecimal("1.00")}, {0.1, 0.1f, new java.math.BigDecimal("0.1")},
            {0.0, -0.0, 0L}, {9007199254740992L, 9.007199254740992E15}, {Double.NaN, Float.NaN}, {1e10, 10_000_000_000L}};
        Object[][] apart = {{9007199254740993L, 9.007199254740992E15}, {Long.MAX_VALUE, 0x1p63}, {0.1, 0.30000000000000004 - 0.2},
            {1L, 1.0000000000000002}};
        for (Object[] values : same) {
            assertThat(shortOf(values)).as(java.util.Arrays.toString(values)).containsExactly("r0");
        }
        for (Object[] values : apart) {
            assertThat(shortOf(values)).as(java.util.Arrays.toString(values)).isEmpty();
        }
    }

    /** The short runs when run i has parameter lr = values[i] and i + 1 rows, except the last, which has the most. */
    private static java.util.Set<String> shortOf(Object[] values) {
        Map<String, Map<String, Object>> p = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", values[i]);
            p.put("r" + i, m);
            rows.put("r" + i, i == 0 ? 1L : 10L);
        }
        return ShortRuns.of(p, rows);
    }
}
