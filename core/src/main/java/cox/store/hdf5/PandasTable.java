package cox.store.hdf5;

import static hdf.hdf5lib.HDF5Constants.H5P_DATASET_CREATE;
import static hdf.hdf5lib.HDF5Constants.H5P_DEFAULT;
import static hdf.hdf5lib.HDF5Constants.H5S_SELECT_SET;
import static hdf.hdf5lib.HDF5Constants.H5S_UNLIMITED;
import static hdf.hdf5lib.HDF5Constants.H5T_ARRAY;
import static hdf.hdf5lib.HDF5Constants.H5T_BITFIELD;
import static hdf.hdf5lib.HDF5Constants.H5T_COMPOUND;
import static hdf.hdf5lib.HDF5Constants.H5T_CSET_ASCII;
import static hdf.hdf5lib.HDF5Constants.H5T_C_S1;
import static hdf.hdf5lib.HDF5Constants.H5T_FLOAT;
import static hdf.hdf5lib.HDF5Constants.H5T_IEEE_F64LE;
import static hdf.hdf5lib.HDF5Constants.H5T_INTEGER;
import static hdf.hdf5lib.HDF5Constants.H5T_ORDER_BE;
import static hdf.hdf5lib.HDF5Constants.H5T_SGN_NONE;
import static hdf.hdf5lib.HDF5Constants.H5T_STD_B8LE;
import static hdf.hdf5lib.HDF5Constants.H5T_STD_I64LE;
import static hdf.hdf5lib.HDF5Constants.H5T_STRING;
import static hdf.hdf5lib.HDF5Constants.H5T_STR_NULLTERM;

import cox.exceptions.StoreFormatException;
import cox.pickle.PythonGlobal;
import cox.store.hdf5.BlockLayout.Kind;
import cox.store.hdf5.BlockLayout.Member;
import hdf.hdf5lib.H5;
import hdf.hdf5lib.exceptions.HDF5Exception;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pandas frame table in a {@link PandasStoreFile}: the group {@code /NAME} with pandas'
 * attributes and the PyTables table {@code /NAME/table}. Appends rows, widening the string block
 * when a value needs more room, and reads row ranges into column arrays.
 *
 * <p>Cells are Java values already checked against the schema: {@code Long} for INT,
 * {@code Double} for FLOAT, {@code Boolean} for BOOL and {@code String} for the text types.
 * Every method takes the process-wide HDF5 lock. Not part of the cox4j API.
 */
public final class PandasTable {
    private static final int CHUNK_BYTES = 65520;
    private static final int COPY_ROWS = 65536;
    /** COX_DATA names these types by the Python builtin class; the object types by a marker string. */
    private static final List<String> BUILTIN_TYPES = List.of("int", "float", "str", "bool");

    private final PandasStoreFile file;
    private final String name;
    private final List<FrameColumn> columns;
    private BlockLayout layout;
    private long nrows;
    private long chunkRows;
    /** A new table lives under {@link #unpublishedName} until its first rows are on disk. */
    private boolean unpublished;
    private long groupId = -1;
    private long datasetId = -1;
    private long typeId = -1;
    private boolean hasIndexChecked;

    private PandasTable(PandasStoreFile file, String name, List<FrameColumn> columns, BlockLayout layout, long nrows) {
        this.file = file;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.layout = layout;
        this.nrows = nrows;
    }

    /** @return the table (group) name */
    public String name() {
        return name;
    }

    /** @return the columns in order: how each is stored, and its COX_DATA type when the table has one */
    public List<FrameColumn> columns() {
        return columns;
    }

