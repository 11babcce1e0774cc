package cox.store.hdf5;

import java.util.Arrays;

/** A growable little-endian byte array, for encoding HDF5 structures. Not thread-safe. */
final class Encoder {
    private byte[] bytes;
    private int size;

    Encoder() {
        this(64);
    }

    Encoder(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
        }
    }

    Encoder u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    Encoder u16(int v) {
        ensure(2);
        bytes[size++] = (byte) v;
        bytes[size++] = (byte) (v >>> 8);
        return this;
    }

    Encoder u32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    Encoder u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    Encoder bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    Encoder bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
        return this;
    }

    Encoder zeros(int n) {
        ensure(n);
        size += n;
        return this;
    }

    /** Pads with zeros to a multiple of 8 bytes. */
    Encoder pad8() {
        return zeros((8 - (size & 7)) & 7);
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }
}
