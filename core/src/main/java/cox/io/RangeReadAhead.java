package cox.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads a remote file in large aligned ranges and keeps the last few, so the many small reads
 * of an HDF5 parser (a superblock, an object header, a chunk index, then rows) cost one request
 * per range rather than one each. A read larger than a range goes straight to the file. A range
 * that was short because the file ended then is fetched again when a read reaches past it (and
 * replaces the short one), so a file another process is appending to is read as it grows.
 *
 * <p>The ranges kept are valid while the file only grows. They are never checked against the
 * file again: a file replaced or rewritten in place while this is open may be read as a mix of
 * its two versions. The store reader looks at the file's size, time and key again at the end of
 * each look and looks again if they changed ({@link cox.io.internal.ReusedInput#unchanged}).
 * Thread-safe.
 */
final class RangeReadAhead implements PositionalInput {
    /** How many ranges are kept: enough for the head of a file, its chunk index and its rows. */
    private static final int KEPT = 4;

    private final PositionalInput file;
    private final int range;
    private final LongAdder requests;
    private final long[] starts = new long[KEPT];
    private final ByteBuffer[] kept = new ByteBuffer[KEPT];
    private int next;

    RangeReadAhead(PositionalInput file, int range, LongAdder requests) {
        this.file = file;
        this.range = range;
        this.requests = requests;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException(file.name() + ": negative position " + position);
        }
        if (dst.remaining() > range) {
            requests.increment();
            return file.read(position, dst);
        }
        long start = position - position % range;
        ByteBuffer r = rangeAt(start, position);
        if (r == null) {
            return -1;
        }
        int from = (int) (position - start);
        int n = Math.min(dst.remaining(), r.limit() - from);
        dst.put(dst.position(), r, from, n);
        dst.position(dst.position() + n);
        return n;
    }

    /** The range starting at {@code start}, holding {@code position} if the file does; null if the file ends before it. */
    private synchronized ByteBuffer rangeAt(long start, long position) throws IOException {
        for (int i = 0; i < KEPT; i++) {
            if (kept[i] != null && starts[i] == start && position < start + kept[i].limit()) {
                return kept[i];
            }
        }
        long size = file.size();
        if (position >= size) {
            return null;
        }
        ByteBuffer r = ByteBuffer.allocate((int) Math.min(range, size - start));
        requests.increment();
        file.readFully(start, r);
        r.flip();
        for (int i = 0; i < KEPT; i++) {
            if (kept[i] != null && starts[i] == start) {
                kept[i] = r; // the file grew past a short last range: the longer one replaces it
                return r;
            }
        }
        starts[next] = start;
        kept[next] = r;
        next = (next + 1) % KEPT;
        return r;
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