    /** @return rows in the table */
    public long nrows() {
        Hdf5Library.LOCK.lock();
        try {
            return nrows;
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    /** @return the byte width of the string block, or 0 if the table has no text column */
    public int stringWidth() {
        Member m = layout.stringMember();
        return m == null ? 0 : m.elementSize;
    }

    // ---------------------------------------------------------------- create

    static PandasTable create(PandasStoreFile file, String name, List<FrameColumn> columns, int stringWidth) {
        BlockLayout layout = BlockLayout.forColumns(columns, stringWidth);
        PandasTable t = new PandasTable(file, name, columns, layout, 0);
        try {
            // made under a hidden name and linked as NAME by the first append, once its first rows are flushed
            t.groupId = H5.H5Gcreate(file.fileId(), unpublishedName(name), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
            t.unpublished = true;
            t.writeGroupAttributes();
            t.typeId = fileType(layout);
            t.datasetId = createDataset(t.groupId, "table", t.typeId, layout, 0);
            t.chunkRows = chunkRows(layout);
            t.writeDatasetAttributes(t.datasetId);
            return t;
        } catch (HDF5Exception e) {
            t.closeHandles();
            throw t.error("cannot create", e);
        }
    }

    private void writeGroupAttributes() throws HDF5Exception {
        List<String> columnNames = names();
        List<Object> valuesCols = new ArrayList<>();
        Map<Object, Object> info = new LinkedHashMap<>();
        Map<Object, Object> indexInfo = new LinkedHashMap<>();
        List<Object> names = new ArrayList<>();
        names.add(null);
        indexInfo.put("names", names);
        indexInfo.put("type", "Index");
        info.put(1, indexInfo);
        info.put("index", new LinkedHashMap<>());
        for (Member m : layout.members) {
            if (m.isBlock()) {
                valuesCols.add(m.name);
                info.put(m.name, new LinkedHashMap<>());
            }
        }
        Map<Object, Object> coxSchema = new LinkedHashMap<>();
        for (FrameColumn c : columns) {
            coxSchema.put(c.name(), BUILTIN_TYPES.contains(c.coxType()) ? new PythonGlobal("builtins", c.coxType())
                    : c.coxType());
        }
        Map<Object, Object> coxData = new LinkedHashMap<>();
        coxData.put("schema", coxSchema);
        coxData.put("name", name);

        Attributes.writeString(groupId, "CLASS", "GROUP");
        Attributes.writePickle(groupId, "COX_DATA", coxData);
        Attributes.writeString(groupId, "TITLE", "");
        Attributes.writeString(groupId, "VERSION", "1.0");
        Attributes.writePickle(groupId, "data_columns", new ArrayList<>());
        Attributes.writeString(groupId, "encoding", "UTF-8");
        Attributes.writeString(groupId, "errors", "strict");
        Attributes.writePickle(groupId, "index_cols", List.of((Object) new Object[] {0, "index"}));
        Attributes.writePickle(groupId, "info", info);
        Attributes.writeLong(groupId, "levels", 1);
        Attributes.writeString(groupId, "nan_rep", "nan");
        Attributes.writePickle(groupId, "non_index_axes", List.of((Object) new Object[] {1, columnNames}));
        Attributes.writeString(groupId, "pandas_type", "frame_table");
        Attributes.writeString(groupId, "pandas_version", "0.15.2");
        Attributes.writeString(groupId, "table_type", "appendable_frame");
        Attributes.writePickle(groupId, "values_cols", valuesCols);
    }

    private void writeDatasetAttributes(long dataset) throws HDF5Exception {
        Attributes.writeString(dataset, "CLASS", "TABLE");
        for (int i = 0; i < layout.members.size(); i++) {
            Member m = layout.members.get(i);
            String field = "FIELD_" + i + "_";
            switch (m.kind) {
                case FLOAT64:
                    Attributes.writeDouble(dataset, field + "FILL", 0.0);
                    break;
                case BOOL:
                    Attributes.writeBool(dataset, field + "FILL", false);
                    break;
                case STRING:
                    Attributes.writeEmptyAscii(dataset, field + "FILL");
                    break;
                default:
                    Attributes.writeLong(dataset, field + "FILL", 0);
            }
            Attributes.writeString(dataset, field + "NAME", m.name);
        }
        Attributes.writeLong(dataset, "NROWS", nrows);
        Attributes.writeString(dataset, "TITLE", "");
        Attributes.writeString(dataset, "VERSION", "2.7");
        Attributes.writeString(dataset, "index_kind", "integer");
        List<String> columnNames = names();
        for (Member m : layout.members) {
            if (m.isBlock()) {
                List<String> kind = new ArrayList<>();
                for (int c : m.columns) {
                    kind.add(columnNames.get(c));
                }
                Attributes.writeString(dataset, m.name + "_dtype", m.dtype());
                Attributes.writePickle(dataset, m.name + "_kind", kind);
                Attributes.writePickle(dataset, m.name + "_meta", null);
            }
        }
    }

    private static long fileType(BlockLayout layout) throws HDF5Exception {
        long compound = H5.H5Tcreate(H5T_COMPOUND, layout.rowSize);
        for (Member m : layout.members) {
            long base;
            boolean closeBase = false;
            switch (m.kind) {
                case FLOAT64:
                    base = H5T_IEEE_F64LE;
                    break;
                case BOOL:
                    base = H5T_STD_B8LE;
                    break;
                case STRING:
                    base = H5.H5Tcopy(H5T_C_S1);
                    closeBase = true;
                    H5.H5Tset_size(base, m.elementSize);
                    H5.H5Tset_strpad(base, H5T_STR_NULLTERM);
                    H5.H5Tset_cset(base, H5T_CSET_ASCII);
                    break;
                case INT64:
                    base = H5T_STD_I64LE;
                    break;
                default:
                    throw new IllegalArgumentException("cox4j writes no " + m.kind.dtype + " members");
            }
            if (m.name.equals("index")) {
                H5.H5Tinsert(compound, m.name, m.offset, base);
            } else {
                long array = H5.H5Tarray_create(base, 1, new long[] {m.count});
                H5.H5Tinsert(compound, m.name, m.offset, array);
                H5.H5Tclose(array);
            }
            if (closeBase) {
                H5.H5Tclose(base);
            }
        }
        return compound;
    }

    private static long chunkRows(BlockLayout layout) {
        return Math.max(1, CHUNK_BYTES / layout.rowSize);
    }

    private static long chunkBytes(BlockLayout layout) {
        return chunkRows(layout) * layout.rowSize;
    }

    /** Chunks that {@code rows} rows occupy. */
    private static long chunks(BlockLayout layout, long rows) {
        return (rows + chunkRows(layout) - 1) / chunkRows(layout);
    }

    /** Where a new table waits, invisible to pandas, until its first rows are flushed. */
    static String unpublishedName(String name) {
        return "/" + PandasStoreFile.HIDDEN_PREFIX + "new_" + name;
    }

    private static long createDataset(long group, String name, long type, BlockLayout layout, long rows)
            throws HDF5Exception {
        long space = H5.H5Screate_simple(1, new long[] {rows}, new long[] {H5S_UNLIMITED});
        long dcpl = H5.H5Pcreate(H5P_DATASET_CREATE);
        try {
            H5.H5Pset_chunk(dcpl, 1, new long[] {chunkRows(layout)});
            return H5.H5Dcreate(group, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        } finally {
            H5.H5Pclose(dcpl);
            H5.H5Sclose(space);
        }
    }

    // ---------------------------------------------------------------- open

    /** The frame table in group {@code name}, or null if that group is not a pandas frame table. */
    static PandasTable open(PandasStoreFile file, String name) throws HDF5Exception {
        long fid = file.fileId();
        if (!H5.H5Lexists(fid, name + "/table", H5P_DEFAULT)) {
            return null;
        }
        long group = H5.H5Gopen(fid, name, H5P_DEFAULT);
        long dataset = -1;
        long type = -1;
        try {
            if (!"frame_table".equals(Attributes.readString(group, "pandas_type"))) {
                H5.H5Gclose(group);
                return null;
            }
            dataset = H5.H5Dopen(group, "table", H5P_DEFAULT);
            type = H5.H5Dget_type(dataset);
            List<String> columns = columnOrder(group, name);
            Map<String, String> coxTypes = coxTypes(group);
            List<Member> members = new ArrayList<>();
            Kind[] storedKind = new Kind[columns.size()];
            int n = H5.H5Tget_nmembers(type);
            for (int i = 0; i < n; i++) {
                String memberName = H5.H5Tget_member_name(type, i);
                int offset = (int) H5.H5Tget_member_offset(type, i);
                long mt = H5.H5Tget_member_type(type, i);
                try {
                    int count = 1;
                    long base = mt;
                    boolean closeBase = false;
                    if (H5.H5Tget_class(mt) == H5T_ARRAY) {
                        long[] dims = new long[H5.H5Tget_array_ndims(mt)];
                        H5.H5Tget_array_dims(mt, dims);
                        count = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
                        base = H5.H5Tget_super(mt);
                        closeBase = true;
                    }
                    Kind kind;
                    int size;
                    try {
                        size = (int) H5.H5Tget_size(base);
                        kind = kindOf(base, size, name, memberName);
                    } finally {
                        if (closeBase) {
                            H5.H5Tclose(base);
                        }
                    }
                    int[] cols;
                    if (memberName.equals("index")) {
                        cols = new int[0];
                    } else if (memberName.startsWith("values_block_")) {
                        Object kindAttr = Attributes.readPickle(dataset, memberName + "_kind");
                        if (!(kindAttr instanceof List<?> list) || list.size() != count) {
                            throw new IllegalArgumentException("table '" + name + "': attribute " + memberName
                                    + "_kind does not list the block's " + count + " columns");
                        }
                        cols = new int[count];
                        for (int e = 0; e < count; e++) {
                            cols[e] = columnIndex(columns, String.valueOf(list.get(e)), name);
                        }
                    } else {
                        if (count != 1) {
                            throw new IllegalArgumentException("table '" + name + "': data column '" + memberName
                                    + "' holds " + count + " values per row");
                        }
                        cols = new int[] {columnIndex(columns, memberName, name)};
                    }
                    for (int c : cols) {
                        storedKind[c] = kind;
                    }
                    members.add(new Member(memberName, offset, kind, size, count, cols));
                } finally {
                    H5.H5Tclose(mt);
                }
            }
            List<FrameColumn> frameColumns = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                String col = columns.get(c);
                if (storedKind[c] == null) {
                    throw new IllegalArgumentException("table '" + name + "': column '" + col + "' is in no member");
                }
                frameColumns.add(new FrameColumn(col, storedKind[c].columnKind(), coxTypes.get(col)));
            }
            BlockLayout layout = new BlockLayout(members, columns.size(), (int) H5.H5Tget_size(type));
            // PyTables counts a table's rows by its extent (not NROWS), and so do we
            PandasTable t = new PandasTable(file, name, frameColumns, layout, extent(dataset));
            long dcpl = H5.H5Dget_create_plist(dataset);
            try {
                long[] chunk = new long[1];
                H5.H5Pget_chunk(dcpl, 1, chunk);
                t.chunkRows = chunk[0];
            } finally {
                H5.H5Pclose(dcpl);
            }
            t.groupId = group;
            t.datasetId = dataset;
            t.typeId = type;
            return t;
        } catch (RuntimeException e) {
            if (type >= 0) {
                H5.H5Tclose(type);
            }
            if (dataset >= 0) {
                H5.H5Dclose(dataset);
            }
            H5.H5Gclose(group);
            throw e;
        }
    }

    private static List<String> columnOrder(long group, String table) throws HDF5Exception {
        Object axes = Attributes.readPickle(group, "non_index_axes");
        if (axes instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Object[] tuple
                && tuple.length == 2 && tuple[1] instanceof List<?> cols) {
            List<String> columns = new ArrayList<>();
            for (Object c : cols) {
                columns.add(String.valueOf(c));
            }
            return columns;
        }
        throw new IllegalArgumentException("table '" + table + "': attribute non_index_axes is not [(1, [columns])]");
    }

    /** Column name to the type name COX_DATA records for it (a builtin class's name or a marker string). */
    private static Map<String, String> coxTypes(long group) throws HDF5Exception {
        Map<String, String> types = new LinkedHashMap<>();
        Object coxData = Attributes.readPickle(group, "COX_DATA");
        if (coxData instanceof Map<?, ?> map && map.get("schema") instanceof Map<?, ?> schema) {
            for (Map.Entry<?, ?> e : schema.entrySet()) {
                Object t = e.getValue();
                types.put(String.valueOf(e.getKey()), t instanceof PythonGlobal g ? g.name() : String.valueOf(t));
            }
        }
        return types;
    }

    private static int columnIndex(List<String> columns, String col, String table) {
        int i = columns.indexOf(col);
        if (i < 0) {
            throw new IllegalArgumentException("table '" + table + "': column '" + col
                    + "' is stored but not listed in non_index_axes " + columns);
        }
        return i;
    }

    private static Kind kindOf(long type, int size, String table, String member) throws HDF5Exception {
        int cls = H5.H5Tget_class(type);
        if (size > 1 && cls != H5T_STRING && H5.H5Tget_order(type) == H5T_ORDER_BE) {
            throw new IllegalArgumentException("table '" + table + "': member '" + member + "' is big-endian");
        }
        if (cls == H5T_STRING) {
            if (H5.H5Tis_variable_str(type)) {
                throw new IllegalArgumentException("table '" + table + "': member '" + member
                        + "' holds variable-length strings");
            }
            return Kind.STRING;
        }
        if (cls == H5T_BITFIELD && size == 1) {
            return Kind.BOOL;
        }
        if (cls == H5T_FLOAT) {
            if (size == 8) {
                return Kind.FLOAT64;
            }
            if (size == 4) {
                return Kind.FLOAT32;
            }
        }
        if (cls == H5T_INTEGER) {
            boolean unsigned = H5.H5Tget_sign(type) == H5T_SGN_NONE;
            switch (size) {
                case 8:
                    if (!unsigned) {
                        return Kind.INT64;
                    }
                    break;
                case 4:
                    return unsigned ? Kind.UINT32 : Kind.INT32;
                case 2:
                    return unsigned ? Kind.UINT16 : Kind.INT16;
                case 1:
                    return unsigned ? Kind.UINT8 : Kind.INT8;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("table '" + table + "': member '" + member + "' has an HDF5 type cox4j"
                + " cannot read (class " + cls + ", " + size + " bytes)");
    }

    private static long extent(long dataset) throws HDF5Exception {
        long space = H5.H5Dget_space(dataset);
        try {
            long[] dims = new long[1];
            H5.H5Sget_simple_extent_dims(space, dims, null);
            return dims[0];
        } finally {
            H5.H5Sclose(space);
        }
    }

    // ---------------------------------------------------------------- append

    /**
     * Appends rows after the last one, numbering their {@code index} on from {@link #nrows()};
     * widens the string block first if a text cell is longer than it.
     *
     * @param rows cells in schema order
     */
    public void append(List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        file.checkWritable();
        Hdf5Library.LOCK.lock();
        try {
            checkAppendable();
            dropStaleIndex();
            int needed = 0;
            int[] textColumns = textColumns();
            byte[][][] encoded = new byte[rows.size()][][];
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r);
                byte[][] texts = new byte[textColumns.length][];
                for (int i = 0; i < textColumns.length; i++) {
                    texts[i] = ((String) row[textColumns[i]]).getBytes(StandardCharsets.UTF_8);
                    needed = Math.max(needed, texts[i].length);
                }
                encoded[r] = texts;
            }
            if (needed > stringWidth()) {
                widen(Math.max(needed, 2 * stringWidth()));
            }
            ByteBuffer buf = ByteBuffer.allocate(rows.size() * layout.rowSize).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows.size(); r++) {
                encodeRow(buf, r * layout.rowSize, nrows + r, rows.get(r), textColumns, encoded[r]);
            }
            file.chunksAllocated(chunks(layout, nrows + rows.size()) - chunks(layout, nrows), chunkBytes(layout));
            // chunk by chunk: a new chunk is indexed (and flushed) before the extent grows over it
            int done = 0;
            while (done < rows.size()) {
                long at = nrows + done;
                // (not for the first chunk: HDF5 1.14.3 cannot direct-write into a chunk index that has no node yet)
                if (at % chunkRows == 0 && at > 0) {
                    ChunkPreallocator.writeEmptyChunk(datasetId, at, chunkRows * layout.rowSize);
                    file.flush();
                }
                int m = (int) Math.min(rows.size() - done, chunkRows - at % chunkRows);
                byte[] part = done == 0 && m == rows.size() ? buf.array()
                        : Arrays.copyOfRange(buf.array(), done * layout.rowSize, (done + m) * layout.rowSize);
                writeRows(datasetId, at, m, part);
                done += m;
            }
            nrows += rows.size();
            Attributes.updateLong(datasetId, "NROWS", nrows);
            if (unpublished) {
                // header, chunk index and rows reach the disk first; only then does pandas find the table
                file.flush();
                H5.H5Lmove(file.fileId(), unpublishedName(name), file.fileId(), name, H5P_DEFAULT, H5P_DEFAULT);
                unpublished = false;
            }
        } catch (HDF5Exception e) {
            throw error("cannot append " + rows.size() + " rows to", e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    private int[] textColumns() {
        int n = 0;
        for (FrameColumn c : columns) {
            if (c.kind() == ColumnKind.TEXT) {
                n++;
            }
        }
        int[] out = new int[n];
        int i = 0;
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).kind() == ColumnKind.TEXT) {
                out[i++] = c;
            }
        }
        return out;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (FrameColumn c : columns) {
            names.add(c.name());
        }
        return names;
    }

    private void checkAppendable() {
        for (Member m : layout.members) {
            if (m.kind != Kind.INT64 && m.kind != Kind.FLOAT64 && m.kind != Kind.BOOL && m.kind != Kind.STRING) {
                throw new StoreFormatException("table '" + name + "' in " + file.path() + " stores member '" + m.name
                        + "' as " + m.kind.dtype + "; cox4j appends only to int64, float64, bool and string members");
            }
        }
    }

    /** pandas' PyTables index of the table would go stale with our rows; pandas reads without it. */
    private void dropStaleIndex() throws HDF5Exception {
        if (!hasIndexChecked) {
            if (H5.H5Lexists(groupId, "_i_table", H5P_DEFAULT)) {
                H5.H5Ldelete(groupId, "_i_table", H5P_DEFAULT);
            }
            hasIndexChecked = true;
        }
    }

    private void encodeRow(ByteBuffer buf, int base, long index, Object[] row, int[] textColumns, byte[][] texts) {
        buf.putLong(base, index);
        int t = 0;
        for (int c = 0; c < row.length; c++) {
            int at = base + layout.columnOffset(c);
            switch (layout.columnKind(c)) {
                case INT64:
                    buf.putLong(at, (Long) row[c]);
                    break;
                case FLOAT64:
                    buf.putDouble(at, (Double) row[c]);
                    break;
                case BOOL:
                    buf.put(at, (byte) (((Boolean) row[c]) ? 1 : 0));
                    break;
                case STRING: {
                    while (textColumns[t] != c) {
                        t++;
                    }
                    byte[] b = texts[t];
                    buf.put(at, b, 0, b.length);
                    break;
                }
                default:
                    throw new IllegalStateException("unreachable: " + layout.columnKind(c));
            }
        }
    }

    private void writeRows(long dataset, long first, int count, byte[] bytes) throws HDF5Exception {
        H5.H5Dset_extent(dataset, new long[] {first + count});
        long fileSpace = H5.H5Dget_space(dataset);
        long memSpace = H5.H5Screate_simple(1, new long[] {count}, null);
        try {
            H5.H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, new long[] {first}, null, new long[] {count}, null);
            H5.H5Dwrite(dataset, typeId, memSpace, fileSpace, H5P_DEFAULT, bytes);
        } finally {
            H5.H5Sclose(memSpace);
            H5.H5Sclose(fileSpace);
        }
    }

    private byte[] readRows(long dataset, long type, long first, int count, int rowSize) throws HDF5Exception {
        byte[] bytes = new byte[count * rowSize];
        if (count == 0) {
            return bytes;
        }
        long fileSpace = H5.H5Dget_space(dataset);
        long memSpace = H5.H5Screate_simple(1, new long[] {count}, null);
        try {
            H5.H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, new long[] {first}, null, new long[] {count}, null);
            H5.H5Dread(dataset, type, memSpace, fileSpace, H5P_DEFAULT, bytes);
        } finally {
            H5.H5Sclose(memSpace);
            H5.H5Sclose(fileSpace);
        }
        return bytes;
    }

