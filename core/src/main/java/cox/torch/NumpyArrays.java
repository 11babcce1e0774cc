package cox.torch;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import cox.pickle.AllowList;
import cox.pickle.LoadSite;
import cox.pickle.PendingValue;
import cox.pickle.PythonGlobal;
import cox.pickle.Reduction;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * numpy arrays and scalars in pickles, as {@link Tensor}s and Java numbers: the allow-list
 * entries that read them ({@code numpy.core.multiarray._reconstruct} and {@code scalar},
 * {@code numpy.core.numeric._frombuffer}, the {@code numpy._core} spellings of numpy 2,
 * {@code numpy.ndarray}, {@code numpy.dtype}) and the reduction that writes a tensor as the
 * {@code numpy.ndarray} numpy itself pickles. numpy arrays rather than torch tensors, because a
 * pickled torch tensor embeds a whole legacy torch.save stream, and because numpy is always there
 * where cox runs (pandas needs it) while torch may not be.
 */
final class NumpyArrays {
    private static final PythonGlobal NDARRAY = new PythonGlobal("numpy", "ndarray");
    private static final PythonGlobal DTYPE = new PythonGlobal("numpy", "dtype");
    private static final PythonGlobal RECONSTRUCT = new PythonGlobal("numpy.core.multiarray", "_reconstruct");

    private NumpyArrays() {
    }

    /** Adds the numpy entries to {@code b}. */
    static AllowList.Builder register(AllowList.Builder b) {
        b.allowValue(NDARRAY);
        for (String module : new String[] {"numpy.core", "numpy._core"}) {
            String reconstruct = module + ".multiarray._reconstruct";
            b.allowCall(new PythonGlobal(module + ".multiarray", "_reconstruct"), (args, site) -> {
                if (args.length != 3 || !NDARRAY.equals(args[0])) {
                    throw new PickleSecurityException("refused to call " + reconstruct
                            + " for anything but numpy.ndarray");
                }
                return new PendingArray();
            });
            String scalar = module + ".multiarray.scalar";
            b.allowCall(new PythonGlobal(module + ".multiarray", "scalar"), (args, site) -> {
                if (args.length != 2 || !(args[0] instanceof NumpyDType)) {
                    throw site.corrupt("calls " + scalar + " without a dtype and data");
                }
                return scalar((NumpyDType) args[0], bytesOf(args[1], scalar, site), site);
            });
            String frombuffer = module + ".numeric._frombuffer";
            b.allowCall(new PythonGlobal(module + ".numeric", "_frombuffer"), (args, site) -> {
                if (args.length != 4 || !(args[1] instanceof NumpyDType) || !(args[2] instanceof Object[])) {
                    throw site.corrupt("calls " + frombuffer + " without buffer, dtype, shape and order");
                }
                return array((NumpyDType) args[1], site.longs(args[2], "shape"), "F".equals(args[3]),
                        bytesOf(args[0], frombuffer, site), site);
            });
        }
        b.allowCall(DTYPE, (args, site) -> {
            if (args.length < 1 || !(args[0] instanceof String code)) {
                throw site.corrupt("calls numpy.dtype without a type code");
            }
            if (!code.matches("[fiub](1|2|4|8)")) {
                throw new UnpicklingException("unsupported numpy dtype '" + code + "' at offset " + site.offset()
                        + " (bool, int, uint and float are read)");
            }
            return new NumpyDType(code);
        });
        return b;
    }

    /**
     * The tensor as numpy pickles an array: {@code _reconstruct(ndarray, (0,), b'b')} with the
     * state {@code (1, shape, dtype, False, data)}, little-endian, C order.
     *
     * @throws IllegalArgumentException for a bfloat16 tensor (numpy has no such dtype)
     */
    static Reduction reduce(Tensor t) {
        String code = t.dtype().numpyCode();
        if (code == null) {
            throw new IllegalArgumentException("cannot pickle a " + t.dtype() + " tensor: numpy has no " + t.dtype()
                    + " dtype (store it in a PYTORCH_STATE column)");
        }
        long[] shape = t.shape();
        Object[] shapeTuple = new Object[shape.length];
        for (int i = 0; i < shape.length; i++) {
            shapeTuple[i] = shape[i];
        }
        Reduction dtype = Reduction.call(DTYPE, code, false, true)
                .withState(new Object[] {3L, t.dtype().itemSize() == 1 ? "|" : "<", null, null, null, -1L, -1L, 0L});
        return Reduction.call(RECONSTRUCT, NDARRAY, new Object[] {0L}, new byte[] {'b'})
                .withState(new Object[] {1L, shapeTuple, dtype, false, t.toByteArray()});
    }

