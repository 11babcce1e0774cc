package cox.store;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreFormatException;
import cox.io.PositionalInputs;
import cox.torch.NumpyPickles;
import cox.torch.StateDict;
import cox.torch.Tensor;
import cox.torch.TorchSerialization;
import java.io.IOException;
import java.io.InputStream;
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
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * cox's object columns (docs/format.md, "Cells"): OBJECT cells hold {@code base64(pickle)}
 * inline, as Python's {@code codecs.encode(pickle, "base64")} writes it (76-character lines,
 * each ending in a newline); PICKLE and PYTORCH_STATE cells hold a UUID naming a file in
 * {@code .table_objects/}, a pickle or a {@code torch.save} zip. Files are written to a
 * temporary name, fsync'ed and renamed, before the cell can reach the journal, so a crash never
 * leaves a row pointing at a missing or partial file. cox4j names a file by its content (a
 * version-8 UUID from its SHA-256, {@link #contentUid}), so the cell, which the journal's CRC and
 * the checkpoint's digest cover, covers the file too: a changed file is a
 * {@link StoreFormatException}, never a different value. Python cox's random UUID4 names are read
 * unchecked.
 */
final class ObjectCells {
    /** How an object file being written starts its name, until it is moved to its content's name. */
    static final String TEMP_PREFIX = ".cox-object-";
    /** How an object file being written ends its name. */
    static final String TEMP_SUFFIX = ".tmp";
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
                return writeNamedByContent(objectDir, out -> out.write(bytes));
            }
            case PYTORCH_STATE: {
                Map<String, Tensor> state = stateDictOf(value, where, column);
                // archive folder "archive", as torch.save to a buffer writes it: the bytes must not depend on the name
                return writeNamedByContent(objectDir, out -> TorchSerialization.save(state, out));
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

    /**
     * Writes an object file to a temporary name, fsyncs it and moves it to its content's name
     * ({@link #contentUid}): a file of the same bytes there already is replaced by an identical one.
     *
     * @return the UID, the cell's text
     */
    private static String writeNamedByContent(Path dir, Writer writer) {
        Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX);
        Path target = null;
        try {
            Files.createDirectories(dir);
            MessageDigest sha = sha256();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                // the writer may close its stream; the channel stays open for the fsync
                java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(
                        new DigestOutputStream(Channels.newOutputStream(ch), sha), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            String uid = contentUid(sha.digest());
            target = dir.resolve(uid);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return uid;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new CoxIOException("cannot write object file " + (target == null ? tmp : target) + ": " + e, e);
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * The UID cox4j names an object file by: a version-8 UUID (RFC 9562's free-form version) made
     * of the first 122 bits of the SHA-256 of the file's bytes. Python cox names its files by a
     * random version-4 UUID; nothing in cox reads the version, so both are plain file names to it.
     */
    static String contentUid(byte[] sha256) {
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (sha256[i] & 0xff);
            lsb = (lsb << 8) | (sha256[8 + i] & 0xff);
        }
        msb = (msb & ~0xF000L) | 0x8000L; // version 8
        lsb = (lsb & ~(0xC0L << 56)) | (0x80L << 56); // the RFC 4122 variant
        return new UUID(msb, lsb).toString();
    }

    /**
     * Checks that the file named by a version-8 UID still holds the bytes it was named after; a
     * version-4 UID (Python cox's, or cox4j's before 0.2) carries no digest and is not checked.
     *
     * @throws StoreFormatException if the bytes differ from what the name says
     */
    private static void checkContent(Path file, String uid, MessageDigest sha, long size) {
        if (UUID.fromString(uid).version() != 8) {
            return;
        }
        String actual = contentUid(sha.digest());
        if (!actual.equals(uid)) {
            throw new StoreFormatException("object file " + file + " was changed after it was written: cox4j named it by"
                    + " the SHA-256 of its bytes, and its " + size + " bytes now give " + actual + " instead of " + uid
                    + "; the value it held is lost from this file (a copy of the run may still have it)");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
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
            byte[] bytes = PositionalInputs.readAllBytes(file);
            MessageDigest sha = sha256();
            sha.update(bytes);
            checkContent(file, uid, sha, bytes.length);
            try {
                return NumpyPickles.loads(bytes);
            } catch (CoxException e) {
                throw e.withContext("object file " + file + " (PICKLE uid " + uid + ")");
            }
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
            if (UUID.fromString(uid).version() == 8) {
                MessageDigest sha = sha256();
                long size = 0;
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; size += n) {
                        sha.update(buf, 0, n);
                    }
                }
                checkContent(file, uid, sha, size);
            }
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
        Path file = dir.resolve(uid);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new StoreFormatException("object file " + file + " is not a regular file (a FIFO, device or folder), so it"
                    + " is not opened");
        }
        return file;
    }
}
