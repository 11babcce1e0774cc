package cox.torch;

import cox.exceptions.TorchFormatException;
import cox.exceptions.UnpicklingException;
import cox.pickle.SafeUnpickler;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

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
 * tensors), 0-d tensors, the ten dtypes of {@link DType}. {@code data.pkl} goes through
 * {@link SafeUnpickler}, so a crafted file cannot run code. Entry CRCs are checked.
 *
 * <p>Stateless and thread-safe.
 */
public final class TorchSerialization {
    private static final int ALIGNMENT = 64;
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int END64_LOCATOR = 0x07064b50;

    private TorchSerialization() {
    }

    // ================================================================ save

    /**
     * Writes {@code stateDict} to {@code file} (created or replaced) as {@code torch.save} does.
     * The archive folder is the file name without its extension.
     *
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
     * @throws IOException if writing fails
     */
    public static void save(Map<String, Tensor> stateDict, OutputStream out) throws IOException {
        save(stateDict, out, "archive");
    }

    /**
     * Writes {@code stateDict} to {@code out} under archive folder {@code folder}; flushes but
     * does not close {@code out}.
     *
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
        IdentityHashMap<Tensor, String> keys = new IdentityHashMap<>();
        List<Tensor> storages = new ArrayList<>();
        ByteArrayOutputStream pkl = new ByteArrayOutputStream(256 + 160 * stateDict.size());
        pkl.write(0x80);
        pkl.write(2);
        global(pkl, "collections", "OrderedDict");
        pkl.write(')');
        pkl.write('R');
        if (!stateDict.isEmpty()) {
            pkl.write('(');
            for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("state dict entry " + e.getKey()
                            + " has a null key or tensor");
                }
                Tensor t = e.getValue();
                String key = keys.get(t);
                if (key == null) {
                    key = Integer.toString(storages.size());
                    keys.put(t, key);
                    storages.add(t);
                }
                unicode(pkl, e.getKey());
                global(pkl, "torch._utils", "_rebuild_tensor_v2");
                pkl.write('(');
                pkl.write('(');
                unicode(pkl, "storage");
                global(pkl, "torch", t.dtype().storageClassName());
                unicode(pkl, key);
                unicode(pkl, "cpu");
                integer(pkl, t.numel());
                pkl.write('t');
                pkl.write('Q');
                integer(pkl, 0);
                long[] shape = t.shape();
                long[] stride = new long[shape.length];
                long s = 1;
                for (int d = shape.length - 1; d >= 0; d--) {
                    stride[d] = s;
                    s *= Math.max(shape[d], 1);
                }
                tuple(pkl, shape);
                tuple(pkl, stride);
                pkl.write(0x89);
                global(pkl, "collections", "OrderedDict");
                pkl.write(')');
                pkl.write('R');
                pkl.write('t');
                pkl.write('R');
            }
            pkl.write('u');
        }
        pkl.write('.');

        ZipWriter zip = new ZipWriter(out);
        byte[] p = pkl.toByteArray();
        zip.entry(folder + "/data.pkl", p.length, o -> o.write(p));
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

    private static void global(ByteArrayOutputStream p, String module, String name) {
        p.write('c');
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void unicode(ByteArrayOutputStream p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.writeBytes(le32(b.length));
        p.writeBytes(b);
    }

    private static void integer(ByteArrayOutputStream p, long v) {
        if (v >= 0 && v < 256) {
            p.write('K');
            p.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            p.write('J');
            p.writeBytes(le32((int) v));
        } else {
            p.write(0x8a);
            p.write(8);
            p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private static void tuple(ByteArrayOutputStream p, long[] values) {
        if (values.length == 0) {
            p.write(')');
            return;
        }
        p.write('(');
        for (long v : values) {
            integer(p, v);
        }
        p.write('t');
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Writes entry bodies; a functional hook so tensors stream their bytes without copies. */
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A minimal zip writer with torch's layout: stored entries, 64-byte-aligned data. */
    private static final class ZipWriter {
        private final OutputStream out;
        private long pos;
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private int count;

        ZipWriter(OutputStream out) {
            this.out = out;
        }

