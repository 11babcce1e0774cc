package cox.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void ofLongs_shapeIsExactlyWhatIsPassed() {
        Tensor scalar = Tensor.ofLongs(new long[] {7});
        assertThat(scalar.shape()).isEmpty();
        assertThat(scalar.dim()).isZero();
        assertThat(scalar.numel()).isEqualTo(1);
        assertThat(scalar.toLongArray()).containsExactly(7);
        assertThat(Tensor.ofLongs(new long[] {7}, 1).shape()).containsExactly(1);
    }

    @Test
    void ofFloats_wrongLength_namesShapeAndCount() {
        assertThatThrownBy(() -> Tensor.ofFloats(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 3] needs 6 elements, got 5");
    }

    @Test
    void ofDoubles_negativeDimension_isRefused() {
        assertThatThrownBy(() -> Tensor.ofDoubles(new double[0], 2, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, -1] has a negative dimension");
    }

    @Test
    void of_rawBytesWrongLength_namesBytes() {
        assertThatThrownBy(() -> Tensor.of(DType.FLOAT16, new byte[3], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2] of float16 needs 4 bytes, got 3");
    }

    @Test
    void factories_everyDtype_keepValues() {
        assertThat(Tensor.ofFloats(new float[] {1.5f, -0f}, 2).toFloatArray()).containsExactly(1.5f, -0f);
        assertThat(Tensor.ofDoubles(new double[] {Double.NaN, 1e-300}, 2).toDoubleArray())
                .containsExactly(Double.NaN, 1e-300);
        assertThat(Tensor.ofLongs(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2).toLongArray())
                .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(Tensor.ofInts(new int[] {Integer.MIN_VALUE, 3}, 2).toLongArray())
                .containsExactly(Integer.MIN_VALUE, 3);
        assertThat(Tensor.ofShorts(new short[] {-32768, 32767}, 2).toDoubleArray())
                .containsExactly(-32768, 32767);
        assertThat(Tensor.ofBytes(new byte[] {-128, 127}, 2).toLongArray()).containsExactly(-128, 127);
        assertThat(Tensor.ofUnsignedBytes(new byte[] {(byte) 255, 0}, 2).toLongArray())
                .containsExactly(255, 0);
        assertThat(Tensor.ofBooleans(new boolean[] {true, false}, 2).toBooleanArray())
                .containsExactly(true, false);
        assertThat(Tensor.ofBooleans(new boolean[] {true, false}, 2).toDoubleArray())
                .containsExactly(1.0, 0.0);
        assertThat(Tensor.ofBooleans(new boolean[] {true}).dtype()).isEqualTo(DType.BOOL);
    }

    @Test
    void halfAndBfloat16_convertExactly() {
        // float16: 0.5 = 0x3800, -65504 = 0xfbff, 2^-24 = 0x0001 (subnormal), inf = 0x7c00
        Tensor h = Tensor.of(DType.FLOAT16, le16(0x3800, 0xfbff, 0x0001, 0x7c00), 4);
        assertThat(h.toFloatArray()).containsExactly(0.5f, -65504f, 0x1p-24f, Float.POSITIVE_INFINITY);
        // bfloat16: 1.0 = 0x3f80, -3 = 0xc040
        Tensor b = Tensor.of(DType.BFLOAT16, le16(0x3f80, 0xc040), 2);
        assertThat(b.toDoubleArray()).containsExactly(1.0, -3.0);
        assertThat(b.toLongArray()).containsExactly(1, -3);
    }

    @Test
    void toLongArray_truncatesFloatsTowardZero() {
        assertThat(Tensor.ofDoubles(new double[] {2.9, -2.9}, 2).toLongArray()).containsExactly(2, -2);
    }

    @Test
    void dtype_toStringIsTorchName() {
        assertThat(DType.FLOAT32).hasToString("float32");
        assertThat(DType.BFLOAT16).hasToString("bfloat16");
        assertThat(DType.fromTorchName("torch.int64")).isEqualTo(DType.INT64);
        assertThat(DType.fromStorageClassName("CharStorage")).isEqualTo(DType.INT8);
        assertThatThrownBy(() -> DType.fromStorageClassName("ComplexFloatStorage"))
                .hasMessage("unknown torch storage class: ComplexFloatStorage");
    }

    @Test
    void equalsHashCodeToString() {
        Tensor a = Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertThat(a).isNotEqualTo(Tensor.ofDoubles(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(Tensor.ofDoubles(new double[] {0.0})).isNotEqualTo(Tensor.ofDoubles(new double[] {-0.0}));
        assertThat(a).hasToString("tensor(float32, shape=[2, 3], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])");
        assertThat(Tensor.ofLongs(new long[10], 10).toString()).endsWith("0, 0, ...])");
    }

    @Test
    void shapeAndArrays_areCopies() {
        float[] data = {1, 2};
        Tensor t = Tensor.ofFloats(data, 2);
        data[0] = 99;
        t.shape()[0] = 5;
        t.toFloatArray()[1] = 7;
        assertThat(t.toFloatArray()).containsExactly(1, 2);
        assertThat(t.shape()).containsExactly(2);
    }

    @Test
    void ofStrided_materialisesViews() {
        ByteBuffer storage = ByteBuffer.wrap(Tensor.ofFloats(range(12), 12).toByteArray());
        Tensor transposed = Tensor.ofStrided(DType.FLOAT32, storage, 0, new long[] {4, 3}, new long[] {1, 4});
        assertThat(transposed.toFloatArray()).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        Tensor column = Tensor.ofStrided(DType.FLOAT32, storage, 1, new long[] {3}, new long[] {4});
        assertThat(column.toFloatArray()).containsExactly(1, 5, 9);
        Tensor slice = Tensor.ofStrided(DType.FLOAT32, storage, 2, new long[] {2, 3}, new long[] {3, 1});
        assertThat(slice.toFloatArray()).containsExactly(2, 3, 4, 5, 6, 7);
        Tensor element = Tensor.ofStrided(DType.FLOAT32, storage, 11, new long[0], new long[0]);
        assertThat(element.toFloatArray()).containsExactly(11);
        assertThat(storage.position()).isZero();
    }

    @Test
    void ofStrided_pastStorageEnd_isRefused() {
        ByteBuffer storage = ByteBuffer.allocate(12 * 4);
        assertThatThrownBy(() -> Tensor.ofStrided(DType.FLOAT32, storage, 4, new long[] {3, 4},
                new long[] {4, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("view with offset 4, size [3, 4], stride [4, 1] needs storage element 15"
                        + " but the storage holds 12");
    }

    private static float[] range(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = i;
        }
        return f;
    }

    private static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }
}
