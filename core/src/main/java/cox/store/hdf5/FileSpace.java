package cox.store.hdf5;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The space of an HDF5 file being written: new objects are allocated at the end, one after the
 * other, and never where another object is or was while the file is open (a reader may still be
 * reading there); bytes are written at an address with one positional write each.
 *
 * <p>The superblock's end-of-file address (EOA) is what a reader may read up to. The HDF5 library
 * takes the file's length when it opens the file and refuses it if the EOA it then reads is larger;
 * and it refuses to read beyond the EOA it read. So the EOA is raised only over file length that has
 * existed for at least the publication delay ({@link #publishEnd}), and an object may be linked in
 * only the delay after an EOA covering it was published ({@link #coveredAt}). To keep that from
 * delaying rows, the file is kept somewhat longer than its objects ({@link #extend}).
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class FileSpace {
    /** Means "long ago": the time of a length or EOA no reader can have seen change. */
    static final long LONG_AGO = Long.MIN_VALUE / 4;

    private final Path path;
    private final FileChannel channel;
    private final long endOfFileField;
    private final long delay;
    private final Ticker ticker;
    private long end;
    private long published;
    private long length;
    /** {length, time}: the file reached that length then (increasing; times of the ticker). */
    private final ArrayDeque<long[]> lengths = new ArrayDeque<>();
    /** {eoa, time}: that EOA was published then (increasing). */
    private final ArrayDeque<long[]> publications = new ArrayDeque<>();

    /**
     * @param end where allocation starts (the end of every object in the file)
     * @param published the end-of-file address the superblock holds now
     * @param lengthSince when the file reached its current length ({@link #LONG_AGO} if no reader can have seen it shorter)
     * @param delay the publication delay, in nanoseconds
     * @param ticker the time source of {@code lengthSince} and of the times given to {@link #publishEnd}
     */
    FileSpace(Path path, FileChannel channel, long endOfFileField, long end, long published, long lengthSince,
            long delay, Ticker ticker) {
        this.path = path;
        this.channel = channel;
        this.endOfFileField = endOfFileField;
        this.end = end;
        this.published = published;
        this.delay = delay;
        this.ticker = ticker;
        try {
            this.length = channel.size();
        } catch (IOException e) {
            throw io("cannot read the length of", e);
        }
        lengths.add(new long[] {length, lengthSince});
        publications.add(new long[] {published, LONG_AGO});
    }

    Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    /** Reserves {@code bytes} bytes at the end and returns their address. */
    long allocate(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
        long at = end;
        end += bytes;
        return at;
    }

    /** The end of the allocated space. */
    long end() {
        return end;
    }

    /** The end-of-file address the superblock holds. */
    long published() {
        return published;
    }

    void write(long address, byte[] bytes) {
        write(address, ByteBuffer.wrap(bytes));
    }

    void write(long address, ByteBuffer bytes) {
        try {
            long at = address;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
            grew(at);
        } catch (IOException e) {
            throw io("cannot write to", e);
        }
    }

    private void grew(long to) {
        if (to > length) {
            length = to;
            lengths.add(new long[] {to, ticker.read()});
        }
    }

    void writeLong(long address, long value) {
        write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    void writeShort(long address, int value) {
        write(address, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) value));
    }

    void writeInt(long address, int value) {
        write(address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /**
     * Makes the file at least {@code end() + slack} bytes long (the tail reads as zeros), so that
     * objects allocated later land in length that has long existed.
     */
    void extend(long slack) {
        long want = end + slack;
        if (length < want) {
            write(want - 1, new byte[1]);
        }
    }

    /**
     * Raises the superblock's end-of-file address as far as allowed at {@code now}: to the end of
     * the allocated space, but not beyond a length the file has had for the delay.
     *
     * @return whether it changed
     */
    boolean publishEnd(long now) {
        // the longest length the file has had for the delay; older entries are no longer needed
        while (lengths.size() > 1 && secondOf(lengths)[1] <= now - delay) {
            lengths.pollFirst();
        }
        long[] first = lengths.peekFirst();
        long eligible = first[1] <= now - delay ? first[0] : 0;
        long target = Math.min(end, eligible);
        if (target <= published) {
            return false;
        }
        writeLong(endOfFileField, target);
        published = target;
        // keep the first publication (what existed at open) and the recent ones: older ones only
        // make coveredAt answer later, which is safe
        while (publications.size() > 2 && secondOf(publications)[1] < now - 4 * delay) {
            long[] head = publications.pollFirst();
            publications.pollFirst();
            publications.addFirst(head);
        }
        publications.add(new long[] {target, now});
        return true;
    }

    private static long[] secondOf(ArrayDeque<long[]> q) {
        java.util.Iterator<long[]> it = q.iterator();
        it.next();
        return it.next();
    }

    /**
     * When the published end-of-file address first covered {@code requiredEnd}: the time it was
     * published, or if it is not yet, the earliest time it may be (the file has had the length for
     * the delay by then), or {@link Long#MAX_VALUE} if the file is not that long yet.
     */
    long coveredAt(long requiredEnd) {
        for (long[] p : publications) {
            if (p[0] >= requiredEnd) {
                return p[1];
            }
        }
        for (long[] l : lengths) {
            if (l[0] >= requiredEnd) {
                return l[1] + delay;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Whether the end-of-file address covers every allocated byte. */
    boolean endPublished() {
        return published >= end;
    }

    /** Cuts the file to the allocated space (the slack), once the end-of-file address covers all of it. */
    void trim() {
        try {
            if (published >= end && channel.size() > end) {
                channel.truncate(end);
                length = end;
            }
        } catch (IOException e) {
            throw io("cannot truncate", e);
        }
    }

    /** Forces written bytes to the device. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw io("cannot fsync", e);
        }
    }

    private CoxIOException io(String what, IOException e) {
        return new CoxIOException(what + " " + path + ": " + e.getMessage(), e);
    }
}
