package cox.torch;

import cox.exceptions.CoxIOException;
import cox.exceptions.TorchFormatException;
import cox.exceptions.UnpicklingException;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes {@code torch.save} files (the zip format of torch 1.6 and later), the files
 * behind cox's {@code Store.PYTORCH_STATE} columns; mirrors {@code torch.save(state_dict, f)} and
 * {@code torch.load(f)}.
 *
 * <p>A written file is a zip with stored (uncompressed) entries under one top folder named after
 * the file without its extension ({@code archive} for streams): {@code data.pkl}, a protocol-2
 * pickle of a {@code collections.OrderedDict} whose values are
 * {@code torch._utils._rebuild_tensor_v2(persistent_id, 0, size, stride, False, OrderedDict())}
 * calls; {@code data/0}, {@code data/1}, ... with each tensor's little-endian bytes (a tensor
 * instance that appears under two keys is stored once); {@code version} = {@code 3} and
 * {@code byteorder} = {@code little}. As torch does, each entry's data starts at a multiple of
 * 64 bytes (padding in an extra field {@code FB}), and sizes and CRC follow the data in a data
 * descriptor. {@code torch.load(f)} and {@code torch.load(f, weights_only=True)} read it.
 *
 * <p>Reading accepts what torch 1.6 to 2.x write: any top folder name, storages shared by
 * several tensors, views with a storage offset and strides (materialised as contiguous
 * tensors), 0-d tensors, the ten dtypes of {@link DType}. {@code data.pkl} goes through an
 * allow-list unpickler, so a crafted file cannot run code. Entry CRCs are checked.
 *
 * <p>The work is split along the file: {@code TorchZipWriter} and {@code TorchZipReader} for the
 * zip, {@code DataPkl} for the pickle (through {@code cox.pickle}).
 *
 * <p>Stateless and thread-safe.
 */
public final class TorchSerialization {
    private TorchSerialization() {
    }

    // ================================================================ save

