package cox.readers.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellTextTest {
    /** Expected texts are what Python 3.11 prints for repr(x) (python3 -c "print(repr(x))"). */
    @ParameterizedTest
    @CsvSource({
        "0.1, 0.1", "1e-05, 1e-05", "100.0, 100.0", "1e16, 1e+16", "1.5e16, 1.5e+16", "123456789012345.6, 123456789012345.6",
        "0.0001, 0.0001", "0.00012, 0.00012", "2e23, 2e+23", "-2.5, -2.5", "4.9e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308", "9007199254740993.0, 9007199254740992.0", "0.3, 0.3",
        "1e15, 1000000000000000.0", "12345678.9, 12345678.9", "0.0, 0.0", "-0.0, -0.0", "NaN, nan", "Infinity, inf",
        "-Infinity, -inf", "0.3333333333333333, 0.3333333333333333",
    })
    void ofDouble_writesAsPythonRepr(double x, String python) {
        assertThat(CellText.ofDouble(x)).isEqualTo(python);
        assertThat(CellText.of(x)).isEqualTo(python);
    }

    @Test
    void ofDouble_roundTrips_forManyValues() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            double x = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(x)) {
                assertThat(Double.parseDouble(CellText.ofDouble(x))).isEqualTo(x);
            }
        }
    }

    @Test
    void of_otherValues_asPythonStrWritesThem() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", 0.5);
        m.put("it's", List.of(1L));
        assertThat(CellText.of(null)).isEmpty();
        assertThat(CellText.of("adam")).isEqualTo("adam");
        assertThat(CellText.of(3L)).isEqualTo("3");
        assertThat(CellText.of(true)).isEqualTo("True");
        assertThat(CellText.of(Arrays.asList(1L, "a", 0.5, true, null))).isEqualTo("[1, 'a', 0.5, True, None]");
        assertThat(CellText.of(m)).isEqualTo("{'k': 0.5, \"it's\": [1]}");
        assertThat(CellText.of(new Object[] {1L})).isEqualTo("(1,)");
        assertThat(CellText.of(new Object[] {1L, 2L})).isEqualTo("(1, 2)");
        assertThat(CellText.of(new byte[3])).isEqualTo("b'<3 bytes>'");
    }

    @Test
    void describe_namesPythonTypesWithTheirSize() {
        assertThat(CellText.describe(null)).isEqualTo("None");
        assertThat(CellText.describe(Map.of("a", 1L, "b", 2L))).isEqualTo("dict, 2 items");
        assertThat(CellText.describe(List.of(1L))).isEqualTo("list, 1 item");
        assertThat(CellText.describe(new java.util.HashSet<>(List.of(1L, 2L, 3L)))).isEqualTo("set, 3 items");
        assertThat(CellText.describe(new Object[] {1L, "x"})).isEqualTo("tuple, 2 items");
        assertThat(CellText.describe("héllo")).isEqualTo("str, 5 chars");
        assertThat(CellText.describe("")).isEqualTo("str, 0 chars");
        assertThat(CellText.describe(new byte[40])).isEqualTo("bytes, 40");
        assertThat(CellText.describe(cox.torch.Tensor.ofFloats(new float[12], 3, 4))).isEqualTo("tensor float32 [3, 4]");
        assertThat(CellText.describe(0.5)).isEqualTo("float 0.5");
        assertThat(CellText.describe(3L)).isEqualTo("int 3");
        assertThat(CellText.describe(true)).isEqualTo("bool True");
    }
}
