package cox.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes the zip container of a torch.save file as torch's writer lays it out: stored
 * (uncompressed) entries whose data start at multiples of {@value #ALIGNMENT} bytes (padding in an
 * extra field {@code FB}), sizes and CRC in a data descriptor after the data, a zip64 end record.
 * Entries are written one after the other; not thread-safe.
 */
final class TorchZipWriter {
    /** Entry data start at multiples of this many bytes, as torch aligns them. */
    static final int ALIGNMENT = 64;
    static final int LOCAL_HEADER = 0x04034b50;
    static final int CENTRAL_HEADER = 0x02014b50;
    static final int DATA_DESCRIPTOR = 0x08074b50;
    static final int END = 0x06054b50;
    static final int END64 = 0x06064b50;
    static final int END64_LOCATOR = 0x07064b50;

    /** Writes an entry's bytes; a hook so tensors stream their bytes without copies. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final OutputStream out;
    private long pos;
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int count;

    TorchZipWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes one entry of {@code size} bytes that {@code body} writes.
     *
     * @throws IllegalStateException if the body writes another number of bytes (a bug)
     */
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

    /** Writes the central directory and the (zip64) end records; the zip is then complete. */
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
}
