package cox.torch;

import cox.exceptions.TorchFormatException;
import cox.io.PositionalInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads the zip container of a torch.save file: the central directory (zip64 included), and
 * stored entries checked against their CRC. A file channel is mapped region by region; an
 * in-memory file is sliced. Anything that is not a stored zip as torch writes it is a
 * {@link TorchFormatException} naming the file, the entry and the offset. Not thread-safe.
 */
final class TorchZipReader {
    private static final int LOCAL_HEADER = TorchZipWriter.LOCAL_HEADER;
    private static final int CENTRAL_HEADER = TorchZipWriter.CENTRAL_HEADER;
    private static final int END = TorchZipWriter.END;
    private static final int END64 = TorchZipWriter.END64;
    private static final int END64_LOCATOR = TorchZipWriter.END64_LOCATOR;

    private final Source src;
    private final Map<String, Entry> entries;

    private TorchZipReader(Source src) throws IOException {
        this.src = src;
        this.entries = centralDirectory(src);
    }

    /** The zip in {@code channel}, named {@code name} in messages; the channel stays the caller's. */
    static TorchZipReader of(String name, FileChannel channel) throws IOException {
        return new TorchZipReader(new Source(name, channel));
    }

    /** A zip read through {@code input} (a file that is not local), which the caller closes. */
    static TorchZipReader of(String name, PositionalInput input) throws IOException {
        return new TorchZipReader(new Source(name, input));
    }

    /** The zip in {@code bytes}, named {@code name} in messages. */
    static TorchZipReader of(String name, byte[] bytes) throws IOException {
        return new TorchZipReader(new Source(name, bytes));
    }

    /** The file's name for messages. */
    String name() {
        return src.name;
    }

    /**
     * The archive folder's prefix ({@code "archive/"}, or {@code ""} for a zip without one): where
     * {@code data.pkl} is.
     *
     * @throws TorchFormatException if there is no {@code data.pkl} or no {@code version} beside it
     */
    String archivePrefix() {
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
        return prefix;
    }

    /**
     * The data of entry {@code name}, its CRC checked, little-endian.
     *
     * @return the bytes, or null if there is no such entry
     * @throws TorchFormatException if the entry is compressed, damaged or beyond the end
     */
    ByteBuffer entry(String name) throws IOException {
        Entry e = entries.get(name);
        return e == null ? null : data(src, e);
    }

    /** Bytes of a zip: a file channel (mapped per region) or an in-memory array. */
    private static final class Source {
        final String name;
        final FileChannel channel;
        final PositionalInput input;
        final byte[] array;
        final long size;

        Source(String name, FileChannel channel) throws IOException {
            this.name = name;
            this.channel = channel;
            this.input = null;
            this.array = null;
            this.size = channel.size();
        }

        Source(String name, PositionalInput input) throws IOException {
            this.name = name;
            this.channel = null;
            this.input = input;
            this.array = null;
            this.size = input.size();
        }

        Source(String name, byte[] array) {
            this.name = name;
            this.channel = null;
            this.input = null;
            this.array = array;
            this.size = array.length;
        }

        /** {@code length} bytes at {@code offset}, little-endian; checked against the size. */
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
            } else if (input != null) {
                b = ByteBuffer.allocate((int) length);
                try {
                    input.readFully(offset, b);
                } catch (EOFException e) {
                    throw new EOFException(name + ": unexpected end of file");
                }
                b.flip();
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
        Map<String, Entry> entries = new LinkedHashMap<>();
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
