package cox.torch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Files torch 1.13 wrote (core/src/test/resources/python/make_object_fixtures.py). */
class TorchFixturesTest {

    private static StateDict load(String name) throws IOException {
        try (InputStream in = TorchFixturesTest.class.getResourceAsStream("/objects/" + name)) {
            return TorchSerialization.load(in);
        }
    }

    @Test
    void dtypes_everyDtypeExact() throws IOException {
        StateDict sd = load("torch_dtypes.pt");
        assertThat(sd.keySet()).containsExactly("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool");
        Tensor f32 = sd.get("f32");
        assertThat(f32.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f32.shape()).containsExactly(2, 3);
        assertThat(f32.toFloatArray()).containsExactly(1.5f, -2.25f, 0f, -0f, Float.POSITIVE_INFINITY, Float.NaN);
        assertThat(Float.floatToRawIntBits(f32.toFloatArray()[3])).isEqualTo(0x80000000);
        assertThat(sd.get("f64").toDoubleArray()).containsExactly(1e-300, -1.0 / 3);
        assertThat(sd.get("f16").dtype()).isEqualTo(DType.FLOAT16);
        assertThat(sd.get("f16").toFloatArray()).containsExactly(0.5f, -65504f, 0x1p-24f);
        assertThat(sd.get("bf16").dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(sd.get("bf16").toFloatArray()).containsExactly(1f, -3f, 0x1p-10f);
        assertThat(sd.get("i64").toLongArray()).containsExactly(1L << 62, Long.MIN_VALUE, 0);
        assertThat(sd.get("i32").dtype()).isEqualTo(DType.INT32);
        assertThat(sd.get("i32").toLongArray()).containsExactly(Integer.MAX_VALUE, Integer.MIN_VALUE);
        assertThat(sd.get("i16").toLongArray()).containsExactly(-32768, 32767);
        assertThat(sd.get("i8").dtype()).isEqualTo(DType.INT8);
        assertThat(sd.get("i8").toLongArray()).containsExactly(-128, 127);
        assertThat(sd.get("u8").dtype()).isEqualTo(DType.UINT8);
        assertThat(sd.get("u8").toLongArray()).containsExactly(0, 255);
        assertThat(sd.get("bool").dtype()).isEqualTo(DType.BOOL);
        assertThat(sd.get("bool").toBooleanArray()).containsExactly(true, false, true);
    }

    @Test
    void views_sharedStorageOffsetsStridesAndZeroD() throws IOException {
        StateDict sd = load("torch_views.pt");
        assertThat(sd.get("full").toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(sd.get("slice").toFloatArray()).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(sd.get("column").shape()).containsExactly(3);
        assertThat(sd.get("column").toFloatArray()).containsExactly(1, 5, 9);
        assertThat(sd.get("transposed").shape()).containsExactly(4, 3);
        assertThat(sd.get("transposed").toFloatArray()).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertThat(sd.get("scalar").shape()).isEmpty();
        assertThat(sd.get("scalar").toDoubleArray()).containsExactly(3.5);
        assertThat(sd.get("empty").shape()).containsExactly(0, 3);
        assertThat(sd.get("empty").numel()).isZero();
        assertThat(sd.get("element").shape()).isEmpty();
        assertThat(sd.get("element").toFloatArray()).containsExactly(11);
    }

    @Test
    void moduleStateDict_withMetadata_loads() throws IOException {
        StateDict sd = load("torch_module.pt");
        assertThat(List.copyOf(sd.keySet())).containsExactly("0.weight", "0.bias", "1.weight", "1.bias",
                "1.running_mean", "1.running_var", "1.num_batches_tracked");
        assertThat(sd.get("0.weight").toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(sd.get("0.bias").toFloatArray()).containsExactly(0.5f, -0.5f);
        assertThat(sd.get("1.running_var").toFloatArray()).containsExactly(1, 1);
        assertThat(sd.get("1.num_batches_tracked").dtype()).isEqualTo(DType.INT64);
        assertThat(sd.get("1.num_batches_tracked").shape()).isEmpty();
    }
}
