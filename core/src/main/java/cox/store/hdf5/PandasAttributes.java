package cox.store.hdf5;

import cox.pickle.PythonGlobal;
import cox.store.hdf5.BlockLayout.Kind;
import cox.store.hdf5.BlockLayout.Member;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes pandas and PyTables give a store's root group, a frame table's group and its
 * dataset (FORMAT.md), in the order PyTables creates them, with Python cox's {@code COX_DATA}.
 */
final class PandasAttributes {
    private PandasAttributes() {
    }

    /** The root group's: CLASS, PYTABLES_FORMAT_VERSION, TITLE, VERSION (PyTables' creation order). */
    static List<Attribute> root() {
        return List.of(Attribute.string("TITLE", ""), Attribute.string("CLASS", "GROUP"),
                Attribute.string("VERSION", "1.0"), Attribute.string("PYTABLES_FORMAT_VERSION", "2.1"));
    }

    /** A new frame table's group attributes. */
    static List<Attribute> group(String name, List<FrameColumn> columns, BlockLayout layout) {
        List<String> columnNames = names(columns);
        List<Object> valuesCols = new ArrayList<>();
        Map<Object, Object> info = new LinkedHashMap<>();
        Map<Object, Object> indexInfo = new LinkedHashMap<>();
        List<Object> indexNames = new ArrayList<>();
        indexNames.add(null);
        indexInfo.put("names", indexNames);
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
            coxSchema.put(c.name(), FrameTable.BUILTIN_TYPES.contains(c.coxType())
                    ? new PythonGlobal("builtins", c.coxType()) : c.coxType());
        }
        Map<Object, Object> coxData = new LinkedHashMap<>();
        coxData.put("schema", coxSchema);
        coxData.put("name", name);
        List<Attribute> out = new ArrayList<>();
        out.add(Attribute.string("TITLE", ""));
        out.add(Attribute.string("CLASS", "GROUP"));
        out.add(Attribute.string("VERSION", "1.0"));
        out.add(Attribute.string("pandas_type", "frame_table"));
        out.add(Attribute.string("pandas_version", "0.15.2"));
        out.add(Attribute.string("table_type", "appendable_frame"));
        out.add(Attribute.pickle("index_cols", List.of((Object) new Object[] {0, "index"})));
        out.add(Attribute.pickle("values_cols", valuesCols));
        out.add(Attribute.pickle("non_index_axes", List.of((Object) new Object[] {1, columnNames})));
        out.add(Attribute.pickle("data_columns", new ArrayList<>()));
        out.add(Attribute.string("nan_rep", "nan"));
        out.add(Attribute.string("encoding", "UTF-8"));
        out.add(Attribute.string("errors", "strict"));
        out.add(Attribute.int64("levels", 1));
        out.add(Attribute.pickle("info", info));
        out.add(Attribute.pickle("COX_DATA", coxData));
        return out;
    }

    /** A new frame table's dataset attributes, {@code NROWS} last. */
    static List<Attribute> dataset(List<FrameColumn> columns, BlockLayout layout, long nrows) {
        List<Attribute> out = new ArrayList<>();
        out.add(Attribute.string("CLASS", "TABLE"));
        out.add(Attribute.string("VERSION", "2.7"));
        out.add(Attribute.string("TITLE", ""));
        for (int i = 0; i < layout.members.size(); i++) {
            out.add(Attribute.string("FIELD_" + i + "_NAME", layout.members.get(i).name));
        }
        for (int i = 0; i < layout.members.size(); i++) {
            out.add(fill(i, layout.members.get(i)));
        }
        out.add(Attribute.string("index_kind", "integer"));
        List<String> columnNames = names(columns);
        for (Member m : layout.members) {
            if (m.isBlock()) {
                List<String> kind = new ArrayList<>();
                for (int c : m.columns) {
                    kind.add(columnNames.get(c));
                }
                out.add(Attribute.pickle(m.name + "_kind", kind));
                out.add(Attribute.pickle(m.name + "_meta", null));
                out.add(Attribute.string(m.name + "_dtype", m.dtype()));
            }
        }
        out.add(Attribute.int64("NROWS", nrows));
        return out;
    }

    /** The fill value attribute of member {@code i}, typed like the member's elements. */
    static Attribute fill(int i, Member m) {
        String name = "FIELD_" + i + "_FILL";
        switch (m.kind) {
            case FLOAT64:
                return Attribute.float64(name, 0.0);
            case BOOL:
                return Attribute.bool8(name, false);
            case STRING:
                return Attribute.emptyAscii(name);
            default:
                return Attribute.int64(name, 0);
        }
    }

    /** The row type of {@code layout}: int64 index, then an array member per block. */
    static Datatype.Compound rowType(BlockLayout layout) {
        List<Datatype.Member> members = new ArrayList<>();
        for (Member m : layout.members) {
            Datatype base;
            switch (m.kind) {
                case FLOAT64:
                    base = Datatype.FloatingPoint.FLOAT64;
                    break;
                case BOOL:
                    base = Datatype.Bitfield.B8;
                    break;
                case STRING:
                    base = new Datatype.StringType(m.elementSize, 0, false);
                    break;
                case INT64:
                    base = Datatype.FixedPoint.INT64;
                    break;
                default:
                    throw new IllegalArgumentException("cox4j writes no " + m.kind.dtype + " members");
            }
            members.add(new Datatype.Member(m.name, m.offset,
                    m.name.equals("index") ? base : new Datatype.ArrayType(base, new int[] {m.count})));
        }
        return new Datatype.Compound(layout.rowSize, members);
    }

    /**
     * The attributes of a widened table's dataset: those of the old one, with each string member's
     * fill value and block dtype rewritten for the new width and NROWS set.
     */
    static List<Attribute> widened(List<Attribute> old, BlockLayout wider, long nrows) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : old) {
            Attribute replaced = a;
            for (int i = 0; i < wider.members.size(); i++) {
                Member m = wider.members.get(i);
                if (m.kind != Kind.STRING) {
                    continue;
                }
                if (a.name().equals("FIELD_" + i + "_FILL")) {
                    replaced = fill(i, m);
                } else if (m.isBlock() && a.name().equals(m.name + "_dtype")) {
                    replaced = Attribute.string(a.name(), m.dtype());
                }
            }
            if (a.name().equals("NROWS")) {
                replaced = Attribute.int64("NROWS", nrows);
            }
            out.add(replaced);
        }
        return out;
    }

    private static List<String> names(List<FrameColumn> columns) {
        List<String> names = new ArrayList<>();
        for (FrameColumn c : columns) {
            names.add(c.name());
        }
        return names;
    }
}
