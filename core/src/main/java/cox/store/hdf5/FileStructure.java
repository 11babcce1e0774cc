package cox.store.hdf5;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of a {@code store.h5} as cox4j reads them: superblock, root group (its attributes and
 * links), and for each link to a pandas frame table the table's group and dataset. Links to anything
 * else are listed as other objects. Reading follows the subset of the HDF5 format that pandas and
 * PyTables write by default, and stops with a {@link cox.exceptions.StoreFormatException} naming the
 * file, object and feature at anything outside it or damaged.
 */
final class FileStructure {
    /** The pandas_type values pandas writes (a group with another one is damaged). */
    static final java.util.Set<String> PANDAS_TYPES = java.util.Set.of("frame", "frame_table", "series",
            "series_table", "sparse_series", "sparse_frame", "wide", "wide_table", "appendable_frame",
            "appendable_multiframe", "appendable_series", "appendable_multiseries", "generic_table", "worm",
            "legacy_frame", "legacy_table", "legacy_panel");

    /** A link in the root group that is a frame table. */
    static final class Table {
        final String name;
        final SymbolTable.Entry link;
        final ObjectHeader groupHeader;
        final List<Attribute> groupAttributes;
        final LocalHeap groupHeap;
        final long groupBTree;
        final List<SymbolTable.Entry> groupLinks;
        final TableDataset dataset;
        final FrameTable frame;

        Table(String name, SymbolTable.Entry link, ObjectHeader groupHeader, List<Attribute> groupAttributes,
                LocalHeap groupHeap, long groupBTree, List<SymbolTable.Entry> groupLinks, TableDataset dataset,
                FrameTable frame) {
            this.name = name;
            this.link = link;
            this.groupHeader = groupHeader;
            this.groupAttributes = groupAttributes;
            this.groupHeap = groupHeap;
            this.groupBTree = groupBTree;
            this.groupLinks = groupLinks;
            this.dataset = dataset;
            this.frame = frame;
        }

        /** The group's link to its dataset. */
        SymbolTable.Entry datasetLink() {
            for (SymbolTable.Entry e : groupLinks) {
                if (e.name().equals("table")) {
                    return e;
                }
            }
            throw new IllegalStateException("no table link");
        }

        /** Whether pandas' optional PyTables index of the table is there. */
        boolean hasIndex() {
            for (SymbolTable.Entry e : groupLinks) {
                if (e.name().equals("_i_table")) {
                    return true;
                }
            }
            return false;
        }
    }

    final Superblock superblock;
    final ObjectHeader rootHeader;
    final List<Attribute> rootAttributes;
    final LocalHeap rootHeap;
    final long rootBTree;
    final List<SymbolTable.Entry> rootLinks;
    final Map<String, Table> tables;
    /** Root links that are not frame tables, with why. */
    final Map<String, String> others;

    private FileStructure(Superblock superblock, ObjectHeader rootHeader, List<Attribute> rootAttributes,
            LocalHeap rootHeap, long rootBTree, List<SymbolTable.Entry> rootLinks, Map<String, Table> tables,
            Map<String, String> others) {
        this.superblock = superblock;
        this.rootHeader = rootHeader;
        this.rootAttributes = rootAttributes;
        this.rootHeap = rootHeap;
        this.rootBTree = rootBTree;
        this.rootLinks = rootLinks;
        this.tables = tables;
        this.others = others;
    }

    static FileStructure read(FileBytes f) {
        return read(f, true);
    }

    /**
     * @param wholeIndexes read every table's whole chunk index (a writer); else only what the
     *     extents cover (a reader, which a writer may be adding to)
     */
    static FileStructure read(FileBytes f, boolean wholeIndexes) {
        Superblock sb = Superblock.read(f);
        Regions regions = new Regions();
        regions.add(0, sb.size(), "superblock");
        ObjectHeader root = ObjectHeader.read(f, sb.rootHeader(), "root group");
        root.addTo(regions);
        long[] stab = symbolTable(root, f, "root group");
        if (stab[0] != sb.rootBTree() || stab[1] != sb.rootHeap()) {
            throw f.error("root group: its symbol table message (B-tree " + stab[0] + ", heap " + stab[1]
                    + ") disagrees with the superblock's cache (B-tree " + sb.rootBTree() + ", heap " + sb.rootHeap()
                    + ")");
        }
        List<Attribute> rootAttributes = attributes(root, f, "root group");
        LocalHeap heap = LocalHeap.read(f, stab[1], "root group");
        heap.addTo(regions, "root group");
        List<SymbolTable.Entry> links = SymbolTable.read(f, sb, stab[0], heap, "/", regions);
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        for (SymbolTable.Entry link : links) {
            String why = readTable(f, sb, link, tables, wholeIndexes, regions);
            if (why != null) {
                others.put(link.name(), why);
            }
        }
        // objects never share bytes: an overlap is a damaged address
        regions.checkDisjoint(f);
        return new FileStructure(sb, root, rootAttributes, heap, stab[0], links, tables, others);
    }

