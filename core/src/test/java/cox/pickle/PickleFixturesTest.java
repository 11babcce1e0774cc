package cox.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain-data pickles Python 3.11 wrote (core/src/test/resources/python/make_object_fixtures.py);
 * the numpy ones are read in {@code cox.torch.NumpyPicklesTest}.
 */
class PickleFixturesTest {

    private static Object load(String name) throws IOException {
        try (InputStream in = PickleFixturesTest.class.getResourceAsStream("/objects/" + name)) {
            return SafeUnpickler.load(in);
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void plainValue_everyProtocol(int protocol) throws IOException {
        Map<?, ?> v = (Map<?, ?>) load("plain_p" + protocol + ".pkl");
        assertThat(new ArrayList<Object>(v.keySet())).containsExactly("str", "empty", "bytes", "empty_bytes",
                "int", "neg", "int32_edge", "big", "neg_big", "float", "neg_zero", "nan", "inf", "true",
                "false", "none", "list", "tuple", "empty_tuple", "set", "frozenset", "nested", "ordered",
                "float_class");
        assertThat(v.get("str")).isEqualTo("héllo \u4e2d \uD83D\uDE00");
        assertThat(v.get("empty")).isEqualTo("");
        assertThat((byte[]) v.get("bytes")).containsExactly(0, 1, 0xff, 'a', 'b');
        assertThat((byte[]) v.get("empty_bytes")).isEmpty();
        assertThat(v.get("int")).isEqualTo(42L);
        assertThat(v.get("neg")).isEqualTo(-7L);
        assertThat(v.get("int32_edge")).isEqualTo(1L << 31);
        assertThat(v.get("big")).isEqualTo(BigInteger.ONE.shiftLeft(100).add(BigInteger.ONE));
        assertThat(v.get("neg_big")).isEqualTo(BigInteger.ONE.shiftLeft(70).negate());
        assertThat(v.get("float")).isEqualTo(1.5);
        assertThat(Double.doubleToRawLongBits((Double) v.get("neg_zero"))).isEqualTo(Long.MIN_VALUE);
        assertThat((Double) v.get("nan")).isNaN();
        assertThat(v.get("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(v.get("true")).isEqualTo(true);
        assertThat(v.get("false")).isEqualTo(false);
        assertThat(v.containsKey("none")).isTrue();
        assertThat(v.get("none")).isNull();
        assertThat(v.get("list")).isEqualTo(List.of(1L, "two", List.of(3.0)));
        assertThat((Object[]) v.get("tuple")).containsExactly(1L, "two");
        assertThat((Object[]) v.get("empty_tuple")).isEmpty();
        assertThat(v.get("set")).isEqualTo(Set.of(7L));
        assertThat(v.get("frozenset")).isEqualTo(Set.of("f"));
        Map<?, ?> nested = (Map<?, ?>) v.get("nested");
        List<?> k = (List<?>) nested.get("k");
        assertThat(k.subList(0, 2)).isEqualTo(Arrays.asList(true, null));
        assertThat((Object[]) ((Map<?, ?>) k.get(2)).get("deep")).containsExactly(1L);
        assertThat(new ArrayList<>(((Map<?, ?>) v.get("ordered")).entrySet()).toString()).isEqualTo("[b=1, a=2]");
        assertThat(v.get("float_class")).isEqualTo(PythonGlobal.FLOAT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list_str", "schema", "info", "bytes", "set", "unicode"})
    void protocol0Fixtures_load(String name) throws IOException {
        Object v = load("protocol0/" + name + ".pkl");
        assertThat(v).isNotNull();
        if (name.equals("unicode")) {
            assertThat(v).isEqualTo("a\\b\ncé中😀\r\0\u001a");
        }
        if (name.equals("bytes")) {
            List<?> l = (List<?>) v;
            assertThat(new String((byte[]) l.get(1), StandardCharsets.US_ASCII)).isEqualTo("cd");
            assertThat((byte[]) l.get(2)).isEmpty();
        }
    }
}