    /** {@code numpy.dtype(code)} awaiting its BUILD state (byte order). */
    private static final class NumpyDType implements PendingValue {
        final String code;
        char order = '=';

        NumpyDType(String code) {
            this.code = code;
        }

        int itemSize() {
            return Integer.parseInt(code.substring(1));
        }

        boolean bigEndian() {
            return order == '>';
        }

        @Override
        public String typeName() {
            return "numpy dtype";
        }

        @Override
        public String whyUnfinished() {
            return "numpy dtype objects are only read inside numpy arrays";
        }

        @Override
        public Object build(Object state, LoadSite site) {
            Object[] st = state instanceof Object[] t ? t : null;
            if (st == null || st.length < 2 || !(st[1] instanceof String) || ((String) st[1]).length() != 1) {
                throw site.corrupt("sets a numpy dtype's state from a " + LoadSite.typeName(state));
            }
            order = ((String) st[1]).charAt(0);
            return this;
        }
    }

    /** {@code _reconstruct(ndarray, (0,), b'b')} awaiting its BUILD state. */
    private static final class PendingArray implements PendingValue {
        @Override
        public String typeName() {
            return "numpy array";
        }

        @Override
        public String whyUnfinished() {
            return "numpy array without its BUILD state";
        }

        @Override
        public Object build(Object state, LoadSite site) {
            Object[] st = state instanceof Object[] t ? t : null;
            if (st == null || st.length != 5 || !(st[2] instanceof NumpyDType)) {
                throw site.corrupt("sets a numpy array's state from a " + LoadSite.typeName(state)
                        + ", not (version, shape, dtype, is_fortran, data)");
            }
            return array((NumpyDType) st[2], site.longs(st[1], "shape"), Boolean.TRUE.equals(st[3]),
                    bytesOf(st[4], "numpy array", site), site);
        }
    }

    private static byte[] bytesOf(Object o, String key, LoadSite site) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) { // Python 2 str read as latin-1
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw site.corrupt("gives " + key + " a " + LoadSite.typeName(o) + " instead of bytes");
    }

    private static Object scalar(NumpyDType dt, byte[] raw, LoadSite site) {
        if (raw.length != dt.itemSize()) {
            throw site.corrupt("has a numpy scalar of " + raw.length + " bytes for dtype " + dt.code);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(dt.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        switch (dt.code) {
            case "b1":
                return raw[0] != 0;
            case "i1":
                return (long) raw[0];
            case "u1":
                return (long) (raw[0] & 0xFF);
            case "i2":
                return (long) b.getShort();
            case "u2":
                return (long) (b.getShort() & 0xFFFF);
            case "i4":
                return (long) b.getInt();
            case "u4":
                return b.getInt() & 0xFFFFFFFFL;
            case "i8":
                return b.getLong();
            case "u8": {
                long v = b.getLong();
                return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case "f2": {
                byte[] le = dt.bigEndian() ? new byte[] {raw[1], raw[0]} : raw;
                return (double) Tensor.of(DType.FLOAT16, le).toFloatArray()[0];
            }
            case "f4":
                return (double) b.getFloat();
            case "f8":
                return b.getDouble();
            default:
                throw site.corrupt("has an unsupported numpy scalar dtype " + dt.code);
        }
    }

    private static Tensor array(NumpyDType dt, long[] shape, boolean fortran, byte[] raw, LoadSite site) {
        DType type;
        try {
            type = DType.fromNumpyCode(dt.code);
        } catch (IllegalArgumentException e) {
            throw new UnpicklingException(e.getMessage() + " (numpy array at offset " + site.offset() + ")");
        }
        int item = type.itemSize();
        if (dt.bigEndian() && item > 1) {
            raw = raw.clone();
            for (int i = 0; i + item <= raw.length; i += item) {
                for (int a = i, z = i + item - 1; a < z; a++, z--) {
                    byte t = raw[a];
                    raw[a] = raw[z];
                    raw[z] = t;
                }
            }
        }
        try {
            if (fortran && shape.length > 1) {
                long[] stride = new long[shape.length];
                long s = 1;
                for (int d = 0; d < shape.length; d++) {
                    stride[d] = s;
                    s *= shape[d];
                }
                if ((long) raw.length != s * item) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + s * item
                            + " bytes, got " + raw.length);
                }
                return Tensor.ofStrided(type, ByteBuffer.wrap(raw), 0, shape, stride);
            }
            return Tensor.of(type, raw, shape);
        } catch (IllegalArgumentException e) {
            throw site.corrupt("has a numpy array that does not fit: " + e.getMessage());
        }
    }
}
