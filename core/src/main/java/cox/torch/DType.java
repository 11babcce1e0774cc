package cox.torch;

import java.util.Locale;

/**
 * Element type of a {@link Tensor}; mirrors {@code torch.dtype}. {@link #toString()} is torch's
 * name without the {@code torch.} prefix ({@code float32}, {@code int64}, ...). Immutable and
 * thread-safe.
 */
public enum DType {
    /** {@code torch.float32}; storage class {@code torch.FloatStorage}; numpy {@code f4}. */
    FLOAT32("float32", 4, "FloatStorage", "f4"),
    /** {@code torch.float64}; storage class {@code torch.DoubleStorage}; numpy {@code f8}. */
    FLOAT64("float64", 8, "DoubleStorage", "f8"),
    /** {@code torch.float16}; storage class {@code torch.HalfStorage}; numpy {@code f2}. */
    FLOAT16("float16", 2, "HalfStorage", "f2"),
    /** {@code torch.bfloat16}; storage class {@code torch.BFloat16Storage}; no numpy dtype. */
    BFLOAT16("bfloat16", 2, "BFloat16Storage", null),
    /** {@code torch.int64}; storage class {@code torch.LongStorage}; numpy {@code i8}. */
    INT64("int64", 8, "LongStorage", "i8"),
    /** {@code torch.int32}; storage class {@code torch.IntStorage}; numpy {@code i4}. */
    INT32("int32", 4, "IntStorage", "i4"),
    /** {@code torch.int16}; storage class {@code torch.ShortStorage}; numpy {@code i2}. */
    INT16("int16", 2, "ShortStorage", "i2"),
    /** {@code torch.int8}; storage class {@code torch.CharStorage}; numpy {@code i1}. */
    INT8("int8", 1, "CharStorage", "i1"),
    /** {@code torch.uint8}; storage class {@code torch.ByteStorage}; numpy {@code u1}. */
    UINT8("uint8", 1, "ByteStorage", "u1"),
    /** {@code torch.bool}; storage class {@code torch.BoolStorage}; numpy {@code b1}. */
    BOOL("bool", 1, "BoolStorage", "b1");

    private final String torchName;
    private final int itemSize;
    private final String storageClass;
    private final String numpyCode;

    DType(String torchName, int itemSize, String storageClass, String numpyCode) {
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.storageClass = storageClass;
        this.numpyCode = numpyCode;
    }

    /**
     * Bytes per element ({@code torch.dtype.itemsize}).
     *
     * @return 1, 2, 4 or 8
     */
    public int itemSize() {
        return itemSize;
    }

    /**
     * Name of the legacy typed storage class in module {@code torch} that {@code torch.save}
     * writes into persistent ids, e.g. {@code FloatStorage}.
     *
     * @return the class name without {@code torch.}
     */
    public String storageClassName() {
        return storageClass;
    }

    /**
     * numpy's type code without byte order ({@code f4}, {@code i8}, {@code b1}), or {@code null}
     * for {@link #BFLOAT16}, which numpy lacks.
     *
     * @return the code, or null
     */
    public String numpyCode() {
        return numpyCode;
    }

    /**
     * Whether this is a floating-point type (float16, bfloat16, float32, float64).
     *
     * @return true for the four floating-point types
     */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** torch's name, e.g. {@code float32}. */
    @Override
    public String toString() {
        return torchName;
    }

    /**
     * The dtype for a torch storage class name ({@code FloatStorage}, ...).
     *
     * @param name a storage class name without {@code torch.}
     * @return its dtype
     * @throws IllegalArgumentException if the name is not one of the ten storage classes
     */
    public static DType fromStorageClassName(String name) {
        for (DType t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown torch storage class: " + name);
    }

    /**
     * The dtype for a numpy type code without byte order ({@code f4}, {@code i8}, {@code b1}, ...).
     *
     * @param code a numpy type code such as {@code f4}
     * @return its dtype
     * @throws IllegalArgumentException if numpy's code has no counterpart here
     */
    public static DType fromNumpyCode(String code) {
        for (DType t : values()) {
            if (code.equals(t.numpyCode)) {
                return t;
            }
        }
        throw new IllegalArgumentException("numpy dtype " + code + " has no cox.torch.DType");
    }

    /**
     * The dtype for torch's name, with or without the {@code torch.} prefix ({@code float32},
     * {@code torch.int64}).
     *
     * @param name a torch dtype name
     * @return its dtype
     * @throws IllegalArgumentException for any other name
     */
    public static DType fromTorchName(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        for (DType t : values()) {
            if (t.torchName.equals(n.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown torch dtype: " + name);
    }
}