    /** Reads the frame table {@code link} points to into {@code tables}; returns why it is not one, or null. */
    private static String readTable(FileBytes f, Superblock sb, SymbolTable.Entry link, Map<String, Table> tables,
            boolean wholeIndexes, Regions regions) {
        String name = link.name();
        if (link.cacheType() == SymbolTable.CACHE_SOFT_LINK) {
            return "a soft link";
        }
        String what = "group /" + name;
        ObjectHeader gh = ObjectHeader.read(f, link.header(), what);
        if (gh.first(ObjectHeader.SYMBOL_TABLE) == null) {
            if (gh.first(ObjectHeader.LINK_INFO) != null || gh.first(ObjectHeader.LINK) != null) {
                return "a group in HDF5's new format";
            }
            if (gh.first(ObjectHeader.DATATYPE) == null) {
                // neither a group nor a dataset nor a named datatype: HDF5 cannot say what it is
                throw f.error("object header of /" + name + " at address " + link.header() + " holds no group,"
                        + " dataset or datatype message");
            }
            return "not a group";
        }
        long[] stab = symbolTable(gh, f, what);
        if (link.cacheType() == SymbolTable.CACHE_GROUP
                && (link.cachedBTree() != stab[0] || link.cachedHeap() != stab[1])) {
            throw f.error(what + ": its symbol table message (B-tree " + stab[0] + ", heap " + stab[1]
                    + ") disagrees with the root group's cached entry (B-tree " + link.cachedBTree() + ", heap "
                    + link.cachedHeap() + ")");
        }
        List<Attribute> groupAttributes = attributes(gh, f, what);
        Map<String, Attribute> ga = FrameTable.byName(groupAttributes, f, what);
        String pandasType = FrameTable.text(ga, "pandas_type", f, what);
        if (!"frame_table".equals(pandasType)) {
            if (pandasType != null && !PANDAS_TYPES.contains(pandasType)) {
                throw f.error(what + " has pandas_type '" + pandasType + "', which pandas does not write");
            }
            if (pandasType != null && !pandasType.endsWith("_table") && ga.containsKey("table_type")) {
                throw f.error(what + " has pandas_type '" + pandasType + "' but a table_type, as only tables do");
            }
            if (pandasType == null) {
                for (String a : List.of("pandas_version", "table_type", "non_index_axes", "index_cols", "values_cols")) {
                    if (ga.containsKey(a)) {
                        throw f.error(what + " has pandas' attribute " + a + " but no pandas_type");
                    }
                }
            }
            return "not a pandas frame table";
        }
        gh.addTo(regions);
        String tableWhat = "table '" + name + "'";
        LocalHeap heap = LocalHeap.read(f, stab[1], what);
        heap.addTo(regions, what);
        List<SymbolTable.Entry> children = SymbolTable.read(f, sb, stab[0], heap, "/" + name, regions);
        SymbolTable.Entry data = null;
        for (SymbolTable.Entry e : children) {
            if (e.name().equals("table")) {
                data = e;
            }
        }
        if (data == null || data.cacheType() != 0) {
            throw f.error(tableWhat + ": group /" + name + " has pandas_type 'frame_table' but no dataset 'table'");
        }
        TableDataset ds = TableDataset.read(f, sb, data.header(), tableWhat + " (dataset /" + name + "/table)",
                wholeIndexes, regions);
        Map<String, Attribute> da = FrameTable.byName(ds.attributes, f, tableWhat);
        // the stores of a sweep describe their tables with the same bytes: each description is made once
        FrameTable.Key key = FrameTable.Key.of(name, ds.rowType, groupAttributes, ds.attributes);
        FrameTable frame = ParseCache.TABLES.get(key);
        if (frame == null) {
            frame = FrameTable.describe(name, ga, da, ds.rowType, f, tableWhat);
            ParseCache.TABLES.put(key, frame);
        }
        tables.put(name, new Table(name, link, gh, groupAttributes, heap, stab[0], children, ds, frame));
        return null;
    }

    /** {B-tree address, heap address} of a group's symbol table message. */
    static long[] symbolTable(ObjectHeader h, FileBytes f, String what) {
        ObjectHeader.Message m = h.first(ObjectHeader.SYMBOL_TABLE);
        if (m == null) {
            throw f.unsupported(what + " has no symbol table message (a group in HDF5's new format)");
        }
        if (m.size() < 16) {
            throw f.error(what + ": symbol table message is cut short");
        }
        return new long[] {m.data().getLong(0), m.data().getLong(8)};
    }

    static List<Attribute> attributes(ObjectHeader h, FileBytes f, String what) {
        if (h.first(ObjectHeader.ATTRIBUTE_INFO) != null) {
            throw f.unsupported(what + " keeps attributes in dense storage (HDF5's \"latest\" format)");
        }
        List<Attribute> out = new ArrayList<>();
        for (ObjectHeader.Message m : h.all(ObjectHeader.ATTRIBUTE)) {
            if ((m.flags() & ObjectHeader.FLAG_SHARED) != 0) {
                throw f.unsupported(what + " has a shared attribute message");
            }
            out.add(Attribute.read(m, f, what));
        }
        return out;
    }
}
