package cox.store.hdf5;

import cox.exceptions.StoreFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset {@code /NAME/table} of a frame table as it sits in the file: its header and the
 * places in it that an append changes (extent, {@code NROWS}, chunk index root), its row type and
 * chunk shape, and the chunks holding its rows. Read with every count and address checked: every
 * chunk the extent covers must be in the index, whole and unfiltered, so a damaged extent or
 * index is an error rather than rows of zeros.
 */
final class TableDataset {
    final long header;
    final ObjectHeader objectHeader;
    final Datatype.Compound rowType;
    final List<Attribute> attributes;
    final long extent;
    final long chunkRows;
    final int rowSize;
    /** Address of the extent (the first dimension of the dataspace message). */
    final long extentField;
    /** Address of the NROWS attribute's value, or -1. */
    final long nrowsField;
    /** Address of the layout message's chunk-index address. */
    final long indexRootField;
    /** The chunk index, or null when no chunk was written. */
    final ChunkIndex index;
    /** Address of chunk {@code i}, for each chunk the extent covers (and any indexed beyond it). */
    final long[] chunkAddress;
    /** A feature outside what cox4j reads itself (a filter, another layout): the reason, or null. */
    final String unsupported;
    /** The end of the last chunk or rightmost index node: where a writer may allocate from. */
    final long end;

    private TableDataset(long header, ObjectHeader objectHeader, Datatype.Compound rowType, List<Attribute> attributes,
            long extent, long chunkRows, int rowSize, long extentField, long nrowsField, long indexRootField,
            ChunkIndex index, long[] chunkAddress, String unsupported, long end) {
        this.header = header;
        this.objectHeader = objectHeader;
        this.rowType = rowType;
        this.attributes = attributes;
        this.extent = extent;
        this.chunkRows = chunkRows;
        this.rowSize = rowSize;
        this.extentField = extentField;
        this.nrowsField = nrowsField;
        this.indexRootField = indexRootField;
        this.index = index;
        this.chunkAddress = chunkAddress;
        this.unsupported = unsupported;
        this.end = end;
    }

    /** Bytes of one chunk. */
    long chunkBytes() {
        return chunkRows * rowSize;
    }

    /** Chunks that hold {@code rows} rows. */
    long chunksFor(long rows) {
        return (rows + chunkRows - 1) / chunkRows;
    }

    /**
     * Reads the dataset whose header is at {@code address}.
     *
     * @param what the dataset, for messages ({@code "table 'results' (dataset /results/table)"})
     */
    static TableDataset read(FileBytes f, Superblock sb, long address, String what) {
        return read(f, sb, address, what, true, null);
    }