    /**
     * Rewrites the table with every string member {@code width} bytes wide: a new dataset with
     * the rows copied over, the old one's attributes carried across, then swapped in by name.
     */
    private void widen(int width) throws HDF5Exception {
        BlockLayout wider = layout.withStringWidth(width);
        long widerType = fileType(wider);
        long widerSet = createDataset(groupId, "table_widening", widerType, wider, nrows);
        file.chunksAllocated(chunks(wider, nrows), chunkBytes(wider));
        try {
            for (long first = 0; first < nrows; first += COPY_ROWS) {
                int count = (int) Math.min(COPY_ROWS, nrows - first);
                byte[] old = readRows(datasetId, typeId, first, count, layout.rowSize);
                byte[] moved = new byte[count * wider.rowSize];
                for (int r = 0; r < count; r++) {
                    for (int m = 0; m < layout.members.size(); m++) {
                        Member from = layout.members.get(m);
                        Member to = wider.members.get(m);
                        for (int e = 0; e < from.count; e++) {
                            System.arraycopy(old, r * layout.rowSize + from.offset + e * from.elementSize,
                                    moved, r * wider.rowSize + to.offset + e * to.elementSize, from.elementSize);
                        }
                    }
                }
                long fileSpace = H5.H5Dget_space(widerSet);
                long memSpace = H5.H5Screate_simple(1, new long[] {count}, null);
                try {
                    H5.H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, new long[] {first}, null, new long[] {count}, null);
                    H5.H5Dwrite(widerSet, widerType, memSpace, fileSpace, H5P_DEFAULT, moved);
                } finally {
                    H5.H5Sclose(memSpace);
                    H5.H5Sclose(fileSpace);
                }
            }
            Attributes.copyAll(datasetId, widerSet);
            for (Member m : wider.members) {
                if (m.kind == Kind.STRING) {
                    String fill = "FIELD_" + wider.members.indexOf(m) + "_FILL";
                    Attributes.writeEmptyAscii(widerSet, fill);
                    if (m.isBlock()) {
                        Attributes.writeString(widerSet, m.name + "_dtype", m.dtype());
                    }
                }
            }
        } catch (RuntimeException e) {
            H5.H5Dclose(widerSet);
            H5.H5Tclose(widerType);
            H5.H5Ldelete(groupId, "table_widening", H5P_DEFAULT);
            throw e;
        }
        H5.H5Dclose(datasetId);
        H5.H5Tclose(typeId);
        // The old dataset is unlinked but not deleted until the file is closed: a reader (pandas)
        // that opened it just before keeps reading intact data, since its space is not reused meanwhile.
        // the new dataset's header and chunk index reach the disk before any reader can find it as "table"
        file.flush();
        H5.H5Lmove(groupId, "table", file.fileId(), file.retiredName(name), H5P_DEFAULT, H5P_DEFAULT);
        H5.H5Lmove(groupId, "table_widening", groupId, "table", H5P_DEFAULT, H5P_DEFAULT);
        datasetId = widerSet;
        typeId = widerType;
        layout = wider;
        chunkRows = chunkRows(wider);
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads {@code count} rows from row {@code start} into one array per schema column:
     * {@code long[]} for INT, {@code double[]} for FLOAT, {@code boolean[]} for BOOL,
     * {@code String[]} for the text types.
     *
     * @param start first row
     * @param count rows to read
     * @return the column arrays, in schema order
     */
    public Object[] read(long start, int count) {
        Hdf5Library.LOCK.lock();
        try {
            if (start < 0 || count < 0 || start + count > nrows) {
                throw new IndexOutOfBoundsException("rows [" + start + ", " + (start + count) + ") of table '" + name
                        + "' with " + nrows + " rows");
            }
            byte[] bytes = readRows(datasetId, typeId, start, count, layout.rowSize);
            return decode(bytes, count);
        } catch (HDF5Exception e) {
            throw error("cannot read", e);
        } finally {
            Hdf5Library.LOCK.unlock();
        }
    }

