package cox.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.testing.PythonCanonical;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PickleWriterTest {

    record Run(String name, int epochs, double lr) {
    }

    /** A Java bean: public class, public no-arg constructor, getters. */
    public static final class Bean {
        public String getOptimizer() {
            return "sgd";
        }

        public boolean isNesterov() {
            return true;
        }

        public long getSteps() {
            return 3;
        }
    }

    private static Object roundTrip(Object v) {
        return SafeUnpickler.loads(PickleWriter.dumps(v));
    }

    static Stream<Arguments> sameAfterRoundTrip() {
        return Stream.of(
                Arguments.of("None", null),
                Arguments.of("True", true),
                Arguments.of("False", false),
                Arguments.of("Long", 123456789012L),
                Arguments.of("Long min", Long.MIN_VALUE),
                Arguments.of("small", 255L),
                Arguments.of("BININT2", 65535L),
                Arguments.of("negative", -1L),
                Arguments.of("BigInteger", new BigInteger("-123456789012345678901234567890")),
                Arguments.of("BigInteger 2^63", BigInteger.ONE.shiftLeft(63)),
                Arguments.of("Double", 0.1),
                Arguments.of("String", "héllo 中 😀"),
                Arguments.of("empty String", ""),
                Arguments.of("long String", "x".repeat(70_000)),
                Arguments.of("PythonGlobal", PythonGlobal.FLOAT),
                Arguments.of("List", new ArrayList<>(List.of(1L, "two", 3.0))),
                Arguments.of("large List", new ArrayList<>(java.util.Collections.nCopies(2500, 7L))),
                Arguments.of("Set", new LinkedHashSet<>(List.of("a", 2L))),
                Arguments.of("Map", new LinkedHashMap<>(Map.of("k", List.of(true)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sameAfterRoundTrip(String name, Object v) {
        assertThat(roundTrip(v)).isEqualTo(v);
    }

    @Test
    void roundTrip_javaTypesMapToPythonTypes() {
        assertThat(roundTrip(7)).isEqualTo(7L);
        assertThat(roundTrip((short) -7)).isEqualTo(-7L);
        assertThat(roundTrip((byte) 7)).isEqualTo(7L);
        assertThat(roundTrip(BigInteger.TEN)).isEqualTo(10L);
        assertThat(roundTrip(1.5f)).isEqualTo(1.5);
        assertThat(roundTrip('c')).isEqualTo("c");
        assertThat(roundTrip(java.time.DayOfWeek.MONDAY)).isEqualTo("MONDAY");
        assertThat(roundTrip(new char[] {'h', 'i'})).isEqualTo("hi");
        assertThat((byte[]) roundTrip(new byte[] {0, -1, 2})).containsExactly(0, -1, 2);
        assertThat((byte[]) roundTrip(new byte[300])).hasSize(300);
        assertThat((Object[]) roundTrip(new Object[] {1L, "a", null, 2.0})).containsExactly(1L, "a", null, 2.0);
        assertThat((Object[]) roundTrip(new Object[0])).isEmpty();
        assertThat(roundTrip(new int[] {1, 2})).isEqualTo(List.of(1L, 2L));
        assertThat(roundTrip(new double[] {0.5})).isEqualTo(List.of(0.5));
        assertThat(roundTrip(new boolean[] {true})).isEqualTo(List.of(true));
        assertThat(roundTrip(new float[] {0.5f})).isEqualTo(List.of(0.5));
        assertThat(roundTrip(new Run("net", 3, 0.1))).isEqualTo(Map.of("name", "net", "epochs", 3L, "lr", 0.1));
        assertThat(new ArrayList<Object>(((Map<?, ?>) roundTrip(new Run("net", 3, 0.1))).keySet()))
                .containsExactly("name", "epochs", "lr");
        assertThat(roundTrip(new Bean())).isEqualTo(Map.of("optimizer", "sgd", "nesterov", true, "steps", 3L));
        assertThat(roundTrip(Set.of())).isEqualTo(Set.of());
    }

    @Test
    void roundTrip_floatsAreBitExact() {
        for (double d : new double[] {-0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE,
            Double.longBitsToDouble(0x7ff0000000000123L)}) {
            assertThat(Double.doubleToRawLongBits((Double) roundTrip(d))).isEqualTo(Double.doubleToRawLongBits(d));
        }
    }

    @Test
    void mapOrder_isKept() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < 1500; i++) {
            m.put("k" + (1500 - i), (long) i);
        }
        Map<?, ?> back = (Map<?, ?>) roundTrip(m);
        assertThat(new ArrayList<>(back.keySet())).isEqualTo(new ArrayList<>(m.keySet()));
    }

    @Test
    void unsupportedValues_areNamed() {
        assertThatThrownBy(() -> PickleWriter.dumps(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot pickle a java.time.Duration: not plain data");
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatThrownBy(() -> PickleWriter.dumps(cyclic))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value nests deeper than 1000 levels (is it cyclic?)");
        assertThatThrownBy(() -> PickleWriter.dumpsProtocol0(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot write a java.time.Duration as a protocol-0 pickle");
    }

    // ---------------------------------------------------------------- protocol 0

    /** The Java twins of make_object_fixtures.py's protocol0_values(). */
    static Stream<Arguments> protocol0() {
        Map<Object, Object> schema = new LinkedHashMap<>();
        Map<Object, Object> columns = new LinkedHashMap<>();
        columns.put("lr", PythonGlobal.FLOAT);
        columns.put("epochs", PythonGlobal.INT);
        columns.put("optimizer", PythonGlobal.STR);
        columns.put("nesterov", PythonGlobal.BOOL);
        schema.put("schema", columns);
        schema.put("name", "metadata");
        Map<Object, Object> info = new LinkedHashMap<>();
        Map<Object, Object> one = new LinkedHashMap<>();
        one.put("names", Arrays.asList((Object) null));
        one.put("type", "Index");
        info.put(1L, one);
        info.put("index", new LinkedHashMap<>());
        info.put("values_block_0", new LinkedHashMap<>());
        return Stream.of(
                Arguments.of("list_str", List.of("values_block_0")),
                Arguments.of("index_cols", java.util.Collections.singletonList(new Object[] {0L, "index"})),
                Arguments.of("tuple", new Object[] {"index"}),
                Arguments.of("nested_tuple", new Object[] {"a", new Object[] {"b"}}),
                Arguments.of("empty_tuple", new Object[0]),
                Arguments.of("empty_list", List.of()),
                Arguments.of("empty_dict", Map.of()),
                Arguments.of("none", null),
                Arguments.of("int", 1),
                Arguments.of("neg_int", -5L),
                Arguments.of("big_int", 1L << 40),
                Arguments.of("true", true),
                Arguments.of("false", false),
                Arguments.of("floats", List.of(1.5, 0.1, 1e16, 1e15, 1e-05, 0.0001, -0.0, 123456.789,
                        1.2345678901234568e+17, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY)),
                Arguments.of("schema", schema),
                Arguments.of("unicode", "a\\b\ncé中😀\r\0\u001a"),
                Arguments.of("info", info),
                Arguments.of("non_index_axes", java.util.Collections.singletonList(new Object[] {1L, List.of("lr", "epochs")})),
                Arguments.of("bytes", List.of("ab".getBytes(StandardCharsets.US_ASCII),
                        "cd".getBytes(StandardCharsets.US_ASCII), new byte[0])),
                Arguments.of("set", Set.of(3L)),
                Arguments.of("repeat_global", List.of(PythonGlobal.FLOAT, new PythonGlobal("builtins", "float"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void protocol0(String name, Object value) throws IOException {
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/objects/protocol0/" + name + ".pkl")) {
            expected = in.readAllBytes();
        }
        byte[] actual = PickleWriter.dumpsProtocol0(value);
        assertThat(new String(actual, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        // and it reads back
        assertThat(PythonCanonical.of(SafeUnpickler.loads(actual)))
                .isEqualTo(PythonCanonical.of(SafeUnpickler.loads(expected)));
    }

    @Test
    void protocol0_pytablesSpellings() {
        assertThat(new String(PickleWriter.dumpsProtocol0(List.of("values_block_0")), StandardCharsets.US_ASCII))
                .isEqualTo("(lp0\nVvalues_block_0\np1\na.");
        assertThat(new String(PickleWriter.dumpsProtocol0(PythonGlobal.FLOAT), StandardCharsets.US_ASCII))
                .isEqualTo("c__builtin__\nfloat\np0\n.");
        assertThat(new String(PickleWriter.dumpsProtocol0(PythonGlobal.INT), StandardCharsets.US_ASCII))
                .isEqualTo("c__builtin__\nlong\np0\n.");
        assertThat(new String(PickleWriter.dumpsProtocol0(PythonGlobal.STR), StandardCharsets.US_ASCII))
                .isEqualTo("c__builtin__\nunicode\np0\n.");
    }
}
