package cox.store.hdf5;

import cox.exceptions.CoxException;
import cox.exceptions.StoreFormatException;
import cox.pickle.PythonGlobal;
import cox.pickle.SafeUnpickler;
import cox.store.hdf5.BlockLayout.Kind;
import cox.store.hdf5.BlockLayout.Member;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pandas frame table is, read from its group's and dataset's attributes and its row type
 * (FORMAT.md): the columns in order, how each is stored, the type Python cox recorded for it, and
 * where its cells sit in a row. Building one cross-checks the attributes against each other and
 * against the row type (column lists, block lists, field names, dtypes), so a damaged attribute is
 * an error rather than a renamed, retyped or lost column.
 */
final class FrameTable {
    /** COX_DATA names these types by the Python builtin class; the object types by a marker string. */
    static final List<String> BUILTIN_TYPES = List.of("int", "float", "str", "bool");
    static final List<String> MARKER_TYPES = List.of("__object__", "__pickle__", "__pytorch_state__");
    /** The attributes pandas (and Python cox's COX_DATA) give a frame table's group. */
    static final Set<String> GROUP_ATTRIBUTES = Set.of("CLASS", "TITLE", "VERSION", "pandas_type", "pandas_version",
            "table_type", "index_cols", "values_cols", "non_index_axes", "data_columns", "nan_rep", "encoding",
            "errors", "levels", "info", "metadata", "COX_DATA", "FILTERS");
    /** The attributes PyTables and pandas give a frame table's dataset. */
    private static final java.util.regex.Pattern DATASET_ATTRIBUTE = java.util.regex.Pattern.compile(
            "CLASS|VERSION|TITLE|NROWS|FILTERS|AUTO_INDEX|FIELD_\\d+_(NAME|FILL)|.+_(kind|meta|dtype|tz|freq)");

    final String name;
    final List<FrameColumn> columns;
    final BlockLayout layout;