    private Object[] decode(byte[] bytes, int count) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Object[] out = new Object[columns.size()];
        int rowSize = layout.rowSize;
        int c = 0;
        for (FrameColumn column : columns) {
            int off = layout.columnOffset(c);
            Kind kind = layout.columnKind(c);
            int width = layout.columnWidth(c);
            switch (column.kind()) {
                case INT: {
                    long[] a = new long[count];
                    for (int r = 0; r < count; r++) {
                        a[r] = readInteger(buf, r * rowSize + off, kind);
                    }
                    out[c] = a;
                    break;
                }
                case FLOAT: {
                    double[] a = new double[count];
                    for (int r = 0; r < count; r++) {
                        int at = r * rowSize + off;
                        a[r] = kind == Kind.FLOAT64 ? buf.getDouble(at)
                                : kind == Kind.FLOAT32 ? buf.getFloat(at) : (double) readInteger(buf, at, kind);
                    }
                    out[c] = a;
                    break;
                }
                case BOOL: {
                    boolean[] a = new boolean[count];
                    for (int r = 0; r < count; r++) {
                        a[r] = bytes[r * rowSize + off] != 0;
                    }
                    out[c] = a;
                    break;
                }
                default: {
                    String[] a = new String[count];
                    for (int r = 0; r < count; r++) {
                        int at = r * rowSize + off;
                        int end = width;
                        while (end > 0 && bytes[at + end - 1] == 0) {
                            end--;
                        }
                        a[r] = new String(bytes, at, end, StandardCharsets.UTF_8);
                    }
                    out[c] = a;
                }
            }
            c++;
        }
        return out;
    }

    private static long readInteger(ByteBuffer buf, int at, Kind kind) {
        switch (kind) {
            case INT64:
                return buf.getLong(at);
            case INT32:
                return buf.getInt(at);
            case UINT32:
                return Integer.toUnsignedLong(buf.getInt(at));
            case INT16:
                return buf.getShort(at);
            case UINT16:
                return Short.toUnsignedInt(buf.getShort(at));
            case INT8:
                return buf.get(at);
            case UINT8:
            case BOOL:
                return Byte.toUnsignedInt(buf.get(at));
            default:
                throw new IllegalStateException("not an integer member: " + kind);
        }
    }

    // ---------------------------------------------------------------- handles

    void closeHandles() {
        try {
            if (typeId >= 0) {
                H5.H5Tclose(typeId);
            }
            if (datasetId >= 0) {
                H5.H5Dclose(datasetId);
            }
            if (groupId >= 0) {
                H5.H5Gclose(groupId);
            }
        } catch (HDF5Exception e) {
            throw error("cannot close", e);
        } finally {
            typeId = -1;
            datasetId = -1;
            groupId = -1;
        }
    }

    private StoreFormatException error(String what, Exception e) {
        return new StoreFormatException(what + " table '" + name + "' in " + file.path() + ": " + e.getMessage(), e);
    }
}
