package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Loads Python pickles of plain data, and never anything else: {@code pickle.loads} with the
 * {@link AllowList#plainData() plain-data allow-list}, no numpy, no torch, no persistent ids. The
 * one entry point for pickles that hold only Python builtins (the HDF5 attributes pandas and
 * PyTables write); formats with more (numpy arrays, torch.save) build their own {@link Unpickler}.
 * See {@link Unpickler} for the values and limits.
 *
 * <p>Stateless and thread-safe.
 */
public final class SafeUnpickler {
    /** Deepest container nesting a loaded value may have. */
    public static final int MAX_DEPTH = Unpickler.MAX_DEPTH;
    /** Most decimal digits of a pickled integer (Python 3.11's default limit). */
    public static final int MAX_INT_DIGITS = Unpickler.MAX_INT_DIGITS;

    private static final Unpickler PLAIN_DATA = new Unpickler(AllowList.plainData());

    private SafeUnpickler() {
    }

    /**
     * Loads one pickle from {@code pickle} ({@code pickle.loads}); bytes after its {@code STOP}
     * are ignored, as Python does.
     *
     * @param pickle the pickle
     * @return the value: plain data
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public static Object loads(byte[] pickle) {
        return PLAIN_DATA.loads(pickle);
    }

    /**
     * Reads {@code in} to its end and loads the pickle in it ({@code pickle.load}).
     *
     * @param in the stream; read to its end, not closed
     * @return the value: plain data
     * @throws IOException if reading fails
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public static Object load(InputStream in) throws IOException {
        return PLAIN_DATA.loads(in.readAllBytes());
    }
}
