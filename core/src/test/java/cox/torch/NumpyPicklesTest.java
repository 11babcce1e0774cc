package cox.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * numpy arrays and scalars in pickles ({@link NumpyPickles}, {@code NumpyArrays}): the fixtures
 * numpy 1.24 wrote (core/src/test/resources/python/make_object_fixtures.py), tensors written and
 * read back, and what is refused.
 */
class NumpyPicklesTest {

    private static Object load(String name) throws IOException {
        try (InputStream in = NumpyPicklesTest.class.getResourceAsStream("/objects/" + name)) {
            return NumpyPickles.loads(in.readAllBytes());
        }
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 4, 5})
    void numpyArraysAndScalars(int protocol) throws IOException {
        Map<?, ?> v = (Map<?, ?>) load("numpy_p" + protocol + ".pkl");
        assertThat(v.get("f4")).isEqualTo(Tensor.ofFloats(new float[] {1.5f, -2, 0, 3, 4, 5}, 2, 3));
        assertThat(v.get("f8_fortran")).isEqualTo(Tensor.ofDoubles(
                new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4));
        assertThat(v.get("f8_slice")).isEqualTo(Tensor.ofDoubles(new double[] {1, 5, 9}, 3));
        assertThat(v.get("i8")).isEqualTo(Tensor.ofLongs(new long[] {1, -2, 1L << 40}, 3));
        assertThat(v.get("i4_big_endian")).isEqualTo(Tensor.ofInts(new int[] {1, -2}, 2));
        assertThat(v.get("i2")).isEqualTo(Tensor.ofShorts(new short[] {-32768, 32767}, 2));
        assertThat(v.get("i1")).isEqualTo(Tensor.ofBytes(new byte[] {-128, 127}, 2));
        assertThat(v.get("u1")).isEqualTo(Tensor.ofUnsignedBytes(new byte[] {0, (byte) 255}, 2));
        assertThat(((Tensor) v.get("f2")).dtype()).isEqualTo(DType.FLOAT16);
        assertThat(((Tensor) v.get("f2")).toFloatArray()).containsExactly(0.5f, -65504f);
        assertThat(v.get("b1")).isEqualTo(Tensor.ofBooleans(new boolean[] {true, false}, 2));
        assertThat(v.get("zero_d")).isEqualTo(Tensor.ofDoubles(new double[] {2.5}));
        assertThat(v.get("s_f8")).isEqualTo(1.5);
        assertThat(v.get("s_f4")).isEqualTo(0.25);
        assertThat(v.get("s_i8")).isEqualTo(-3L);
        assertThat(v.get("s_u1")).isEqualTo(200L);
        assertThat(v.get("s_b")).isEqualTo(true);
    }

    static Stream<Arguments> tensors() {
        return Stream.of(
                Arguments.of("f32", Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)),
                Arguments.of("f64 0-d", Tensor.ofDoubles(new double[] {Double.NaN})),
                Arguments.of("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE}, 1)),
                Arguments.of("i32", Tensor.ofInts(new int[] {1, -2}, 2)),
                Arguments.of("i16", Tensor.ofShorts(new short[] {1, -2}, 2)),
                Arguments.of("i8", Tensor.ofBytes(new byte[] {-1}, 1)),
                Arguments.of("u8", Tensor.ofUnsignedBytes(new byte[] {-1}, 1)),
                Arguments.of("bool", Tensor.ofBooleans(new boolean[] {true, false}, 2)),
                Arguments.of("f16", Tensor.of(DType.FLOAT16, new byte[] {0, 0x3c}, 1)),
                Arguments.of("empty", Tensor.ofFloats(new float[0], 0, 3)),
                Arguments.of("large", Tensor.ofDoubles(new double[100], 10, 10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tensors")
    void tensor_sameAfterRoundTrip_aloneAndInsideData(String name, Tensor t) {
        assertThat(NumpyPickles.loads(NumpyPickles.dumps(t))).isEqualTo(t);
        Object back = NumpyPickles.loads(NumpyPickles.dumps(Map.of("weights", List.of(t, 1L))));
        assertThat(back).isEqualTo(Map.of("weights", List.of(t, 1L)));
    }

    @Test
    void tensor_isWrittenAsNumpyPicklesAnArray() {
        byte[] p = NumpyPickles.dumps(Tensor.ofInts(new int[] {1, -2}, 2));
        // _reconstruct(ndarray, (0,), b'b') then BUILD (1, (2,), dtype('i4', False, True) with state
        // (3, '<', None, None, None, -1, -1, 0), False, b'\x01\x00\x00\x00\xfe\xff\xff\xff')
        assertThat(HexFormat.of().formatHex(p)).isEqualTo("8004"
                + "63" + hex("numpy.core.multiarray\n_reconstruct\n") + "63" + hex("numpy\nndarray\n")
                + "4b00" + "85" + "4301" + "62" + "87" + "52"
                + "28" + "4b01" + "4b02" + "85"
                + "63" + hex("numpy\ndtype\n") + "8c02" + hex("i4") + "89" + "88" + "87" + "52"
                + "28" + "4b03" + "8c01" + hex("<") + "4e4e4e" + "4affffffff" + "4affffffff" + "4b00" + "74" + "62"
                + "89" + "4308" + "01000000feffffff" + "74" + "62" + "2e");
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void bfloat16_isRefusedWithAReason() {
        assertThatThrownBy(() -> NumpyPickles.dumps(Map.of("t", Tensor.of(DType.BFLOAT16, new byte[2], 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot pickle a bfloat16 tensor: numpy has no bfloat16 dtype"
                        + " (store it in a PYTORCH_STATE column)");
    }

    @Test
    void numpyReconstruct_ofAnotherClass_isRefused() {
        byte[] p = "cnumpy.core.multiarray\n_reconstruct\n(cbuiltins\nobject\n(K\u0000tC\u0001btR."
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> NumpyPickles.loads(p))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to call numpy.core.multiarray._reconstruct for anything but numpy.ndarray");
    }

    @Test
    void pendingValues_leftInTheResult_areRefused() {
        assertThatThrownBy(() -> NumpyPickles.loads("cnumpy\ndtype\n(Vf8\ntR.".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("numpy dtype objects are only read inside numpy arrays");
        assertThatThrownBy(() -> NumpyPickles.loads(("cnumpy.core.multiarray\n_reconstruct\n(cnumpy\nndarray\n"
                + "(I0\ntS'b'\ntR.").getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("numpy array without its BUILD state");
        assertThatThrownBy(() -> NumpyPickles.loads("(dcnumpy\ndtype\n(Vf8\ntRI1\ns.".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("corrupt pickle: SETITEM at offset 25 uses an unhashable numpy dtype as a dict key or set member");
    }

    @Test
    void torchStorages_areNotNumpyPickles() {
        assertThatThrownBy(() -> NumpyPickles.loads("ctorch\nFloatStorage\n.".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global torch.FloatStorage: not on the allow-list");
    }
}
