package cox.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The end-of-file address of an HDF5 file's superblock (versions 0 and 1), found by parsing the
 * superblock as the HDF5 file format specification lays it out (the version, then the sizes of
 * offsets and lengths, then the base, free-space and end-of-file addresses), not at a fixed
 * offset: for tests that damage it as a flipped byte would.
 */
public final class H5Superblock {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private H5Superblock() {
    }

    /** Where the end-of-file address lies in {@code file}, and how many bytes it takes. */
    public record Field(long address, int size) {
    }

    /** How many end-of-file addresses {@link #endOfFileClaim} knows: the fuzz tests try each. */
    public static final int END_OF_FILE_CLAIMS = 10;

    /**
     * The {@code k}-th end-of-file address a damaged superblock may claim for a file of
     * {@code size} bytes: just past the end, gigabytes and terabytes past it, the largest long,
     * a random one, just short of the end, inside the superblock.
     *
     * @param k 0 to {@link #END_OF_FILE_CLAIMS} - 1
     * @param size the file's size
     * @param random for the random claims
     * @return the address
     */
    public static long endOfFileClaim(int k, long size, java.util.Random random) {
        return switch (k) {
            case 0 -> size + 1;
            case 1 -> size + 4096;
            case 2 -> size + 3_500_000_000L;
            case 3 -> 1L << 36;
            case 4 -> 1L << 40;
            case 5 -> 1L << 44;
            case 6 -> Long.MAX_VALUE;
            case 7 -> random.nextLong();
            case 8 -> size - 1;
            default -> 100 + random.nextInt(400);
        };
    }

    /** Finds the end-of-file address field of {@code file}'s superblock (at address 0). */
    public static Field endOfFileField(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 0);
            for (int i = 0; i < SIGNATURE.length; i++) {
                if (b.get(i) != SIGNATURE[i]) {
                    throw new AssertionError(file + " has no HDF5 signature at address 0");
                }
            }
            int version = b.get(8);
            if (version != 0 && version != 1) {
                throw new AssertionError(file + " has superblock version " + version);
            }
            int offsets = b.get(13);
            // signature 8, four versions 4, reserved 1... up to the group K values and flags: 24 bytes;
            // version 1 adds the indexed-storage K and 2 reserved bytes
            int fixed = version == 0 ? 24 : 28;
            // then: base address, free-space info address, end-of-file address
            return new Field(fixed + 2L * offsets, offsets);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
    }

    /** The end-of-file address {@code file}'s superblock holds. */
    public static long endOfFile(Path file) {
        Field f = endOfFileField(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b.limit(f.size()), f.address());
            return b.getLong(0);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e, e);
        }
    }

    /** Overwrites the end-of-file address of {@code file}'s superblock with {@code value}. */
    public static void setEndOfFile(Path file, long value) {
        Field f = endOfFileField(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            ch.write(b.limit(f.size()), f.address());
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file + ": " + e, e);
        }
    }
}
