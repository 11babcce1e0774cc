package cox.store;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.torch.NumpyPickles;
import cox.torch.StateDict;
import cox.torch.Tensor;
import cox.torch.TorchSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * cox's object columns (docs/format.md, "Cells"): OBJECT cells hold {@code base64(pickle)}
 * inline, as Python's {@code codecs.encode(pickle, "base64")} writes it (76-character lines,
 * each ending in a newline); PICKLE and PYTORCH_STATE cells hold a UUID4 naming a file in
 * {@code .table_objects/}, a pickle or a {@code torch.save} zip. Files are written to a
 * temporary name, fsync'ed and renamed, before the cell can reach the journal, so a crash never
 * leaves a row pointing at a missing or partial file.
 */
final class ObjectCells {
    private static final Base64.Encoder BASE64_LINES = Base64.getMimeEncoder(76, new byte[] {'\n'});

    private ObjectCells() {
    }

    /** The cell text for {@code value} in a column of object type {@code type}. */
    static String toCell(ColumnType type, Object value, Path objectDir, String where, String column) {
        switch (type) {
            case OBJECT:
                return encodeObject(pickle(value, where, column));
            case PICKLE: {
                byte[] bytes = pickle(value, where, column);
                String uid = UUID.randomUUID().toString();
                writeAtomically(objectDir, uid, out -> out.write(bytes));
                return uid;
            }
            case PYTORCH_STATE: {
                Map<String, Tensor> state = stateDictOf(value, where, column);
                String uid = UUID.randomUUID().toString();
                writeAtomically(objectDir, uid, out -> TorchSerialization.save(state, out, uid));
                return uid;
            }
            default:
                throw new IllegalStateException("not an object type: " + type);
        }
    }

    private static byte[] pickle(Object value, String where, String column) {
        try {
            return NumpyPickles.dumps(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": column '" + column + "' cannot pickle the value: " + e.getMessage(), e);
        }
    }

    static String encodeObject(byte[] pickle) {
        String text = BASE64_LINES.encodeToString(pickle);
        return text + "\n";
    }

    /** A state dict from a {@code Map<String, Tensor>} or from an object's {@code stateDict()} method. */
    private static Map<String, Tensor> stateDictOf(Object value, String where, String column) {
        Object v = value;
        if (!(v instanceof Map)) {
            Method m = null;
            try {
                m = v == null ? null : v.getClass().getMethod("stateDict");
            } catch (NoSuchMethodException e) {
                // reported below
            }
            if (m == null) {
                throw new IllegalArgumentException(where + ": column '" + column + "' expects PYTORCH_STATE (a Map<String, Tensor>"
                        + " or an object with a stateDict() method), got " + describe(value));
            }
            try {
                v = m.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException(where + ": column '" + column + "': stateDict() of " + describe(value)
                        + " failed: " + e, e);
            }
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": column '" + column + "': stateDict() returned " + describe(v)
                    + ", not a Map<String, Tensor>");
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof Tensor t)) {
                throw new IllegalArgumentException(where + ": column '" + column + "' expects a state dict of String keys and"
                        + " Tensor values, got entry " + e.getKey() + " = " + describe(e.getValue()));
            }
            int lone = CellValues.loneSurrogate(key);
            if (lone >= 0) {
                throw new IllegalArgumentException(String.format("%s: column '%s': the state dict key at entry %d holds a"
                        + " lone surrogate U+%04X at index %d, which UTF-8 cannot encode", where, column, state.size(),
                        (int) key.charAt(lone), lone));
            }
            state.put(key, t);
        }
        return state;
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path dir, String uid, Writer writer) {
        Path target = dir.resolve(uid);
        Path tmp = dir.resolve("." + uid + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // the writer may close its stream; the channel stays open for the fsync
                java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new CoxIOException("cannot write object file " + target + ": " + e, e);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /** Python cox's {@code Table.get_object(s)}: unpickles the base64 text of an OBJECT cell. */
    static Object getObject(String cell) {
        byte[] pickle;
        try {
            pickle = Base64.getMimeDecoder().decode(cell.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an OBJECT cell holds base64 text: " + e.getMessage(), e);
        }
        return NumpyPickles.loads(pickle);
    }

    static Object getPickle(Path dir, String uid) {
        Path file = objectFile(dir, uid);
        try {
            return NumpyPickles.loads(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new StoreException("no object file " + file + " for PICKLE uid " + uid, e);
        } catch (IOException e) {
            throw new CoxIOException("cannot read object file " + file + ": " + e, e);
        }
    }

    static StateDict getStateDict(Path dir, String uid) {
        Path file = objectFile(dir, uid);
        if (!Files.exists(file)) {
            throw new StoreException("no object file " + file + " for PYTORCH_STATE uid " + uid);
        }
        try {
            return TorchSerialization.load(file);
        } catch (IOException e) {
            throw new CoxIOException("cannot read object file " + file + ": " + e, e);
        }
    }

    /** The file of {@code uid}: only a canonical UUID is accepted, so no path can escape the folder. */
    private static Path objectFile(Path dir, String uid) {
        boolean valid;
        try {
            valid = uid != null && UUID.fromString(uid).toString().equals(uid);
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new IllegalArgumentException("object uid must be a UUID such as 8667a56b-2850-40ef-a42c-a0487b75317d: got '"
                    + uid + "'");
        }
        return dir.resolve(uid);
    }
}