    /**
     * Writes {@code stateDict} to {@code file} (created or replaced) as {@code torch.save} does.
     * The archive folder is the file name without its extension.
     *
     * @param stateDict names to tensors, written in iteration order
     * @param file the file to write
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if a key or value is null
     */
    public static void save(Map<String, Tensor> stateDict, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String folder = dot > 0 ? name.substring(0, dot) : name;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            save(stateDict, out, folder);
        }
    }

    /**
     * Writes {@code stateDict} to {@code out} with archive folder {@code archive} (as
     * {@code torch.save} to a {@code BytesIO}); flushes but does not close {@code out}.
     *
     * @param stateDict names to tensors, written in iteration order
     * @param out where to write
     * @throws IOException if writing fails
     */
    public static void save(Map<String, Tensor> stateDict, OutputStream out) throws IOException {
        save(stateDict, out, "archive");
    }

    /**
     * Writes {@code stateDict} to {@code out} under archive folder {@code folder}; flushes but
     * does not close {@code out}.
     *
     * @param stateDict names to tensors, written in iteration order
     * @param out where to write
     * @param folder the archive's top folder
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the folder is empty or holds '/', or a key or value is
     *     null
     */
    public static void save(Map<String, Tensor> stateDict, OutputStream out, String folder)
            throws IOException {
        Objects.requireNonNull(stateDict, "stateDict");
        Objects.requireNonNull(out, "out");
        if (folder.isEmpty() || folder.contains("/")) {
            throw new IllegalArgumentException("archive folder must be a non-empty name without '/': '"
                    + folder + "'");
        }
        List<Tensor> storages = new ArrayList<>();
        byte[] pkl = DataPkl.write(stateDict, storages);
        TorchZipWriter zip = new TorchZipWriter(out);
        zip.entry(folder + "/data.pkl", pkl.length, o -> o.write(pkl));
        for (int i = 0; i < storages.size(); i++) {
            Tensor t = storages.get(i);
            zip.entry(folder + "/data/" + i, t.byteSize(), t::writeTo);
        }
        byte[] version = "3\n".getBytes(StandardCharsets.US_ASCII);
        zip.entry(folder + "/version", version.length, o -> o.write(version));
        byte[] order = "little".getBytes(StandardCharsets.US_ASCII);
        zip.entry(folder + "/byteorder", order.length, o -> o.write(order));
        zip.finish();
        out.flush();
    }

    // ================================================================ load

    /**
     * Reads a state dict from a {@code torch.save} file ({@code torch.load(file)}); the file is
     * memory-mapped while reading and every tensor is copied out once.
     *
     * @param file a torch.save file
     * @return its state dict, in the file's order
     * @throws TorchFormatException if the file is not a torch zip, is truncated or damaged, or
     *     its top-level object is not a dict of tensors (message names the file)
     * @throws IOException if reading fails
     */
    public static StateDict load(Path file) throws IOException {
        return toStateDict(loadObject(file), file.toString());
    }

    /**
     * Reads a state dict from a stream holding a {@code torch.save} file (read to its end; not
     * closed).
     *
     * @param in a stream holding a torch.save file
     * @return its state dict, in the file's order
     * @throws TorchFormatException as {@link #load(Path)}, naming {@code <stream>}
     * @throws IOException if reading fails
     */
    public static StateDict load(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        return toStateDict(read(TorchZipReader.of("<stream>", all)), "<stream>");
    }

    /**
     * Reads whatever a {@code torch.save} file holds (a dict of tensors, nested dicts and lists,
     * numbers), with tensors as {@link Tensor}; other values as Python's pickle builds them
     * (dict as a {@code Map}, list as a {@code List}, tuple as an {@code Object[]}, ...).
     *
     * @param file a torch.save file
     * @return what it holds
     * @throws TorchFormatException if the file is not a torch zip, is truncated or damaged
     * @throws IOException if reading fails
     */
    public static Object loadObject(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new TorchFormatException(cox.io.Locations.text(file) + ": not a regular file (a FIFO, device or folder),"
                    + " so it is not opened");
        }
        if (!PositionalInputs.isLocal(file)) {
            try (PositionalInput in = PositionalInputs.open(file)) {
                return read(TorchZipReader.of(cox.io.Locations.text(file), in));
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(TorchZipReader.of(file.toString(), ch));
        }
    }

    private static StateDict toStateDict(Object o, String file) {
        if (!(o instanceof Map)) {
            throw new TorchFormatException(file + ": holds a " + kind(o) + ", not a state dict");
        }
        StateDict sd = new StateDict();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new TorchFormatException(file + ": state dict key " + e.getKey() + " is a "
                        + kind(e.getKey()) + ", not a str");
            }
            if (!(e.getValue() instanceof Tensor)) {
                throw new TorchFormatException(file + ": state dict entry '" + e.getKey()
                        + "' is a " + kind(e.getValue()) + ", not a tensor");
            }
            sd.put((String) e.getKey(), (Tensor) e.getValue());
        }
        return sd;
    }

    private static String kind(Object o) {
        return o == null ? "None" : o instanceof Object[] ? "tuple" : o.getClass().getSimpleName();
    }

    private static Object read(TorchZipReader zip) throws IOException {
        String prefix = zip.archivePrefix();
        String pklName = prefix + "data.pkl";
        ByteBuffer pklBytes = zip.entry(pklName);
        byte[] pkl = new byte[pklBytes.remaining()];
        pklBytes.get(pkl);
        String dataPrefix = prefix + "data/";
        try {
            return DataPkl.read(pkl, key -> {
                try {
                    ByteBuffer b = zip.entry(dataPrefix + key);
                    if (b == null) {
                        throw new TorchFormatException(zip.name() + ": data.pkl refers to storage '" + key
                                + "' but there is no entry " + dataPrefix + key);
                    }
                    return b;
                } catch (IOException e) {
                    throw new CoxIOException("cannot read " + zip.name() + ": entry " + dataPrefix + key + ": " + e, e);
                }
            });
        } catch (UnpicklingException e) {
            throw new TorchFormatException(zip.name() + ": " + pklName + ": " + e.getMessage(), e);
        }
    }
}
