package cox.store.hdf5;

import java.util.ArrayList;
import java.util.List;

/**
 * The limits of the file format that bound what a {@code store.h5} can hold and what cox4j reads
 * from one: the size of an HDF5 object header message (which holds each attribute of a frame table,
 * and its row type) and the size of a chunk (PyTables' own choice, and what cox4j reads as one).
 * Writers check a table against them before it exists ({@link #checkFits}); readers check what a
 * file claims ({@link #chunkShapeProblem}). Not part of the cox4j API.
 */
public final class FormatLimits {
    /** The most bytes an object header message of this format holds (its size field has 16 bits). */
    public static final int MAX_MESSAGE_BYTES = 0xFFF8;
    /**
     * The largest chunk PyTables chooses for a table: {@code calc_chunksize} caps the expected size
     * at 10 TB, which gives 8 KiB &times; 2<sup>7</sup> &times; 8 bytes. pandas passes no chunk shape
     * of its own, so a pandas table's chunks hold at most this, or one row if a row is larger.
     */
    static final long PYTABLES_MAX_CHUNK_BYTES = 8L << 20;
    /**
     * The largest chunk cox4j reads from a table it did not lay out itself, whatever its extent:
     * eight times PyTables' largest. A compressed chunk is inflated whole in memory.
     */
    static final long MAX_CHUNK_BYTES = 64L << 20;

    private FormatLimits() {
    }

    /**
     * An object header message a table needs: an attribute by name, or {@code "row type"}.
     *
     * @param name what the message holds
     * @param bytes its size
     */
    public record HeaderMessage(String name, int bytes) {
    }

    /**
     * The largest object header message a table of these columns needs, as {@link PandasStoreFile}
     * writes it: the largest of its group's and dataset's attributes and its row type.
     *
     * @param name the table name
     * @param columns its columns, in order (may be empty: the table name's share alone)
     * @param stringWidth the width of its string block, at least 1
     * @return that message's name and size
     */
    public static HeaderMessage largestMessage(String name, List<FrameColumn> columns, int stringWidth) {
        BlockLayout layout = BlockLayout.forColumns(columns, stringWidth);
        HeaderMessage largest = new HeaderMessage("row type", PandasAttributes.rowType(layout).encode().length);
        List<Attribute> all = new ArrayList<>(PandasAttributes.group(name, columns, layout));
        all.addAll(PandasAttributes.dataset(columns, layout, 0));
        for (Attribute a : all) {
            int size = a.encode().length;
            if (size > largest.bytes()) {
                largest = new HeaderMessage(a.name(), size);
            }
        }
        return largest;
    }

    /**
     * Checks that a table of these columns fits the format: every attribute of its group and
     * dataset, and its row type, must fit a version-1 object header message (64 KiB).
     *
     * @param name the table name
     * @param columns its columns, in order
     * @param stringWidth the width of its string block, at least 1
     * @throws IllegalArgumentException naming the limit if not
     */
    public static void checkFits(String name, List<FrameColumn> columns, int stringWidth) {
        HeaderMessage largest = largestMessage(name, columns, stringWidth);
        if (largest.bytes() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("table '" + name + "' with " + columns.size() + " columns does not fit"
                    + " store.h5: its " + largest.name() + " would take " + largest.bytes() + " bytes, more than the "
                    + MAX_MESSAGE_BYTES + " an HDF5 object header message holds");
        }
    }

    /**
     * Why a table's chunks of {@code chunkRows} rows of {@code rowSize} bytes, under an extent of
     * {@code extent} rows, are not to be read, or null if they may be: a chunk may hold no more
     * rows than the extent or than PyTables' largest chunk ({@link #PYTABLES_MAX_CHUNK_BYTES}; at
     * least one row), whichever is more, and no more than {@link #MAX_CHUNK_BYTES} in any case. A
     * chunk is read (and, compressed, inflated) whole, so its claimed size is what memory it takes.
     */
    static String chunkShapeProblem(long chunkRows, long rowSize, long extent) {
        if (chunkRows <= 0 || rowSize <= 0) {
            return "chunks of " + chunkRows + " rows of " + rowSize + " bytes";
        }
        long pytables = Math.max(1, PYTABLES_MAX_CHUNK_BYTES / rowSize);
        long allowed = Math.max(extent, pytables);
        if (chunkRows > allowed) {
            return "chunks of " + chunkRows + " rows of " + rowSize + " bytes claimed, more than its extent of "
                    + extent + " rows and more than the " + pytables + " rows PyTables puts in a chunk of such rows";
        }
        if (Math.multiplyHigh(chunkRows, rowSize) != 0 || chunkRows * rowSize > MAX_CHUNK_BYTES) {
            return "chunks of " + chunkRows + " rows of " + rowSize + " bytes claimed, more than the " + MAX_CHUNK_BYTES
                    + " bytes cox4j reads as one chunk";
        }
        return null;
    }
}
