package cox.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, dense, row-major CPU tensor: a {@link DType}, a shape and the elements' bytes in
 * little-endian order, held in one {@code byte[]}. Mirrors a contiguous {@code torch.Tensor} as
 * {@code torch.save} stores it; views, strides and storage sharing are resolved when a tensor is
 * built ({@link #ofStrided}), so every {@code Tensor} owns exactly {@code numel * itemSize} bytes.
 *
 * <p>The shape is exactly what is passed: {@code Tensor.ofLongs(new long[]{7})} is a 0-d tensor
 * (shape {@code []}) and {@code Tensor.ofLongs(new long[]{7}, 1)} has shape {@code [1]}.
 * The conversions ({@link #toFloatArray()}, ...) work for every dtype, like torch's
 * {@code .float()}, {@code .double()}, {@code .long()}.
 *
 * <p>Instances are immutable and safe to share between threads. Elements are limited to what
 * one Java array holds (a little under 2 GiB of bytes).
 */
public final class Tensor {
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    private Tensor(DType dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    // ---------------------------------------------------------------- factories

    /**
     * A float32 tensor holding a copy of {@code data} with the given shape.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException if a dimension is negative or {@code data.length} is not
     *     the product of the shape
     */
    public static Tensor ofFloats(float[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.FLOAT32, data.length, shape);
        le(b).asFloatBuffer().put(data);
        return new Tensor(DType.FLOAT32, shape.clone(), b);
    }

    /**
     * A float64 tensor holding a copy of {@code data}; checks as {@link #ofFloats}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     */
    public static Tensor ofDoubles(double[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.FLOAT64, data.length, shape);
        le(b).asDoubleBuffer().put(data);
        return new Tensor(DType.FLOAT64, shape.clone(), b);
    }

    /**
     * An int64 tensor holding a copy of {@code data}; checks as {@link #ofFloats}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     */
    public static Tensor ofLongs(long[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.INT64, data.length, shape);
        le(b).asLongBuffer().put(data);
        return new Tensor(DType.INT64, shape.clone(), b);
    }

    /**
     * An int32 tensor holding a copy of {@code data}; checks as {@link #ofFloats}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     */
    public static Tensor ofInts(int[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.INT32, data.length, shape);
        le(b).asIntBuffer().put(data);
        return new Tensor(DType.INT32, shape.clone(), b);
    }

    /**
     * An int16 tensor holding a copy of {@code data}; checks as {@link #ofFloats}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     */
    public static Tensor ofShorts(short[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.INT16, data.length, shape);
        le(b).asShortBuffer().put(data);
        return new Tensor(DType.INT16, shape.clone(), b);
    }

    /**
     * An int8 tensor ({@code torch.int8}, Java's signed byte) holding a copy of {@code data}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException as {@link #ofFloats}
     */
    public static Tensor ofBytes(byte[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.INT8, data.length, shape);
        System.arraycopy(data, 0, b, 0, data.length);
        return new Tensor(DType.INT8, shape.clone(), b);
    }

    /**
     * A uint8 tensor ({@code torch.uint8}): each byte is read as 0..255.
     *
     * @param data the elements, row-major, each read as 0..255
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException as {@link #ofFloats}
     */
    public static Tensor ofUnsignedBytes(byte[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.UINT8, data.length, shape);
        System.arraycopy(data, 0, b, 0, data.length);
        return new Tensor(DType.UINT8, shape.clone(), b);
    }

    /**
     * A bool tensor ({@code torch.bool}) holding a copy of {@code data}.
     *
     * @param data the elements, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException as {@link #ofFloats}
     */
    public static Tensor ofBooleans(boolean[] data, long... shape) {
        Objects.requireNonNull(data, "data");
        byte[] b = allocate(DType.BOOL, data.length, shape);
        for (int i = 0; i < data.length; i++) {
            b[i] = data[i] ? (byte) 1 : 0;
        }
        return new Tensor(DType.BOOL, shape.clone(), b);
    }

    /**
     * A tensor of any dtype from its elements' little-endian bytes (copied); the way to build
     * float16 and bfloat16 tensors.
     *
     * @param dtype the element type
     * @param rawLittleEndian the elements' bytes, row-major
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code rawLittleEndian.length} is not
     *     {@code itemSize * product(shape)}
     */
    public static Tensor of(DType dtype, byte[] rawLittleEndian, long... shape) {
        Objects.requireNonNull(rawLittleEndian, "rawLittleEndian");
        return of(dtype, ByteBuffer.wrap(rawLittleEndian), shape);
    }

    /**
     * A tensor from the little-endian bytes between {@code raw}'s position and limit (copied; the
     * buffer's position is not changed).
     *
     * @param dtype the element type
     * @param raw the elements' bytes, row-major, between position and limit
     * @param shape the dimensions; none for a 0-d tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code raw.remaining()} is not
     *     {@code itemSize * product(shape)}
     */
    public static Tensor of(DType dtype, ByteBuffer raw, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(raw, "raw");
        long n = numel(shape);
        if ((long) raw.remaining() != n * dtype.itemSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + n * dtype.itemSize() + " bytes, got " + raw.remaining());
        }
        byte[] b = allocate(dtype, n, shape);
        raw.get(raw.position(), b, 0, b.length);
        return new Tensor(dtype, shape.clone(), b);
    }

    /**
     * Materialises a strided view of a storage as a contiguous tensor, like
     * {@code torch.as_strided(storage, size, stride, storageOffset).contiguous()}: element
     * {@code (i0, i1, ...)} is storage element {@code storageOffset + i0*stride[0] + i1*stride[1] + ...}.
     * The storage is the little-endian bytes between {@code storage}'s position and limit; it is
     * only read.
     *
     * @param dtype the element type
     * @param storage the storage's bytes
     * @param storageOffset the view's first element, in elements
     * @param size the view's dimensions
     * @param stride the step of each dimension, in elements
     * @return a new contiguous tensor
     * @throws IllegalArgumentException if size and stride differ in length, a size or stride is
     *     negative, or the view reaches past the storage's end
     */
    public static Tensor ofStrided(DType dtype, ByteBuffer storage, long storageOffset, long[] size,
            long[] stride) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(storage, "storage");
        if (size.length != stride.length) {
            throw new IllegalArgumentException("size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " differ in length");
        }
        long n = numel(size);
        int item = dtype.itemSize();
        byte[] out = allocate(dtype, n, size);
        if (n == 0) {
            return new Tensor(dtype, size.clone(), out);
        }
        if (storageOffset < 0) {
            throw new IllegalArgumentException("storage offset < 0: " + storageOffset);
        }
        long last = storageOffset;
        for (int d = 0; d < size.length; d++) {
            if (stride[d] < 0) {
                throw new IllegalArgumentException("stride " + Arrays.toString(stride)
                        + " has a negative entry");
            }
            last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
        }
        long storageElems = storage.remaining() / item;
        if (last >= storageElems) {
            throw new IllegalArgumentException("view with offset " + storageOffset + ", size "
                    + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                    + " needs storage element " + last + " but the storage holds " + storageElems);
        }
        int base = storage.position();
        if (isContiguous(size, stride)) {
            storage.get(base + (int) (storageOffset * item), out, 0, out.length);
            return new Tensor(dtype, size.clone(), out);
        }
        int dims = size.length;
        long innerSize = size[dims - 1];
        long innerStride = stride[dims - 1];
        long[] index = new long[dims];
        int pos = 0;
        while (pos < out.length) {
            long start = storageOffset;
            for (int d = 0; d < dims - 1; d++) {
                start += index[d] * stride[d];
            }
            if (innerStride == 1) {
                int len = (int) (innerSize * item);
                storage.get(base + (int) (start * item), out, pos, len);
                pos += len;
            } else {
                for (long i = 0; i < innerSize; i++) {
                    storage.get(base + (int) ((start + i * innerStride) * item), out, pos, item);
                    pos += item;
                }
            }
            for (int d = dims - 2; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return new Tensor(dtype, size.clone(), out);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private static long numel(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more than 2^63 elements", e);
            }
        }
        return n;
    }

    private static byte[] allocate(DType dtype, long length, long[] shape) {
        long n = numel(shape);
        if (length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + length);
        }
        if (n > MAX_BYTES / dtype.itemSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + n + " elements, more than one Java array holds");
        }
        return new byte[(int) n * dtype.itemSize()];
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The element type ({@code tensor.dtype}).
     *
     * @return the dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * A copy of the shape ({@code tuple(tensor.shape)}); empty for a 0-d tensor.
     *
     * @return the dimensions, a new array
     */
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Number of dimensions ({@code tensor.dim()}).
     *
     * @return the number of dimensions
     */
    public int dim() {
        return shape.length;
    }

    /**
     * Number of elements ({@code tensor.numel()}); 1 for a 0-d tensor.
     *
     * @return the number of elements
     */
    public long numel() {
        return data.length / dtype.itemSize();
    }

    /**
     * Number of data bytes, {@code numel() * dtype().itemSize()}.
     *
     * @return the number of data bytes
     */
    public int byteSize() {
        return data.length;
    }

    /**
     * A read-only little-endian view of the elements' bytes (no copy), positioned at 0.
     *
     * @return a read-only view of the data
     */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A copy of the elements' little-endian bytes, row-major.
     *
     * @return a new array of the data
     */
    public byte[] toByteArray() {
        return data.clone();
    }

    /**
     * Writes the elements' little-endian bytes to {@code out} in one call (no copy).
     *
     * @param out where to write; not flushed or closed
     * @throws IOException if writing fails
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(data);
    }

    /**
     * The elements as floats, row-major (converting like {@code tensor.float()}).
     *
     * @return a new array of the elements
     */
    public float[] toFloatArray() {
        int n = (int) numel();
        float[] out = new float[n];
        ByteBuffer b = le(data);
        switch (dtype) {
            case FLOAT32:
                b.asFloatBuffer().get(out);
                break;
            case FLOAT64:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
                break;
            case FLOAT16:
            case BFLOAT16:
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(dtype, b.getShort(i * 2));
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = (float) integral(b, i);
                }
        }
        return out;
    }

    /**
     * The elements as doubles, row-major (converting like {@code tensor.double()}).
     *
     * @return a new array of the elements
     */
    public double[] toDoubleArray() {
        int n = (int) numel();
        double[] out = new double[n];
        ByteBuffer b = le(data);
        switch (dtype) {
            case FLOAT64:
                b.asDoubleBuffer().get(out);
                break;
            case FLOAT32:
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(i * 4);
                }
                break;
            case FLOAT16:
            case BFLOAT16:
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(dtype, b.getShort(i * 2));
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = integral(b, i);
                }
        }
        return out;
    }

    /**
     * The elements as longs, row-major (converting like {@code tensor.long()}: floating-point
     * values are truncated toward zero; NaN becomes 0 and infinities saturate, as Java's cast).
     *
     * @return a new array of the elements
     */
    public long[] toLongArray() {
        int n = (int) numel();
        long[] out = new long[n];
        ByteBuffer b = le(data);
        switch (dtype) {
            case INT64:
                b.asLongBuffer().get(out);
                break;
            case FLOAT64:
                for (int i = 0; i < n; i++) {
                    out[i] = (long) b.getDouble(i * 8);
                }
                break;
            case FLOAT32:
                for (int i = 0; i < n; i++) {
                    out[i] = (long) b.getFloat(i * 4);
                }
                break;
            case FLOAT16:
            case BFLOAT16:
                for (int i = 0; i < n; i++) {
                    out[i] = (long) halfToFloat(dtype, b.getShort(i * 2));
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = integral(b, i);
                }
        }
        return out;
    }

    /**
     * The elements as booleans, row-major: {@code true} where the element is non-zero.
     *
     * @return a new array of the elements
     */
    public boolean[] toBooleanArray() {
        double[] d = dtype == DType.BOOL ? null : toDoubleArray();
        boolean[] out = new boolean[(int) numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d == null ? data[i] != 0 : d[i] != 0;
        }
        return out;
    }

    private long integral(ByteBuffer b, int i) {
        switch (dtype) {
            case INT64:
                return b.getLong(i * 8);
            case INT32:
                return b.getInt(i * 4);
            case INT16:
                return b.getShort(i * 2);
            case INT8:
                return data[i];
            case UINT8:
                return data[i] & 0xFF;
            case BOOL:
                return data[i] != 0 ? 1 : 0;
            default:
                throw new AssertionError(dtype);
        }
    }

    /** IEEE half or bfloat16 bits to float (exact: both are subsets of float32). */
    private static float halfToFloat(DType type, short bits) {
        if (type == DType.BFLOAT16) {
            return Float.intBitsToFloat((bits & 0xFFFF) << 16);
        }
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float f = mant * 0x1p-24f;
            return sign != 0 ? -f : f;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    // ---------------------------------------------------------------- object

    /**
     * Equal when dtype, shape and element bytes are equal (bitwise, so a NaN equals the same NaN
     * and {@code -0.0} differs from {@code 0.0}).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Tensor)) {
            return false;
        }
        Tensor t = (Tensor) o;
        return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    /**
     * {@code tensor(float32, shape=[2, 3], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])}, listing at most the
     * first 8 elements.
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("tensor(").append(dtype).append(", shape=")
                .append(Arrays.toString(shape)).append(", [");
        int n = (int) Math.min(numel(), 8);
        ByteBuffer b = le(data);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(", ");
            }
            switch (dtype) {
                case FLOAT64:
                    s.append(b.getDouble(i * 8));
                    break;
                case FLOAT32:
                    s.append(b.getFloat(i * 4));
                    break;
                case FLOAT16:
                case BFLOAT16:
                    s.append(halfToFloat(dtype, b.getShort(i * 2)));
                    break;
                case BOOL:
                    s.append(data[i] != 0);
                    break;
                default:
                    s.append(integral(b, i));
            }
        }
        if (numel() > n) {
            s.append(", ...");
        }
        return s.append("])").toString();
    }
}