    /**
     * @param wholeIndex read the whole chunk index (a writer about to append); else only the
     *     chunks the extent covers (a reader, while a writer may be adding chunks beyond it)
     */
    static TableDataset read(FileBytes f, Superblock sb, long address, String what, boolean wholeIndex,
            Regions regions) {
        ObjectHeader h = ObjectHeader.read(f, address, what);
        if (regions != null) {
            h.addTo(regions);
        }
        Datatype.Compound rowType = null;
        Dataspace space = null;
        long extentField = -1;
        long indexRootField = -1;
        long root = Superblock.UNDEFINED;
        long[] chunkDims = null;
        String unsupported = null;
        boolean filtered = false;
        List<Attribute> attributes = new ArrayList<>();
        for (ObjectHeader.Message m : h.messages) {
            switch (m.type()) {
                case ObjectHeader.DATATYPE: {
                    if ((m.flags() & ObjectHeader.FLAG_SHARED) != 0) {
                        throw f.unsupported(what + " has a shared (committed) datatype, which cox4j does not read");
                    }
                    Datatype t = ParseCache.ROW_TYPES.get(m.buffer());
                    if (t == null) {
                        t = Datatype.read(m.buffer(), f, what);
                        ParseCache.ROW_TYPES.put(m.buffer(), t);
                    }
                    if (!(t instanceof Datatype.Compound c)) {
                        throw f.error(what + " holds " + t.describe() + ", not table rows (a compound type)");
                    }
                    rowType = c;
                    break;
                }
                case ObjectHeader.DATASPACE:
                    space = Dataspace.read(m.buffer(), f, what);
                    extentField = m.dataAddress() + (m.buffer().get(0) == 1 ? Dataspace.V1_DIMS_OFFSET : 4);
                    break;
                case ObjectHeader.LAYOUT: {
                    java.nio.ByteBuffer b = m.buffer();
                    if (b.limit() < 2) {
                        throw f.error(what + ": layout message is cut short");
                    }
                    int version = b.get(0) & 0xff;
                    int layoutClass = b.get(1) & 0xff;
                    if (version != 3 || layoutClass != 2) {
                        unsupported = version != 3 ? "layout message version " + version
                                : layoutClass == 1 ? "contiguous storage" : "layout class " + layoutClass;
                        chunkDims = null;
                        break;
                    }
                    if (b.limit() < 3 + 8 + 8) {
                        throw f.error(what + ": layout message is cut short");
                    }
                    int ndims = b.get(2) & 0xff;
                    if (ndims != 2 || b.limit() < 3 + 8 + 4 * ndims) {
                        throw f.error(what + ": chunk layout of " + ndims + " dimensions; a table has 2 (rows, bytes)");
                    }
                    root = b.getLong(3);
                    indexRootField = m.dataAddress() + 3;
                    chunkDims = new long[] {Integer.toUnsignedLong(b.getInt(11)), Integer.toUnsignedLong(b.getInt(15))};
                    break;
                }
                case ObjectHeader.FILTER_PIPELINE:
                    unsupported = "filter pipeline " + filterNames(m, f, what);
                    filtered = true;
                    break;
                case ObjectHeader.ATTRIBUTE:
                    attributes.add(Attribute.read(m, f, what));
                    break;
                case ObjectHeader.EXTERNAL_FILES:
                    throw f.error(what + " stores its rows in external files");
                case ObjectHeader.ATTRIBUTE_INFO:
                    throw f.unsupported(what + " keeps attributes in dense storage (HDF5's \"latest\" format)");
                default:
                    break;
            }
        }
        if (rowType == null || space == null) {
            throw f.error(what + " has no " + (rowType == null ? "datatype" : "dataspace") + " message");
        }
        if (space.kind() != Dataspace.SIMPLE || space.dims().length != 1) {
            throw f.error(what + " is not one-dimensional");
        }
        long extent = space.dims()[0];
        if (extent < 0) {
            throw f.error(what + " has extent " + Long.toUnsignedString(extent));
        }
        long nrowsField = -1;
        for (Attribute a : attributes) {
            if (a.name().equals("NROWS")) {
                Long n = a.int64();
                if (n == null) {
                    throw f.error(what + ": attribute NROWS is not an int64");
                }
                if (n != extent) {
                    // also the instant between a writer's two writes, the extent and then NROWS: the
                    // store layer's reader opens again (docs/live-reads.md)
                    throw f.error(what + ": attribute NROWS says " + n + " rows but the dataset's extent is "
                            + extent);
                }
                nrowsField = a.dataAddress();
            }
        }
        if (unsupported != null) {
            if (filtered && chunkDims != null) {
                checkFiltered(f, sb, what, rowType.size(), extent, chunkDims, root, wholeIndex, regions);
            }
            return new TableDataset(address, h, rowType, attributes, extent, 0, rowType.size(), extentField,
                    nrowsField, -1, null, null, unsupported, 0);
        }
        if (chunkDims == null) {
            throw f.error(what + " has no layout message");
        }
        long chunkRows = chunkDims[0];
        if (chunkDims[1] != rowType.size() || chunkRows == 0 || chunkRows * rowType.size() > Integer.MAX_VALUE) {
            throw f.error(what + ": chunks of " + chunkRows + " rows of " + chunkDims[1] + " bytes do not fit rows of "
                    + rowType.size() + " bytes");
        }
        long chunkBytes = chunkRows * rowType.size();
        long needed = extent / chunkRows + (extent % chunkRows == 0 ? 0 : 1); // cannot overflow
        if (needed > f.length() / chunkBytes + 1) {
            throw f.error(what + " claims " + extent + " rows; the file holds at most "
                    + (f.length() / chunkBytes * chunkRows) + " in its " + chunkBytes + "-byte chunks");
        }
        ChunkIndex index = null;
        long[] addresses = new long[0]; // the chunks the index lists, never a size a field claims
        if (root != Superblock.UNDEFINED) {
            index = ChunkIndex.read(f, sb.chunkK(), root, 2, what,
                    wholeIndex ? null : new long[] {needed * chunkRows, 0}, regions);
            List<Long> all = new ArrayList<>();
            for (ChunkIndex.Chunk c : index.chunks) {
                long row = c.offsets()[0];
                if (row % chunkRows != 0 || c.offsets()[1] != 0) {
                    throw f.error(what + ": chunk index lists a chunk at row " + row + ", byte " + c.offsets()[1]
                            + ", not on a chunk boundary of " + chunkRows + " rows");
                }
                if (c.size() != chunkBytes || c.filterMask() != 0) {
                    throw f.error(what + ": chunk at row " + row + " has " + c.size() + " bytes (mask "
                            + c.filterMask() + "); unfiltered chunks have " + chunkBytes);
                }
                long i = row / chunkRows;
                if (i != all.size()) {
                    throw f.error(what + ": chunk index has no chunk for rows " + all.size() * chunkRows + " to "
                            + ((all.size() + 1) * chunkRows - 1));
                }
                if (all.size() < needed) {
                    if (c.address() + chunkBytes > sb.endOfFile()
                            && (wholeIndex || !withinFile(f, c.address(), chunkBytes))) {
                        throw f.error(what + ": chunk at row " + row + " (address " + c.address() + ") lies beyond the"
                                + " file's end-of-file address " + sb.endOfFile());
                    }
                    if (regions != null) {
                        regions.add(c.address(), chunkBytes, "chunk of " + what + " at row " + row);
                    }
                }
                all.add(c.address());
            }
            if (all.size() < needed) {
                throw f.error(what + " has " + extent + " rows but its chunk index ends at row "
                        + all.size() * chunkRows);
            }
            addresses = new long[all.size()];
            for (int i = 0; i < addresses.length; i++) {
                addresses[i] = all.get(i);
            }
        } else if (needed > 0) {
            throw f.error(what + " has " + extent + " rows but no chunk index");
        }
        long end = 0;
        if (index != null) {
            for (ChunkIndex.PathNode p : index.rightmost) {
                end = Math.max(end, p.address() + ChunkIndex.nodeSize(sb.chunkK(), 2));
            }
            for (long a : addresses) {
                end = Math.max(end, a + chunkBytes);
            }
        }
        return new TableDataset(address, h, rowType, attributes, extent, chunkRows, rowType.size(), extentField,
                nrowsField, indexRootField, index, addresses, null, end);
    }

