package cox.readers.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the filter grammar with seeded random expressions: parsing fails only with a
 * {@link FilterSyntaxException}; evaluating never fails; every expression the grammar generates
 * parses; {@code not (f)} is the negation of {@code f}. Each test names its seed, so a failure
 * is reproduced by running it again.
 */
class RunFilterPropertiesTest {
    private static final long SEED = 0xC0C5_F117_E2L;
    private static final List<String> PIECES = List.of("lr", "loss", "exp_id", "`a b`", "`x``y`", "optimizer", "and", "or",
            "not", "in", "is", "missing", "nan", "inf", "-inf", "true", "false", "(", ")", "[", "]", ",", "==", "=", "!=",
            "<", "<=", ">", ">=", "~", "!~", "!", "'", "\"", "`", "'adam'", "\"s g d\"", "'a\\'b'", "0.1", "-3", "1e-3",
            "1e", "5e8e89ce-15ab", ".5", "-", "+", "^a(", "a|b", "\\", "\\d+", "$", "é", "\t", " ", "  ", "#", "{", "}");
    private static final List<String> COLUMNS = List.of("lr", "loss", "exp_id", "optimizer", "`a b`", "`x``y`", "momentum");
    private static final List<String> VALUES = List.of("0.1", "7", "-1e-3", "nan", "inf", "adam", "'a b'", "true", "`lr`");
    private static final List<String> OPERATORS = List.of("==", "!=", "<", "<=", ">", ">=", "=");
    private static final List<String> OTHER = List.of(" in (adam, 0.1)", " not in (1)", " in [0, 1]", " is missing",
            " is not missing", " ~ ^a", " !~ '[0-9]+'");

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

    @Test
    void parse_tokenSoup_throwsOnlySyntaxErrors_andEvaluationNeverThrows() {
        forEach(3000, 1, r -> join(r, " ", 0, 14), RunFilterPropertiesTest::check);
    }

    @Test
    void parse_gluedTokens_throwsOnlySyntaxErrors() {
        forEach(3000, 2, r -> join(r, "", 1, 10), RunFilterPropertiesTest::check);
    }

    @Test
    void parse_anyString_throwsOnlySyntaxErrors() {
        forEach(2000, 3, RunFilterPropertiesTest::anyString, RunFilterPropertiesTest::check);
    }

    @Test
    void parse_grammarGenerated_alwaysParses() {
        forEach(2000, 4, r -> valid(r, 4), expression -> {
            RunFilter f = RunFilter.parse(expression);
            for (Map<String, Object> row : ROWS) {
                f.test(row);
            }
            assertThat(f.expression()).isEqualTo(expression);
        });
    }

    @Test
    void notOfAFilter_isItsNegation() {
        forEach(1000, 5, r -> valid(r, 4), expression -> {
            RunFilter f = RunFilter.parse(expression);
            RunFilter negated = RunFilter.parse("not (" + expression + ")");
            for (Map<String, Object> row : ROWS) {
                assertThat(negated.test(row)).as("not (%s) on %s", expression, row).isEqualTo(!f.test(row));
            }
        });
    }

    private static void forEach(int tries, long stream, Function<Random, String> generator,
            java.util.function.Consumer<String> check) {
        Random random = new Random(SEED * 31 + stream);
        for (int i = 0; i < tries; i++) {
            String expression = generator.apply(random);
            try {
                check.accept(expression);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("try " + i + " (seed " + SEED + ", stream " + stream + ") of expression \""
                        + expression + "\": " + e, e);
            }
        }
    }

    private static String join(Random r, String separator, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(pick(r, PIECES));
        }
        return sb.toString();
    }

    /** Any string: printable ASCII, control characters, non-BMP characters and lone surrogates. */
    private static String anyString(Random r) {
        int n = r.nextInt(20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0:
                    sb.append((char) (0x20 + r.nextInt(0x5f)));
                    break;
                case 1:
                    sb.append((char) r.nextInt(0x20));
                    break;
                case 2:
                    sb.appendCodePoint(0x80 + r.nextInt(0x10FFFF - 0x80 - 0x800)
                            + (r.nextBoolean() ? 0 : 0x800));
                    break;
                default:
                    sb.append((char) (0xD800 + r.nextInt(0x800)));
            }
        }
        return sb.toString();
    }

    /** An expression the grammar accepts, nested up to {@code depth} levels. */
    private static String valid(Random r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            switch (r.nextInt(3)) {
                case 0:
                    return pick(r, COLUMNS) + " " + pick(r, OPERATORS) + " " + pick(r, VALUES);
                case 1:
                    return pick(r, COLUMNS) + pick(r, OTHER);
                default:
                    return r.nextBoolean() ? "0.01 <= lr < 1" : "1 > loss >= 0";
            }
        }
        switch (r.nextInt(3)) {
            case 0:
                return valid(r, depth - 1) + pick(r, List.of(" and ", " or ", " AND ")) + valid(r, depth - 1);
            case 1:
                return "not " + valid(r, depth - 1);
            default:
                return "(" + valid(r, depth - 1) + ")";
        }
    }

    private static String pick(Random r, List<String> from) {
        return from.get(r.nextInt(from.size()));
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
