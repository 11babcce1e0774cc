package cox.readers.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.testing.Interop;
import cox.testing.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunNameFormatTest {
    private static final List<Object> VALUES = List.of(0.1, 1e-05, 0.001, 123.456, -2.5, 0.0, 1e16, 1.0 / 3, 2.5, 0.125,
            1234567.891, Double.NaN, Double.POSITIVE_INFINITY, 0L, 7L, -42L, 1234567L, "adam", "a b");
    private static final List<String> SPECS = List.of("", ".0e", ".2e", "e", "E", ".3f", ".2f", "f", ".0f", "g", ".3g", "G",
            ".2", ".1", ".5", "10.3f", "<8", ">8", "^9", "*^10", "+.1f", " .2f", "08.3f", "010", ",", "_", ",.2f", "%", ".1%",
            "x", "#x", "X", "#b", "o", "05d", "d", "s", ".2s", "#.0f", "#g", "=+8");

    @Test
    void format_fieldsAndLiteralBraces() {
        RunNameFormat f = RunNameFormat.of("lr-{lr}-{{x}}-{optimizer}-{layers}");
        assertThat(f.fields()).containsExactly("lr", "optimizer", "layers");
        assertThat(f.format(Map.of("lr", 1e-05, "optimizer", "adam", "layers", List.of(64L, 128L))))
                .isEqualTo("lr-1e-05-{x}-adam-64.128");
        assertThat(RunNameFormat.of("{b}|{b!r}|{s!r}|{s!s}|{lr:.0e}").format(Map.of("b", true, "s", "it", "lr", 0.001)))
                .isEqualTo("True|True|'it'|it|1e-03");
    }

    @Test
    void of_malformedPatterns_andFormat_missingOrMismatched_areCallerErrors() {
        assertThatThrownBy(() -> RunNameFormat.of("lr-{lr")).hasMessage(
                "format string 'lr-{lr': the '{' at character 4 is not closed (write {{ for a brace)");
        assertThatThrownBy(() -> RunNameFormat.of("lr}")).hasMessage("format string 'lr}': single '}' at character 3 (write }} for a brace)");
        assertThatThrownBy(() -> RunNameFormat.of("{}")).hasMessage(
                "format string '{}': the field at character 1 needs a parameter name, such as {lr}");
        assertThatThrownBy(() -> RunNameFormat.of("{a.b}")).hasMessage(
                "format string '{a.b}': field {a.b}: attribute and index access are not supported; name a parameter");
        assertThatThrownBy(() -> RunNameFormat.of("{lr:q}")).hasMessage("format string '{lr:q}': unknown format code 'q' in 'q'");
        assertThatThrownBy(() -> RunNameFormat.of("{lr}").format(Map.of("x", 1)))
                .hasMessage("format string '{lr}' names {lr}, which is not a parameter");
        assertThatThrownBy(() -> RunNameFormat.of("{lr:d}").format(Map.of("lr", 0.1)))
                .hasMessage("format string '{lr:d}', field {lr}: unknown format code 'd' for a float value");
    }

    /** Every value with every spec, against Python's own format(value, spec). */
    @Test
    @Interop
    void format_matchesPythonsFormat() {
        StringBuilder script = new StringBuilder("import math\nvalues = [");
        for (Object v : VALUES) {
            script.append(v instanceof String s ? "'" + s + "'" : v instanceof Double d && d.isNaN() ? "math.nan"
                    : v instanceof Double d && d.isInfinite() ? "math.inf" : v instanceof Double d ? Double.toString(d)
                    : v.toString()).append(", ");
        }
        script.append("]\nspecs = [");
        for (String s : SPECS) {
            script.append("'").append(s).append("', ");
        }
        script.append("]\nfor v in values:\n    for s in specs:\n        try:\n            print(repr(format(v, s)))\n"
                + "        except (ValueError, TypeError):\n            print('ERROR')\n");
        String[] python = Python.run(script.toString()).split("\n");
        List<String> mismatches = new ArrayList<>();
        int k = 0;
        for (Object v : VALUES) {
            for (String spec : SPECS) {
                String expected = python[k++];
                String actual;
                try {
                    actual = repr(RunNameFormat.of("{v:" + spec + "}").format(Map.of("v", v)));
                } catch (IllegalArgumentException e) {
                    actual = "ERROR";
                }
                if (!actual.equals(expected)) {
                    mismatches.add("format(" + v + ", '" + spec + "'): python " + expected + ", cox4j " + actual);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static String repr(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }
}