    FrameTable(String name, List<FrameColumn> columns, BlockLayout layout) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.layout = layout;
    }

    /** The attributes of one object, by name; duplicates are an error. */
    static Map<String, Attribute> byName(List<Attribute> attributes, FileBytes f, String what) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            if (out.put(a.name(), a) != null) {
                throw f.error(what + " has two attributes named '" + a.name() + "'");
            }
        }
        return out;
    }

    /** A string attribute's value, or null if absent. */
    static String text(Map<String, Attribute> attrs, String key, FileBytes f, String what) {
        Attribute a = attrs.get(key);
        if (a == null) {
            return null;
        }
        byte[] b = a.textBytes();
        if (b == null) {
            throw f.error(what + ": attribute " + key + " is not a string (" + a.type().describe() + ")");
        }
        for (int i = b.length; i < a.data().length; i++) {
            if (a.data()[i] != 0) {
                throw f.error(what + ": attribute " + key + " holds bytes after the end of its string");
            }
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A pickled attribute, loaded; null if absent. */
    static Object pickle(Map<String, Attribute> attrs, String key, FileBytes f, String what) {
        Attribute a = attrs.get(key);
        if (a == null) {
            return null;
        }
        byte[] b = a.textBytes();
        if (b == null) {
            throw f.error(what + ": attribute " + key + " is not a pickled string (" + a.type().describe() + ")");
        }
        try {
            return SafeUnpickler.loads(b);
        } catch (CoxException e) {
            throw new StoreFormatException(f.path() + ": " + what + ": attribute " + key + " is not a readable pickle: "
                    + e.getMessage(), e);
        }
    }

    /**
     * What {@link #describe} depends on for table {@code name}, the key of its description in
     * {@link ParseCache#TABLES}: the name, the row type, and the group's and the dataset's
     * attributes in order, each named by its value array. Attributes and row types are read through
     * {@link ParseCache}, which hands out one array (one type) per distinct message, never one for
     * two: the same arrays and type mean the same message bytes. Of {@code NROWS}, which describe
     * does not read, only the name counts (the row count changes from store to store). Call it
     * only with attributes and a row type read by {@link Attribute#read} and {@link TableDataset#read}.
     */
    record Key(String name, Datatype rowType, Object[] group, Object[] dataset) {
        static Key of(String name, Datatype rowType, List<Attribute> group, List<Attribute> dataset) {
            Object[] g = new Object[group.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = group.get(i).data();
            }
            Object[] d = new Object[dataset.size()];
            for (int i = 0; i < d.length; i++) {
                Attribute a = dataset.get(i);
                d[i] = a.name().equals("NROWS") ? "NROWS" : a.data();
            }
            return new Key(name, rowType, g, d);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.name.equals(name) && k.rowType == rowType && same(k.group, group)
                    && same(k.dataset, dataset);
        }

        private static boolean same(Object[] a, Object[] b) {
            if (a.length != b.length) {
                return false;
            }
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i] && !(a[i] instanceof String s && s.equals(b[i]))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = name.hashCode() * 31 + System.identityHashCode(rowType);
            for (Object o : group) {
                h = h * 31 + System.identityHashCode(o);
            }
            for (Object o : dataset) {
                h = h * 31 + (o instanceof String s ? s.hashCode() : System.identityHashCode(o));
            }
            return h;
        }

        @Override
        public String toString() {
            return "table '" + name + "' (" + group.length + " + " + dataset.length + " attributes)";
        }
    }

    /**
     * Describes the table from its attributes and row type.
     *
     * @param group the group's attributes
     * @param dataset the dataset's attributes
     * @param rowType the dataset's compound type
     * @param what the table, for messages ({@code "table 'results'"})
     * @throws StoreFormatException if the attributes do not describe the rows, or a member has a
     *     type cox4j does not read
     */
    static FrameTable describe(String name, Map<String, Attribute> group, Map<String, Attribute> dataset,
            Datatype.Compound rowType, FileBytes f, String what) {
        // an attribute pandas does not write is a damaged name (COX_DATA renamed would retype columns)
        for (String a : group.keySet()) {
            if (!GROUP_ATTRIBUTES.contains(a)) {
                throw f.error(what + ": its group has an attribute '" + a + "', which pandas does not write");
            }
        }
        for (String a : dataset.keySet()) {
            if (!DATASET_ATTRIBUTE.matcher(a).matches()) {
                throw f.error(what + ": its dataset has an attribute '" + a + "', which pandas does not write");
            }
        }
        List<String> columns = columnOrder(group, f, what);
        Map<String, String> coxTypes = coxTypes(group, name, columns, f, what);
        Kind[] storedKind = new Kind[columns.size()];
        List<Member> members = new ArrayList<>();
        Set<String> memberNames = new HashSet<>();
        int i = 0;
        for (Datatype.Member m : rowType.members()) {
            String field = text(dataset, "FIELD_" + i + "_NAME", f, what);
            if (field != null && !field.equals(m.name())) {
                throw f.error(what + ": attribute FIELD_" + i + "_NAME is '" + field + "' but member " + i
                        + " of the rows is '" + m.name() + "'");
            }
            i++;
            if (!memberNames.add(m.name())) {
                throw f.error(what + ": the rows have two members named '" + m.name() + "'");
            }
            int count = 1;
            Datatype base = m.type();
            if (base instanceof Datatype.ArrayType a) {
                if (a.dims().length != 1) {
                    throw f.error(what + ": member '" + m.name() + "' is a " + a.dims().length + "-D array");
                }
                count = a.count();
                base = a.base();
            }
            Kind kind = kindOf(base, f, what, m.name());
            int[] cols;
            if (m.name().equals("index")) {
                if (count != 1 || (kind != Kind.INT64 && kind != Kind.INT32 && kind != Kind.UINT32
                        && kind != Kind.INT16 && kind != Kind.INT8 && kind != Kind.UINT16 && kind != Kind.UINT8
                        && kind != Kind.FLOAT64)) {
                    throw f.error(what + ": member 'index' is " + m.type().describe());
                }
                cols = new int[0];
            } else if (m.name().startsWith("values_block_")) {
                Object kindAttr = pickle(dataset, m.name() + "_kind", f, what);
                if (!(kindAttr instanceof List<?> list) || list.size() != count) {
                    throw f.error(what + ": attribute " + m.name() + "_kind does not list the block's " + count
                            + " columns");
                }
                cols = new int[count];
                for (int e = 0; e < count; e++) {
                    cols[e] = columnIndex(columns, String.valueOf(list.get(e)), f, what);
                }
                String dtype = text(dataset, m.name() + "_dtype", f, what);
                checkDtype(dtype, kind, base.size(), f, what, m.name());
            } else {
                if (count != 1) {
                    throw f.error(what + ": data column '" + m.name() + "' holds " + count + " values per row");
                }
                cols = new int[] {columnIndex(columns, m.name(), f, what)};
            }
            for (int c : cols) {
                if (storedKind[c] != null) {
                    throw f.error(what + ": column '" + columns.get(c) + "' is stored in two members");
                }
                storedKind[c] = kind;
            }
            members.add(new Member(m.name(), m.offset(), kind, base.size(), count, cols));
        }
        if (!memberNames.contains("index")) {
            throw f.error(what + ": the rows have no 'index' member");
        }
        Object valuesCols = pickle(group, "values_cols", f, what);
        if (valuesCols != null) {
            Set<String> listed = new HashSet<>();
            if (valuesCols instanceof List<?> list) {
                for (Object o : list) {
                    listed.add(String.valueOf(o));
                }
            }
            Set<String> stored = new HashSet<>(memberNames);
            stored.remove("index");
            if (!listed.equals(stored)) {
                throw f.error(what + ": attribute values_cols lists " + listed + " but the rows hold " + stored);
            }
        }
        List<FrameColumn> frameColumns = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String col = columns.get(c);
            if (storedKind[c] == null) {
                throw f.error(what + ": column '" + col + "' is in no member of the rows");
            }
            frameColumns.add(new FrameColumn(col, storedKind[c].columnKind(), coxTypes.get(col)));
        }
        BlockLayout layout;
        try {
            layout = new BlockLayout(members, columns.size(), rowType.size());
        } catch (IllegalArgumentException e) {
            throw f.error(what + ": " + e.getMessage());
        }
        return new FrameTable(name, frameColumns, layout);
    }

    private static void checkDtype(String dtype, Kind kind, int size, FileBytes f, String what, String member) {
        if (dtype == null) {
            return;
        }
        boolean known = dtype.equals("float64") || dtype.equals("int64") || dtype.equals("bool")
                || dtype.startsWith("bytes") || dtype.equals("float32") || dtype.equals("int32");
        if (!known) {
            return; // another pandas dtype (datetime64[ns], uint8, ...): the row type decides
        }
        boolean ok;
        switch (dtype) {
            case "float64":
                ok = kind == Kind.FLOAT64;
                break;
            case "float32":
                ok = kind == Kind.FLOAT32;
                break;
            case "int64":
                ok = kind == Kind.INT64;
                break;
            case "int32":
                ok = kind == Kind.INT32;
                break;
            case "bool":
                ok = kind == Kind.BOOL;
                break;
            default:
                ok = kind == Kind.STRING && dtype.equals("bytes" + 8L * size);
        }
        if (!ok) {
            throw f.error(what + ": attribute " + member + "_dtype is '" + dtype + "' but the member holds "
                    + kind.dtype + (kind == Kind.STRING ? " of " + size + " bytes" : ""));
        }
    }

    private static List<String> columnOrder(Map<String, Attribute> group, FileBytes f, String what) {
        Object axes = pickle(group, "non_index_axes", f, what);
        if (axes instanceof List<?> list && list.size() == 1 && list.get(0) instanceof Object[] tuple
                && tuple.length == 2 && tuple[1] instanceof List<?> cols) {
            List<String> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Object c : cols) {
                String s = String.valueOf(c);
                if (!seen.add(s)) {
                    throw f.error(what + ": attribute non_index_axes lists column '" + s + "' twice");
                }
                columns.add(s);
            }
            return columns;
        }
        throw f.error(what + ": attribute non_index_axes is not [(1, [columns])]");
    }

    /** Column name to the type name COX_DATA records for it (a builtin class's name or a marker string). */
    private static Map<String, String> coxTypes(Map<String, Attribute> group, String name, List<String> columns,
            FileBytes f, String what) {
        Map<String, String> types = new LinkedHashMap<>();
        Object coxData = pickle(group, "COX_DATA", f, what);
        if (coxData == null) {
            return types;
        }
        if (!(coxData instanceof Map<?, ?> map) || !(map.get("schema") instanceof Map<?, ?> schema)) {
            throw f.error(what + ": attribute COX_DATA is not {'schema': {...}, 'name': ...}");
        }
        Object recordedName = map.get("name");
        if (recordedName != null && !name.equals(recordedName)) {
            throw f.error(what + ": attribute COX_DATA names the table '" + recordedName + "'");
        }
        for (Map.Entry<?, ?> e : schema.entrySet()) {
            Object t = e.getValue();
            String type;
            if (t instanceof PythonGlobal g) {
                type = g.name();
            } else if (t instanceof String s && MARKER_TYPES.contains(s)) {
                type = s;
            } else {
                throw f.error(what + ": attribute COX_DATA gives column '" + e.getKey() + "' the type " + t
                        + "; expected a Python class or one of " + MARKER_TYPES);
            }
            types.put(String.valueOf(e.getKey()), type);
        }
        if (!new HashSet<>(columns).equals(types.keySet())) {
            throw f.error(what + ": attribute COX_DATA describes columns " + types.keySet() + " but the table has "
                    + columns);
        }
        return types;
    }

    private static int columnIndex(List<String> columns, String col, FileBytes f, String what) {
        int i = columns.indexOf(col);
        if (i < 0) {
            throw f.error(what + ": column '" + col + "' is stored but not listed in non_index_axes " + columns);
        }
        return i;
    }

    /** How a member element of type {@code t} is read. */
    static Kind kindOf(Datatype t, FileBytes f, String what, String member) {
        if (t instanceof Datatype.StringType s) {
            return Kind.STRING;
        }
        if (t instanceof Datatype.Bitfield b && b.size() == 1) {
            return Kind.BOOL;
        }
        if (t instanceof Datatype.FloatingPoint fp && fp.ieee() && !fp.bigEndian()) {
            return fp.size() == 8 ? Kind.FLOAT64 : Kind.FLOAT32;
        }
        if (t instanceof Datatype.FixedPoint fx && !fx.bigEndian()) {
            switch (fx.size()) {
                case 8:
                    if (fx.signed()) {
                        return Kind.INT64;
                    }
                    break;
                case 4:
                    return fx.signed() ? Kind.INT32 : Kind.UINT32;
                case 2:
                    return fx.signed() ? Kind.INT16 : Kind.UINT16;
                default:
                    return fx.signed() ? Kind.INT8 : Kind.UINT8;
            }
        }
        throw f.error(what + ": member '" + member + "' has type " + t.describe()
                + ", which cox4j does not read");
    }

    /** Whether cox4j can append rows to this table: every member int64, float64, bool or string. */
    String notAppendable() {
        for (Member m : layout.members) {
            if (m.kind != Kind.INT64 && m.kind != Kind.FLOAT64 && m.kind != Kind.BOOL && m.kind != Kind.STRING) {
                return "member '" + m.name + "' is " + m.kind.dtype + "; cox4j appends only to int64, float64, bool"
                        + " and string members";
            }
            if (m.isBlock() || m.name.equals("index")) {
                continue;
            }
            return "member '" + m.name + "' is a pandas data column; cox4j appends only to tables of value blocks";
        }
        return null;
    }
}
