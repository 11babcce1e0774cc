package cox.testing;

import cox.pickle.PythonGlobal;
import cox.torch.NumpyPickles;
import cox.torch.Tensor;
import cox.torch.TorchSerialization;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A canonical text of a loaded value that Python computes the same way ({@link #PYTHON_CANON}),
 * so interop tests compare exactly: floats by their bits, strings by their UTF-8 bytes, tensors
 * and numpy arrays by dtype, shape and little-endian bytes, sets sorted.
 */
public final class PythonCanonical {
    private PythonCanonical() {
    }

    /** Python source defining canon(v), mirroring {@link #of(Object)}. */
    public static final String PYTHON_CANON = String.join("\n",
            "import struct, collections",
            "def canon(v):",
            "    try:",
            "        import numpy as np",
            "    except ImportError:",
            "        np = None",
            "    try:",
            "        import torch",
            "    except ImportError:",
            "        torch = None",
            "    if v is None: return 'None'",
            "    if np is not None and isinstance(v, np.generic) and not isinstance(v, np.ndarray):",
            "        v = v.item()",
            "    if isinstance(v, bool): return 'True' if v else 'False'",
            "    if isinstance(v, int): return 'i:%d' % v",
            "    if isinstance(v, float): return 'f:' + struct.pack('>d', v).hex()",
            "    if isinstance(v, str): return 's:' + v.encode('utf-8', 'surrogatepass').hex()",
            "    if isinstance(v, (bytes, bytearray)): return 'b:' + bytes(v).hex()",
            "    if isinstance(v, type): return 'g:%s.%s' % (v.__module__, v.__qualname__)",
            "    if torch is not None and isinstance(v, torch.Tensor):",
            "        t = v.detach().contiguous()",
            "        if t.dtype == torch.bfloat16: raw = t.view(torch.int16).numpy().tobytes()",
            "        else: raw = t.numpy().tobytes()",
            "        return 'T:%s:%s:%s' % (str(t.dtype)[6:], list(t.shape), raw.hex())",
            "    if np is not None and isinstance(v, np.ndarray):",
            "        a = v.astype(v.dtype.newbyteorder('<'))",
            "        return 'T:%s:%s:%s' % (str(a.dtype), list(a.shape), a.tobytes(order='C').hex())",
            "    if isinstance(v, list): return '[' + ','.join(canon(x) for x in v) + ']'",
            "    if isinstance(v, tuple): return '(' + ','.join(canon(x) for x in v) + ')'",
            "    if isinstance(v, dict): return '{' + ','.join(canon(k) + ':' + canon(x) for k, x in v.items()) + '}'",
            "    if isinstance(v, (set, frozenset)): return 'set{' + ','.join(sorted(canon(x) for x in v)) + '}'",
            "    raise TypeError(type(v))",
            "");

    /** The canonical text of a value as {@link NumpyPickles} and {@link TorchSerialization} return it. */
    public static String of(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "True" : "False";
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
            return "i:" + v;
        }
        if (v instanceof Double) {
            return "f:" + String.format("%016x", Double.doubleToRawLongBits((Double) v));
        }
        if (v instanceof String) {
            return "s:" + HexFormat.of().formatHex(((String) v).getBytes(StandardCharsets.UTF_8));
        }
        if (v instanceof byte[]) {
            return "b:" + HexFormat.of().formatHex((byte[]) v);
        }
        if (v instanceof PythonGlobal) {
            return "g:" + v;
        }
        if (v instanceof Tensor) {
            Tensor t = (Tensor) v;
            StringBuilder shape = new StringBuilder("[");
            long[] s = t.shape();
            for (int i = 0; i < s.length; i++) {
                shape.append(i > 0 ? ", " : "").append(s[i]);
            }
            return "T:" + t.dtype() + ":" + shape + "]:" + HexFormat.of().formatHex(t.toByteArray());
        }
        if (v instanceof List) {
            return join("[", (List<?>) v, "]");
        }
        if (v instanceof Object[]) {
            return join("(", java.util.Arrays.asList((Object[]) v), ")");
        }
        if (v instanceof Map) {
            StringBuilder s = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                s.append(first ? "" : ",").append(of(e.getKey())).append(':').append(of(e.getValue()));
                first = false;
            }
            return s.append('}').toString();
        }
        if (v instanceof Set) {
            List<String> items = new ArrayList<>();
            for (Object o : (Collection<?>) v) {
                items.add(of(o));
            }
            items.sort(null);
            return "set{" + String.join(",", items) + "}";
        }
        throw new IllegalArgumentException("no canonical form for " + v.getClass());
    }

    private static String join(String open, List<?> items, String close) {
        StringBuilder s = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            s.append(i > 0 ? "," : "").append(of(items.get(i)));
        }
        return s.append(close).toString();
    }
}
