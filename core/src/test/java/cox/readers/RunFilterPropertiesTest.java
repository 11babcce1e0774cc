package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the filter grammar: parsing fails only with a FilterSyntaxException; evaluating never fails. */
class RunFilterPropertiesTest {
    private static final List<String> PIECES = List.of("lr", "loss", "exp_id", "`a b`", "`x``y`", "optimizer", "and", "or",
            "not", "in", "is", "missing", "nan", "inf", "-inf", "true", "false", "(", ")", "[", "]", ",", "==", "=", "!=",
            "<", "<=", ">", ">=", "~", "!~", "!", "'", "\"", "`", "'adam'", "\"s g d\"", "'a\\'b'", "0.1", "-3", "1e-3",
            "1e", "5e8e89ce-15ab", ".5", "-", "+", "^a(", "a|b", "\\", "\\d+", "$", "é", "\t", " ", "  ", "#", "{", "}");

    /** Rows with every kind of cell the reader produces, and missing columns. */
    private static final List<Map<String, Object>> ROWS;

    static {
        Map<String, Object> a = new HashMap<>();
        a.put("lr", 0.1);
        a.put("loss", Double.NaN);
        a.put("exp_id", "a1");
        a.put("optimizer", "adam");
        a.put("a b", 3L);
        a.put("x`y", true);
        Map<String, Object> b = new HashMap<>();
        b.put("lr", 7L);
        b.put("loss", List.of(1L, "x"));
        b.put("optimizer", Map.of("k", 1.5));
        b.put("a b", new Object[] {1L, null});
        b.put("x`y", new byte[] {1, 2});
        ROWS = List.of(a, b, Map.of());
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(PIECES).list().ofMinSize(0).ofMaxSize(14)
                .map(l -> String.join(" ", l));
    }

    @Provide
    Arbitrary<String> glued() {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(10).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> validFilters() {
        Arbitrary<String> column = Arbitraries.of("lr", "loss", "exp_id", "optimizer", "`a b`", "`x``y`", "momentum");
        Arbitrary<String> value = Arbitraries.of("0.1", "7", "-1e-3", "nan", "inf", "adam", "'a b'", "true", "`lr`");
        Arbitrary<String> op = Arbitraries.of("==", "!=", "<", "<=", ">", ">=", "=");
        Arbitrary<String> comparison = Combinators.combine(column, op, value).as((c, o, v) -> c + " " + o + " " + v);
        Arbitrary<String> other = Combinators.combine(column, Arbitraries.of(" in (adam, 0.1)", " not in (1)", " in [0, 1]",
                " is missing", " is not missing", " ~ ^a", " !~ '[0-9]+'")).as((c, rest) -> c + rest);
        Arbitrary<String> leaf = Arbitraries.oneOf(comparison, other, Arbitraries.of("0.01 <= lr < 1", "1 > loss >= 0"));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                Combinators.combine(inner, Arbitraries.of(" and ", " or ", " AND "), inner).as((l, j, r) -> l + j + r),
                inner.map(s -> "not " + s),
                inner.map(s -> "(" + s + ")")), 0, 4);
    }

    @Property(tries = 3000)
    void parse_tokenSoup_throwsOnlySyntaxErrors_andEvaluationNeverThrows(@ForAll("tokenSoup") String expression) {
        check(expression);
    }

    @Property(tries = 3000)
    void parse_gluedTokens_throwsOnlySyntaxErrors(@ForAll("glued") String expression) {
        check(expression);
    }

    @Property(tries = 2000)
    void parse_anyString_throwsOnlySyntaxErrors(@ForAll String expression) {
        check(expression);
    }

    @Property(tries = 2000)
    void parse_grammarGenerated_alwaysParses(@ForAll("validFilters") String expression) {
        RunFilter f = RunFilter.parse(expression);
        for (Map<String, Object> row : ROWS) {
            f.test(row);
        }
        assertThat(f.expression()).isEqualTo(expression);
    }

    @Property(tries = 1000)
    void notOfAFilter_isItsNegation(@ForAll("validFilters") String expression) {
        RunFilter f = RunFilter.parse(expression);
        RunFilter negated = RunFilter.parse("not (" + expression + ")");
        for (Map<String, Object> row : ROWS) {
            assertThat(negated.test(row)).isEqualTo(!f.test(row));
        }
    }

    private static void check(String expression) {
        RunFilter f;
        try {
            f = RunFilter.parse(expression);
        } catch (FilterSyntaxException e) {
            assertThat(e.position()).isBetween(0, expression.length());
            assertThat(e.getMessage()).startsWith(e.problem() + " at character " + (e.position() + 1) + ": ");
            return;
        }
        for (Map<String, Object> row : ROWS) {
            f.test(row);
        }
    }
}