        void entry(String name, long size, Body body) throws IOException {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            long headerOffset = pos;
            int pad = (int) ((ALIGNMENT - (pos + 30 + n.length + 4) % ALIGNMENT) % ALIGNMENT);
            ByteBuffer h = ByteBuffer.allocate(30 + n.length + 4 + pad).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(LOCAL_HEADER).putShort((short) 45).putShort((short) 0x0808).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                    .putShort((short) n.length).putShort((short) (4 + pad)).put(n)
                    .put((byte) 'F').put((byte) 'B').putShort((short) pad);
            for (int i = 0; i < pad; i++) {
                h.put((byte) 'Z');
            }
            write(h.array());
            CrcCountingStream body1 = new CrcCountingStream(out);
            body.writeTo(body1);
            if (body1.count != size) {
                throw new IllegalStateException("entry " + name + " wrote " + body1.count
                        + " bytes, expected " + size);
            }
            pos += size;
            long crc = body1.crc.getValue();
            boolean zip64 = size >= 0xFFFFFFFFL;
            ByteBuffer d = ByteBuffer.allocate(zip64 ? 24 : 16).order(ByteOrder.LITTLE_ENDIAN);
            d.putInt(DATA_DESCRIPTOR).putInt((int) crc);
            if (zip64) {
                d.putLong(size).putLong(size);
            } else {
                d.putInt((int) size).putInt((int) size);
            }
            write(d.array());

            boolean offset64 = headerOffset >= 0xFFFFFFFFL;
            int extra = (zip64 ? 16 : 0) + (offset64 ? 8 : 0);
            ByteBuffer c = ByteBuffer.allocate(46 + n.length + (extra > 0 ? 4 + extra : 0))
                    .order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(CENTRAL_HEADER).putShort((short) 45).putShort((short) 45)
                    .putShort((short) 0x0808).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt((int) crc)
                    .putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size)
                    .putShort((short) n.length).putShort((short) (extra > 0 ? 4 + extra : 0))
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(offset64 ? -1 : (int) headerOffset).put(n);
            if (extra > 0) {
                c.putShort((short) 1).putShort((short) extra);
                if (zip64) {
                    c.putLong(size).putLong(size);
                }
                if (offset64) {
                    c.putLong(headerOffset);
                }
            }
            central.writeBytes(c.array());
            count++;
        }

        void finish() throws IOException {
            long cdOffset = pos;
            long cdSize = central.size();
            central.writeTo(out);
            pos += cdSize;
            long end64 = pos;
            ByteBuffer e = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
            e.putInt(END64).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(count).putLong(count).putLong(cdSize).putLong(cdOffset);
            e.putInt(END64_LOCATOR).putInt(0).putLong(end64).putInt(1);
            e.putInt(END).putShort((short) 0).putShort((short) 0)
                    .putShort((short) Math.min(count, 0xFFFF)).putShort((short) Math.min(count, 0xFFFF))
                    .putInt((int) Math.min(cdSize, 0xFFFFFFFFL))
                    .putInt(cdOffset >= 0xFFFFFFFFL ? -1 : (int) cdOffset).putShort((short) 0);
            write(e.array());
        }

