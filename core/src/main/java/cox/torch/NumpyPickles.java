package cox.torch;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import cox.pickle.AllowList;
import cox.pickle.Pickler;
import cox.pickle.Unpickler;

/**
 * Pickles of plain data whose arrays are numpy arrays: {@code pickle.dumps} and
 * {@code pickle.loads} as cox's OBJECT and PICKLE cells use them, with a {@link Tensor} written as
 * (and a numpy array or scalar read back as) what numpy pickles. Loading builds only plain data
 * and tensors, never code: globals outside the allow-list (Python builtins, {@code OrderedDict},
 * numpy arrays, dtypes and scalars) are refused.
 *
 * <p>Values, written: {@code null}, {@code Boolean}, integers, {@code Float}/{@code Double},
 * {@code String}, {@code byte[]}, {@code List}, {@code Object[]} (tuple), {@code Set},
 * {@code Map}, records and Java beans (as dicts), {@link Tensor} (as {@code numpy.ndarray}; a
 * bfloat16 tensor is refused: numpy has no such dtype). Read: dict as {@code LinkedHashMap},
 * list as {@code ArrayList}, tuple as {@code Object[]}, set as {@code LinkedHashSet}, int as
 * {@code Long} (or {@code BigInteger}), float as {@code Double}, bytes as {@code byte[]}, a numpy
 * array as a {@link Tensor}, a numpy scalar as {@code Long}, {@code Double} or {@code Boolean}, a
 * class used as a value (e.g. {@code float}) as an object whose {@code toString()} is
 * {@code module.name}.
 *
 * <p>Stateless and thread-safe.
 */
public final class NumpyPickles {
    private static final Pickler PICKLER = Pickler.protocol(4).withReducer(Tensor.class, NumpyArrays::reduce);
    private static final Unpickler UNPICKLER = new Unpickler(NumpyArrays.register(
            AllowList.plainData().toBuilder()).build());

    private NumpyPickles() {
    }

    /**
     * The value as a protocol-4 pickle (what cox's dill writes for OBJECT cells), tensors as numpy
     * arrays. Python: {@code pickle.dumps(value)}.
     *
     * @param value plain data, possibly holding tensors
     * @return the pickle's bytes
     * @throws IllegalArgumentException if the value (or something inside it) has no Python
     *     counterpart, nests deeper than 1000 levels, or is a bfloat16 tensor
     */
    public static byte[] dumps(Object value) {
        return PICKLER.dumps(value);
    }

    /**
     * Loads one pickle of plain data and numpy arrays. Python: {@code pickle.loads(pickle)}.
     *
     * @param pickle the pickle (protocol 0 to 5)
     * @return the value
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public static Object loads(byte[] pickle) {
        return UNPICKLER.loads(pickle);
    }
}