    /**
     * Checks what a table whose chunks are filtered (compressed) claims, before jHDF reads it: its
     * chunk shape ({@link FormatLimits#chunkShapeProblem}), and its chunk index (every node and
     * chunk inside the file, chunks on chunk boundaries, one for every chunk the extent covers).
     */
    private static void checkFiltered(FileBytes f, Superblock sb, String what, int rowSize, long extent, long[] chunkDims,
            long root, boolean wholeIndex, Regions regions) {
        long chunkRows = chunkDims[0];
        if (chunkDims[1] != rowSize) {
            throw f.error(what + ": chunks of " + chunkRows + " rows of " + chunkDims[1] + " bytes do not fit rows of "
                    + rowSize + " bytes");
        }
        String problem = FormatLimits.chunkShapeProblem(chunkRows, rowSize, extent);
        if (problem != null) {
            throw f.error(what + " has " + problem);
        }
        long needed = extent / chunkRows + (extent % chunkRows == 0 ? 0 : 1);
        if (root == Superblock.UNDEFINED) {
            if (needed > 0) {
                throw f.error(what + " has " + extent + " rows but no chunk index");
            }
            return;
        }
        ChunkIndex index = ChunkIndex.read(f, sb.chunkK(), root, 2, what,
                wholeIndex ? null : new long[] {Math.multiplyHigh(needed, chunkRows) != 0 ? -1L : needed * chunkRows, 0},
                regions);
        long listed = 0;
        for (ChunkIndex.Chunk c : index.chunks) {
            long row = c.offsets()[0];
            if (row % chunkRows != 0 || c.offsets()[1] != 0) {
                throw f.error(what + ": chunk index lists a chunk at row " + Long.toUnsignedString(row) + ", byte "
                        + c.offsets()[1] + ", not on a chunk boundary of " + chunkRows + " rows");
            }
            if (listed < needed) {
                if (row / chunkRows != listed) {
                    throw f.error(what + ": chunk index has no chunk for rows " + listed * chunkRows + " to "
                            + ((listed + 1) * chunkRows - 1));
                }
                if (regions != null) {
                    regions.add(c.address(), c.size(), "chunk of " + what + " at row " + row);
                }
            }
            listed++;
        }
        if (listed < needed) {
            throw f.error(what + " has " + extent + " rows but its chunk index ends at row " + listed * chunkRows);
        }
    }