        private void write(byte[] b) throws IOException {
            out.write(b);
            pos += b.length;
        }
    }

    private static final class CrcCountingStream extends OutputStream {
        private final OutputStream out;
        final CRC32 crc = new CRC32();
        long count;

        CrcCountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }
    }

    // ================================================================ load

    /**
     * Reads a state dict from a {@code torch.save} file ({@code torch.load(file)}); the file is
     * memory-mapped while reading and every tensor is copied out once.
     *
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
     * @throws TorchFormatException as {@link #load(Path)}, naming {@code <stream>}
     * @throws IOException if reading fails
     */
    public static StateDict load(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        return toStateDict(read(new Source("<stream>", all)), "<stream>");
    }

    /**
     * Reads whatever a {@code torch.save} file holds (a dict of tensors, nested dicts and lists,
     * numbers), with tensors as {@link Tensor}; values as {@link SafeUnpickler} returns them.
     *
     * @throws TorchFormatException if the file is not a torch zip, is truncated or damaged
     * @throws IOException if reading fails
     */
    public static Object loadObject(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Source(file.toString(), ch));
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

    /** Bytes of a zip: a file channel (mapped per region) or an in-memory array. */
    private static final class Source {
        final String name;
        final FileChannel channel;
        final byte[] array;
        final long size;

        Source(String name, FileChannel channel) throws IOException {
            this.name = name;
            this.channel = channel;
            this.array = null;
            this.size = channel.size();
        }

        Source(String name, byte[] array) {
            this.name = name;
            this.channel = null;
            this.array = array;
            this.size = array.length;
        }

        ByteBuffer slice(long offset, long length, String what) throws IOException {
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new TorchFormatException(name + ": truncated or damaged zip: " + what
                        + " at offset " + offset + " with " + length + " bytes lies beyond the end ("
                        + size + " bytes)");
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new TorchFormatException(name + ": " + what + " has " + length
                        + " bytes, more than one Java array holds");
            }
            ByteBuffer b;
            if (array != null) {
                b = ByteBuffer.wrap(array, (int) offset, (int) length).slice();
            } else if (length < 4096) {
                b = ByteBuffer.allocate((int) length);
                while (b.hasRemaining()) {
                    if (channel.read(b, offset + b.position()) < 0) {
                        throw new EOFException(name + ": unexpected end of file");
                    }
                }
                b.flip();
            } else {
                b = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
            }
            return b.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static final class Entry {
        final String name;
        final int method;
        final long crc;
        final long compressedSize;
        final long size;
        final long headerOffset;

        Entry(String name, int method, long crc, long compressedSize, long size, long headerOffset) {
            this.name = name;
            this.method = method;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.headerOffset = headerOffset;
        }
    }

    private static Object read(Source src) throws IOException {
        Map<String, Entry> entries = centralDirectory(src);
        String prefix = null;
        for (String n : entries.keySet()) {
            if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))
                    && n.indexOf('/') == n.lastIndexOf('/')) {
                prefix = n.substring(0, n.length() - "data.pkl".length());
                break;
            }
        }
        if (prefix == null) {
            throw new TorchFormatException(src.name + ": not a torch.save file: no data.pkl entry"
                    + " among " + entries.keySet());
        }
        if (!entries.containsKey(prefix + "version") && !entries.containsKey(prefix + ".data/version")) {
            throw new TorchFormatException(src.name + ": not a torch.save file: no " + prefix
                    + "version entry");
        }
        Entry pklEntry = entries.get(prefix + "data.pkl");
        ByteBuffer pklBytes = data(src, pklEntry);
        byte[] pkl = new byte[pklBytes.remaining()];
        pklBytes.get(pkl);
        final String dataPrefix = prefix + "data/";
        Map<String, ByteBuffer> cache = new HashMap<>();
        try {
            return SafeUnpickler.loads(pkl, key -> {
                ByteBuffer b = cache.get(key);
                if (b == null) {
                    Entry e = entries.get(dataPrefix + key);
                    if (e == null) {
                        throw new TorchFormatException(src.name + ": data.pkl refers to storage '"
                                + key + "' but there is no entry " + dataPrefix + key);
                    }
                    b = data(src, e);
                    cache.put(key, b);
                }
                return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            });
        } catch (UnpicklingException e) {
            throw new TorchFormatException(src.name + ": " + pklEntry.name + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer data(Source src, Entry e) throws IOException {
        ByteBuffer h = src.slice(e.headerOffset, 30, "local header of " + e.name);
        if (h.getInt(0) != LOCAL_HEADER) {
            throw new TorchFormatException(src.name + ": damaged zip: entry " + e.name
                    + " has no local header at offset " + e.headerOffset);
        }
        long start = e.headerOffset + 30 + (h.getShort(26) & 0xFFFF) + (h.getShort(28) & 0xFFFF);
        if (e.method != 0) {
            throw new TorchFormatException(src.name + ": entry " + e.name + " is compressed (method "
                    + e.method + "); torch.save files are stored uncompressed");
        }
        if (e.compressedSize != e.size) {
            throw new TorchFormatException(src.name + ": damaged zip: stored entry " + e.name
                    + " has compressed size " + e.compressedSize + " != size " + e.size);
        }
        ByteBuffer b = src.slice(start, e.size, "entry " + e.name);
        CRC32 crc = new CRC32();
        crc.update(b.duplicate());
        if (crc.getValue() != e.crc) {
            throw new TorchFormatException(src.name + ": damaged entry " + e.name + ": CRC actual 0x"
                    + Long.toHexString(crc.getValue()) + " != expected 0x" + Long.toHexString(e.crc));
        }
        return b;
    }

    private static Map<String, Entry> centralDirectory(Source src) throws IOException {
        if (src.size < 22) {
            throw new TorchFormatException(src.name + ": not a zip file (" + src.size + " bytes)");
        }
        ByteBuffer first = src.slice(0, Math.min(src.size, 4), "start");
        if (first.get(0) == (byte) 0x80) {
            throw new TorchFormatException(src.name + ": legacy (pre-1.6, non-zip) torch.save"
                    + " format is not supported; re-save it with a current torch");
        }
        int tailLength = (int) Math.min(src.size, 22 + 0xFFFF);
        long tailStart = src.size - tailLength;
        ByteBuffer tail = src.slice(tailStart, tailLength, "end of central directory");
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail.getInt(i) == END) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new TorchFormatException(src.name + ": not a zip file or truncated: no end of"
                    + " central directory record");
        }
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long locator = tailStart + eocd - 20;
            ByteBuffer loc = src.slice(locator, 20, "zip64 locator");
            if (loc.getInt(0) != END64_LOCATOR) {
                throw new TorchFormatException(src.name + ": damaged zip: zip64 locator missing");
            }
            ByteBuffer e64 = src.slice(loc.getLong(8), 56, "zip64 end record");
            if (e64.getInt(0) != END64) {
                throw new TorchFormatException(src.name + ": damaged zip: zip64 end record missing");
            }
            count = e64.getLong(32);
            cdSize = e64.getLong(40);
            cdOffset = e64.getLong(48);
        }
        if (count > cdSize / 46 + 1) {
            throw new TorchFormatException(src.name + ": damaged zip: " + count + " entries cannot fit in a "
                    + cdSize + "-byte central directory");
        }
        ByteBuffer cd = src.slice(cdOffset, cdSize, "central directory");
        Map<String, Entry> entries = new java.util.LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL_HEADER) {
                throw new TorchFormatException(src.name + ": damaged zip: central directory entry "
                        + i + " at offset " + (cdOffset + p) + " is missing");
            }
            int method = cd.getShort(p + 10) & 0xFFFF;
            long crc = cd.getInt(p + 16) & 0xFFFFFFFFL;
            long csize = cd.getInt(p + 20) & 0xFFFFFFFFL;
            long usize = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLen = cd.getShort(p + 28) & 0xFFFF;
            int extraLen = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            long offset = cd.getInt(p + 42) & 0xFFFFFFFFL;
            if (p + 46 + nameLen + extraLen + commentLen > cd.limit()) {
                throw new TorchFormatException(src.name + ": damaged zip: central directory entry "
                        + i + " runs past the directory's end");
            }
            byte[] nb = new byte[nameLen];
            cd.get(p + 46, nb);
            String name = new String(nb, StandardCharsets.UTF_8);
            int x = p + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = cd.getShort(x) & 0xFFFF;
                int len = cd.getShort(x + 2) & 0xFFFF;
                int q = x + 4;
                if (id == 1) {
                    if (usize == 0xFFFFFFFFL && q + 8 <= xEnd) {
                        usize = cd.getLong(q);
                        q += 8;
                    }
                    if (csize == 0xFFFFFFFFL && q + 8 <= xEnd) {
                        csize = cd.getLong(q);
                        q += 8;
                    }
                    if (offset == 0xFFFFFFFFL && q + 8 <= xEnd) {
                        offset = cd.getLong(q);
                    }
                }
                x += 4 + len;
            }
            entries.put(name, new Entry(name, method, crc, csize, usize, offset));
            p += 46 + nameLen + extraLen + commentLen;
        }
        return entries;
    }
}
