package cox.store.hdf5;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a table's columns sit in the rows of {@code /NAME/table}: an int64 {@code index} member,
 * then one {@code values_block_K} member per pandas dtype (float64, int64, bool, fixed-width
 * string), in pandas' block order (see {@link #forColumns}) and columns in schema order inside a
 * block, packed without padding, as pandas and PyTables lay them out. Tables that pandas wrote
 * with other numeric dtypes or with data columns are described too, for reading.
 */
final class BlockLayout {
    /** The storage kind of one member element. */
    enum Kind {
        FLOAT64(8, "float64"), INT64(8, "int64"), BOOL(1, "bool"), STRING(0, "bytes"),
        FLOAT32(4, "float32"), INT32(4, "int32"), INT16(2, "int16"), INT8(1, "int8"),
        UINT8(1, "uint8"), UINT16(2, "uint16"), UINT32(4, "uint32");

        final int size;
        final String dtype;

        Kind(int size, String dtype) {
            this.size = size;
            this.dtype = dtype;
        }

        /** How cells of this storage kind are read into Java. */
        ColumnKind columnKind() {
            switch (this) {
                case FLOAT64: case FLOAT32:
                    return ColumnKind.FLOAT;
                case BOOL:
                    return ColumnKind.BOOL;
                case STRING:
                    return ColumnKind.TEXT;
                default:
                    return ColumnKind.INT;
            }
        }

        /** The storage kind cox4j writes for {@code k}. */
        static Kind of(ColumnKind k) {
            switch (k) {
                case INT:
                    return INT64;
                case FLOAT:
                    return FLOAT64;
                case BOOL:
                    return BOOL;
                default:
                    return STRING;
            }
        }
    }

    /** One compound member: the index, a values block, or a pandas data column. */
    static final class Member {
        final String name;
        final int offset;
        final Kind kind;
        final int elementSize;
        final int count;
        /** Schema positions of the member's elements; empty for the index. */
        final int[] columns;

        Member(String name, int offset, Kind kind, int elementSize, int count, int[] columns) {
            this.name = name;
            this.offset = offset;
            this.kind = kind;
            this.elementSize = elementSize;
            this.count = count;
            this.columns = columns;
        }

        int size() {
            return elementSize * count;
        }

        boolean isBlock() {
            return name.startsWith("values_block_");
        }

        /** The pandas {@code values_block_K_dtype} attribute: {@code float64}, or {@code bytes<8*width>}. */
        String dtype() {
            return kind == Kind.STRING ? "bytes" + (8 * elementSize) : kind.dtype;
        }
    }

    final List<Member> members;
    final int rowSize;
    /** For each schema column, its member and element index. */
    final int[] memberOfColumn;
    final int[] elementOfColumn;

    BlockLayout(List<Member> members, int columnCount) {
        this(members, columnCount, 0);
    }

    /** @param rowSize the compound type's size, when it is larger than its members (trailing padding) */
    BlockLayout(List<Member> members, int columnCount, int rowSize) {
        this.members = List.copyOf(members);
        int size = rowSize;
        memberOfColumn = new int[columnCount];
        elementOfColumn = new int[columnCount];
        java.util.Arrays.fill(memberOfColumn, -1);
        for (int m = 0; m < members.size(); m++) {
            Member member = members.get(m);
            size = Math.max(size, member.offset + member.size());
            for (int e = 0; e < member.columns.length; e++) {
                memberOfColumn[member.columns[e]] = m;
                elementOfColumn[member.columns[e]] = e;
            }
        }
        for (int c = 0; c < columnCount; c++) {
            if (memberOfColumn[c] < 0) {
                throw new IllegalArgumentException("column " + c + " has no place in the table's rows");
            }
        }
        this.rowSize = size;
    }

    /**
     * The pandas layout of {@code columns}, every string column {@code stringWidth} bytes wide: one
     * block per dtype, columns in schema order inside it. The blocks are in the order pandas'
     * block manager gives them to a frame built from the row: the order their dtype first appears
     * when each dtype's columns stand together in the schema, else sorted by dtype name (bool,
     * float64, int64, object), as pandas sorts blocks when it consolidates them.
     */
    static BlockLayout forColumns(List<FrameColumn> columns, int stringWidth) {
        Map<Kind, List<Integer>> blocks = new LinkedHashMap<>();
        int i = 0;
        boolean contiguous = true;
        Kind previous = null;
        for (FrameColumn c : columns) {
            Kind kind = Kind.of(c.kind());
            if (kind != previous && blocks.containsKey(kind)) {
                contiguous = false;
            }
            blocks.computeIfAbsent(kind, k -> new ArrayList<>()).add(i++);
            previous = kind;
        }
        if (!contiguous) {
            Map<Kind, List<Integer>> sorted = new LinkedHashMap<>();
            for (Kind k : List.of(Kind.BOOL, Kind.FLOAT64, Kind.INT64, Kind.STRING)) {
                if (blocks.containsKey(k)) {
                    sorted.put(k, blocks.get(k));
                }
            }
            blocks = sorted;
        }
        List<Member> members = new ArrayList<>();
        members.add(new Member("index", 0, Kind.INT64, 8, 1, new int[0]));
        int offset = 8;
        int k = 0;
        for (Map.Entry<Kind, List<Integer>> e : blocks.entrySet()) {
            Kind kind = e.getKey();
            int elementSize = kind == Kind.STRING ? Math.max(1, stringWidth) : kind.size;
            int[] cols = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            Member m = new Member("values_block_" + k++, offset, kind, elementSize, cols.length, cols);
            members.add(m);
            offset += m.size();
        }
        return new BlockLayout(members, columns.size());
    }

    /** The string member, or null. */
    Member stringMember() {
        for (Member m : members) {
            if (m.kind == Kind.STRING) {
                return m;
            }
        }
        return null;
    }

    /** This layout with every string member {@code width} bytes wide, offsets recomputed. */
    BlockLayout withStringWidth(int width) {
        List<Member> widened = new ArrayList<>();
        int offset = 0;
        for (Member m : members) {
            int elementSize = m.kind == Kind.STRING ? width : m.elementSize;
            widened.add(new Member(m.name, offset, m.kind, elementSize, m.count, m.columns));
            offset += elementSize * m.count;
        }
        return new BlockLayout(widened, memberOfColumn.length);
    }

    int columnOffset(int column) {
        Member m = members.get(memberOfColumn[column]);
        return m.offset + elementOfColumn[column] * m.elementSize;
    }

    Kind columnKind(int column) {
        return members.get(memberOfColumn[column]).kind;
    }

    int columnWidth(int column) {
        return members.get(memberOfColumn[column]).elementSize;
    }
}