    /**
     * Whether a chunk past the end-of-file address read at open lies inside the file as it is now:
     * a reader of a large file reads the headers lazily, so a table's header may be newer than its
     * superblock (docs/live-reads.md); the chunk data was written before the index that lists it.
     */
    private static boolean withinFile(FileBytes f, long address, long bytes) {
        try {
            f.check(address, bytes, "chunk");
            return true;
        } catch (StoreFormatException e) {
            return false;
        }
    }

    private static String filterNames(ObjectHeader.Message m, FileBytes f, String what) {
        java.nio.ByteBuffer b = m.buffer();
        if (b.limit() < 2) {
            return "(cut short)";
        }
        int version = b.get(0) & 0xff;
        int n = b.get(1) & 0xff;
        StringBuilder names = new StringBuilder();
        int p = version == 1 ? 8 : 2;
        for (int i = 0; i < n && p + 8 <= b.limit(); i++) {
            int id = Short.toUnsignedInt(b.getShort(p));
            int nameLength = 0;
            if (version == 1 || id >= 256) {
                nameLength = Short.toUnsignedInt(b.getShort(p + 2));
            }
            int clientValues = Short.toUnsignedInt(b.getShort(p + (version == 1 || id >= 256 ? 6 : 4)));
            int q = p + (version == 1 || id >= 256 ? 8 : 6);
            q += version == 1 ? (nameLength + 7) & ~7 : nameLength;
            q += 4 * clientValues;
            if (version == 1 && clientValues % 2 == 1) {
                q += 4;
            }
            names.append(names.length() > 0 ? ", " : "").append(filterName(id));
            p = q;
        }
        return "(" + names + ")";
    }

    private static String filterName(int id) {
        switch (id) {
            case 1:
                return "deflate (zlib)";
            case 2:
                return "shuffle";
            case 3:
                return "fletcher32";
            case 4:
                return "szip";
            case 5:
                return "nbit";
            case 6:
                return "scaleoffset";
            case 305:
                return "lzo";
            case 307:
                return "bzip2";
            case 32001:
                return "blosc";
            case 32026:
                return "blosc2";
            default:
                return "filter " + id;
        }
    }
}
