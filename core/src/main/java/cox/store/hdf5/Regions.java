package cox.store.hdf5;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte ranges the structures read from a file occupy. Objects of an HDF5 file never share
 * bytes, so two ranges that overlap mean a damaged address (a chunk pointer that now points into
 * another chunk, or into a node); {@link #checkDisjoint} says so. Also adds up the bytes.
 */
final class Regions {
    private final List<long[]> ranges = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private long bytes;

    void add(long address, long length, String what) {
        if (length <= 0) {
            return;
        }
        ranges.add(new long[] {address, address + length, names.size()});
        names.add(what);
        bytes += length;
    }

    long bytes() {
        return bytes;
    }

    /** Fails if two ranges overlap, naming both. */
    void checkDisjoint(FileBytes f) {
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] a = ranges.get(i - 1);
            long[] b = ranges.get(i);
            if (b[0] < a[1]) {
                throw f.error(names.get((int) b[2]) + " at address " + b[0] + " overlaps " + names.get((int) a[2])
                        + " at address " + a[0] + " (" + (a[1] - a[0]) + " bytes)");
            }
        }
    }
}
