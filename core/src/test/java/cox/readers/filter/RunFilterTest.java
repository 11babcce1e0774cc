package cox.readers.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunFilterTest {
    /** A run as the reader gives it: typed cells, one list parameter, one NaN metric. */
    private static Map<String, Object> run() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("exp_id", "5e8e89ce-15ab-453f-b7d4-b24b63ec425c");
        r.put("lr", 0.01);
        r.put("epochs", 30L);
        r.put("optimizer", "adam");
        r.put("augment", true);
        r.put("loss", Double.NaN);
        r.put("acc", 0.91);
        r.put("model.depth", 18L);
        r.put("train-loss", 0.2);
        r.put("min(loss)", 0.1);
        r.put("note", "it's 10");
        r.put("layers", List.of(64L, 128L));
        r.put("version", "1.2.3");
        r.put("count_text", "10");
        return r;
    }

    private static boolean eval(String expression) {
        return RunFilter.parse(expression).test(run());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " -> ", quoteCharacter = '%', value = {
        // comparisons on numbers, INT with FLOAT
        "lr < 0.1 -> true", "lr<0.1 -> true", "lr <= 0.01 -> true", "lr > 0.01 -> false", "lr >= 1e-2 -> true",
        "lr == 0.01 -> true", "lr = 0.01 -> true", "lr != 0.01 -> false", "epochs == 30.0 -> true", "epochs > 29.5 -> true",
        "epochs < -1 -> false", "epochs > -inf -> true", "epochs < inf -> true",
        // strings: bare words and quotes
        "optimizer == adam -> true", "optimizer == 'adam' -> true", "optimizer == \"adam\" -> true", "optimizer != sgd -> true",
        "optimizer < b -> true", "optimizer > 'b' -> false", "optimizer > 'ab' -> true", "note == 'it\\'s 10' -> true",
        // a string compared with a number is read as a number if it is one
        "lr == '0.01' -> true", "count_text > 9 -> true", "count_text == 10 -> true", "optimizer < 3 -> false",
        "optimizer != 3 -> true",
        // booleans
        "augment == true -> true", "augment == TRUE -> true", "augment == True -> true", "augment != false -> true",
        "augment == 1 -> true",
        // and, or, not, parentheses, precedence (and binds tighter than or)
        "lr < 0.1 and optimizer == adam -> true", "lr > 0.1 or optimizer == adam -> true",
        "lr > 0.1 or optimizer == sgd and epochs == 30 -> false", "(lr > 0.1 or optimizer == adam) and epochs == 30 -> true",
        "not lr > 0.1 -> true", "not (lr < 0.1 and augment == true) -> false", "NOT not lr < 0.1 -> true",
        "lr < 0.1 AND optimizer == adam OR false == augment -> true",
        // in lists and ranges
        "optimizer in (adam, sgd) -> true", "optimizer in ('sgd') -> false", "optimizer not in (sgd, 'adamw') -> true",
        "epochs in (10, 30) -> true", "lr in [0.001, 0.1] -> true", "lr in [0.02, 0.1] -> false", "lr not in [0.02, 0.1] -> true",
        "0.001 <= lr <= 0.1 -> true", "0.001 < lr < 0.01 -> false", "0.1 > lr -> true", "0.1 >= lr > 0.001 -> true",
        // regex, find semantics
        "exp_id ~ ^5e8e -> true", "exp_id ~ 15ab -> true", "exp_id ~ ^15ab -> false", "exp_id !~ ^5e8e -> false",
        "optimizer ~ '^(adam|sgd)$' -> true", "(optimizer ~ ^ad) -> true", "optimizer ~ a(d|x)am -> true",
        "lr ~ ^0\\.01$ -> true", "layers ~ '^\\[64, 128\\]$' -> true", "augment ~ True -> true",
        // missing columns and cells
        "momentum is missing -> true", "lr is missing -> false", "lr is not missing -> true", "momentum < 1 -> false",
        "momentum == 1 -> false", "momentum != 1 -> true", "momentum ~ . -> false", "momentum in (1, 2) -> false",
        "momentum not in (1, 2) -> true",
        // nan
        "loss != nan -> false", "loss == nan -> true", "loss == NaN -> true", "acc != nan -> true", "loss < 1 -> false",
        "loss > 1 -> false", "loss != 1 -> true", "loss is missing -> false",
        // column names with dots, dashes, backquotes; bare values with dashes and dots; UUIDs
        "model.depth == 18 -> true", "train-loss < 0.5 -> true", "`min(loss)` == 0.1 -> true", "`lr` < `acc` -> true",
        "`acc` < `lr` -> false", "version == 1.2.3 -> true", "exp_id == 5e8e89ce-15ab-453f-b7d4-b24b63ec425c -> true",
        "exp_id in (5e8e89ce-15ab-453f-b7d4-b24b63ec425c) -> true",
    })
    void test_followsTheGrammarAndTypingRules(String expression, boolean expected) {
        assertThat(eval(expression)).as(expression).isEqualTo(expected);
    }

    @Test
    void bind_aBareWordNamingAColumn_isThatColumn_otherBareWordsStayText() {
        Map<String, Object> row = Map.of("epoch", 3L, "epochs", 10L, "optimizer", "adam");
        RunFilter unbound = RunFilter.parse("epoch < epochs");
        assertThat(unbound.test(row)).as("unbound, a bare word is text, and a number is not less than text").isFalse();
        RunFilter bound = unbound.bind(java.util.Set.of("epoch", "epochs", "optimizer"), java.util.Set.of("epoch", "epochs"));
        assertThat(bound.test(row)).isTrue();
        assertThat(bound.columns()).containsExactly("epoch", "epochs");
        assertThat(RunFilter.parse("optimizer == adam").bind(row.keySet(), java.util.Set.of("epoch", "epochs")).test(row)).isTrue();
        assertThat(RunFilter.parse("optimizer == 'epochs'").bind(row.keySet(), java.util.Set.of()).test(row))
                .as("a quoted word is always text").isFalse();
    }

    @Test
    void bind_aNumberColumnComparedWithTextThatIsNoNumber_isRefused() {
        java.util.Set<String> names = java.util.Set.of("lr", "optimizer");
        java.util.Set<String> numeric = java.util.Set.of("lr");
        for (String bad : List.of("lr == adam", "'adam' != lr", "lr in (0.1, adam)", "lr not in (adam)", "lr < 'x'",
                "not (lr >= fast)")) {
            assertThatThrownBy(() -> RunFilter.parse(bad).bind(names, numeric)).as(bad)
                    .isInstanceOf(FilterTypeException.class).hasMessageContaining("the number column 'lr'")
                    .hasMessageEndingWith("in: " + bad);
        }
        for (String good : List.of("lr == 0.1", "lr == '0.1'", "lr in (0.1, 1e-3, nan)", "lr ~ adam", "optimizer == adam",
                "lr == optimizer", "lr is missing", "lr != inf")) {
            assertThat(RunFilter.parse(good).bind(names, numeric).expression()).isEqualTo(good);
        }
        assertThatThrownBy(() -> RunFilter.parse("lr == adam").bind(names, numeric))
                .hasMessage("'lr == adam' compares the number column 'lr' with the text 'adam', which is not a number and names"
                        + " no column: write a number, or a column's name (in `backquotes` if it has odd characters), in: lr == adam");
    }

    @Test
    void test_backquotedNameWithBackquote_andKeywordColumns() {
        Map<String, Object> row = new HashMap<>();
        row.put("a`b", 1L);
        row.put("in", "x");
        row.put("and", 2L);
        assertThat(RunFilter.parse("`a``b` == 1").test(row)).isTrue();
        assertThat(RunFilter.parse("`in` == x and `and` > 1").test(row)).isTrue();
    }

    @Test
    void test_integersCompareExactly_beyondDoublePrecision() {
        Map<String, Object> row = Map.of("n", 9_007_199_254_740_993L);
        assertThat(RunFilter.parse("n == 9007199254740993").test(row)).isTrue();
        assertThat(RunFilter.parse("n == 9007199254740992").test(row)).isFalse();
        assertThat(RunFilter.parse("n > 9007199254740992.0").test(row)).isTrue();
    }

    @Test
    void test_integerAndFloatCells_asJavaGivesThem() {
        Map<String, Object> row = Map.of("i", 3, "f", 0.5f);
        assertThat(RunFilter.parse("i == 3 and f == 0.5 and i > 2.5").test(row)).isTrue();
    }

    @Test
    void notEquals_isAlwaysTheNegationOfEquals() {
        for (String v : new String[] {"0.01", "adam", "nan", "true", "'x'", "3"}) {
            for (String col : new String[] {"lr", "optimizer", "loss", "augment", "momentum", "layers"}) {
                assertThat(eval(col + " != " + v)).as(col + " != " + v).isEqualTo(!eval(col + " == " + v));
            }
        }
    }

    @Test
    void columns_listsWhatTheFilterReads() {
        assertThat(RunFilter.parse("0.1 < lr < 1 or (optimizer in (a) and not `x y` is missing) or exp_id ~ a").columns())
                .containsExactly("lr", "optimizer", "x y", "exp_id");
    }

    @Test
    void and_combinesFilters_andAllPassesEverything() {
        RunFilter f = RunFilter.parse("lr < 0.1").and(RunFilter.parse("optimizer == sgd"));
        assertThat(f.test(run())).isFalse();
        assertThat(f.expression()).isEqualTo("(lr < 0.1) and (optimizer == sgd)");
        assertThat(RunFilter.all().test(Map.of())).isTrue();
        assertThat(RunFilter.all().and(f)).isSameAs(f);
    }

    @Test
    void apply_keepsPassingRowsOfADataFrame_missingColumnsAreMissing() {
        DataFrame df = DataFrame.foldByRow("exp_id", "lr", "loss").of("a", 0.1, 1.0, "b", 0.01, Double.NaN, "c", 0.001, 0.5);
        assertThat(RunFilter.parse("lr < 0.05 and loss != nan").apply(df).getColumn("exp_id").toList()).containsExactly("c");
        assertThat(RunFilter.parse("momentum is missing").apply(df).height()).isEqualTo(3);
        assertThat(RunFilter.all().apply(df)).isSameAs(df);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiterString = " -> ", quoteCharacter = '%', value = {
        "lr < ) -> expected a value after '<', but found ')' at character 6: lr < ^)",
        "lr < -> expected a value after '<', but found the end of the filter at character 5: lr <^",
        "%% -> the filter is empty: expected a condition such as lr < 0.1 at character 1: ^",
        "lr 0.1 -> expected an operator (==, !=, <, <=, >, >=, ~, !~, in, is missing) after 'lr', but found the number 0.1 at character 4: lr ^0.1",
        "lr < 0.1 and -> expected a condition such as lr < 0.1, but found the end of the filter at character 13: lr < 0.1 and^",
        "(lr < 0.1 -> expected ')' to close the '(' at character 1, but found the end of the filter at character 10: (lr < 0.1^",
        "lr < 0.1) -> expected 'and', 'or' or the end, but found ')' at character 9: lr < 0.1^)",
        "lr < 0.1 < 1 -> a range needs a value on the left: write 0.01 <= lr <= 0.1, or lr in [0.01, 0.1] at character 10: lr < 0.1 ^< 1",
        "0.1 < lr > 1 -> a range uses < or <= twice (0.01 <= lr < 0.1) or > or >= twice, not < then > at character 10: 0.1 < lr ^> 1",
        "name == 'abc -> the string starting here has no closing ' at character 9: name == ^'abc",
        "`abc == 1 -> the column name starting here has no closing ` at character 1: ^`abc == 1",
        "exp_id ~ 'a(' -> invalid regular expression 'a(': Unclosed group at character 13: exp_id ~ 'a(^'",
        "lr ! 1 -> '!' must be followed by '=' or '~' (use 'not' to negate a condition) at character 4: lr ^! 1",
        "lr in 1 -> expected '(' (a list of values) or '[' (a range) after 'in', but found the number 1 at character 7: lr in ^1",
        "lr in (1 2) -> expected ',' or ')' in the list after 'in', but found the number 2 at character 10: lr in (1 ^2)",
        "lr in [1] -> a range [lo, hi] has two values separated by ',', but found ']' at character 9: lr in [1^]",
        "lr is there -> expected 'missing' after 'is', but found 'there' at character 7: lr is ^there",
        "and == 1 -> expected a column name, but found the keyword 'and' (write `and` for a column of that name) at character 1: ^and == 1",
        "lr == or -> expected a value after '==', but found the keyword 'or' (quote it: 'or') at character 7: lr == ^or",
        "lr < 0.1 # x -> unexpected character '#' at character 10: lr < 0.1 ^# x",
        "lr > -x -> expected a number after '-' at character 6: lr > ^-x",
        "0.1 < 0.2 -> expected a column name after '<' (a value is compared with a column), but found the number 0.2 at character 7: 0.1 < ^0.2",
        "exp_id ~ -> expected a regular expression after '~' at character 9: exp_id ~^",
    })
    void parse_badExpression_oneLineMessageWithCaret(String expression, String message) {
        assertThatThrownBy(() -> RunFilter.parse(expression))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void syntaxException_givesProblemAndPosition() {
        FilterSyntaxException e = (FilterSyntaxException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RunFilter.parse("lr < )"));
        assertThat(e.problem()).isEqualTo("expected a value after '<', but found ')'");
        assertThat(e.position()).isEqualTo(5);
        assertThat(e.expression()).isEqualTo("lr < )");
    }

    @Test
    void parse_deepNesting_isASyntaxErrorNotAStackOverflow() {
        String deep = "(".repeat(2000) + "lr < 1" + ")".repeat(2000);
        assertThatThrownBy(() -> RunFilter.parse(deep)).isInstanceOf(FilterSyntaxException.class)
                .hasMessageStartingWith("the filter nests more than 200 levels deep");
        String ok = "(".repeat(100) + "lr < 1" + ")".repeat(100);
        assertThat(RunFilter.parse(ok).test(run())).isTrue();
    }
}
