package cox.store.journal;

import cox.store.ColumnType;
import cox.store.Schema;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The payloads of journal records. A table record is {@code 'T', u16 id, name, u16 n, n × (name,
 * u8 type)}; a row record {@code 'R', u16 table id, cells}, a cell being int64 (INT), float64
 * (FLOAT), one byte (BOOL) or a u32 length and UTF-8 bytes (text types); little-endian.
 */
public final class RecordCodec {
    /** Payload kind of a table definition. */
    public static final byte TABLE = 'T';
    /** Payload kind of a row. */
    public static final byte ROW = 'R';

    private static final ColumnType[] TYPES = ColumnType.values();

    private RecordCodec() {
    }

    /**
     * Encodes a table definition.
     *
     * @param table the table
     * @return its payload
     */
    public static byte[] encodeTable(TableDefinition table) {
        ByteBuffer b = ByteBuffer.allocate(64 + 8 * table.schema().size() + utf8Size(table)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(TABLE).putShort((short) table.id());
        putString(b, table.name());
        b.putShort((short) table.schema().size());
        for (Map.Entry<String, ColumnType> e : table.schema().entrySet()) {
            putString(b, e.getKey());
            b.put((byte) e.getValue().ordinal());
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static int utf8Size(TableDefinition table) {
        int n = table.name().getBytes(StandardCharsets.UTF_8).length;
        for (String c : table.schema().keySet()) {
            n += c.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    /**
     * Decodes a table definition (the kind byte already read).
     *
     * @param b the payload after its kind byte
     * @return the table
     */
    public static TableDefinition decodeTable(ByteBuffer b) {
        int id = Short.toUnsignedInt(b.getShort());
        String name = getString(b);
        int n = Short.toUnsignedInt(b.getShort());
        Schema.Builder sb = Schema.builder();
        for (int i = 0; i < n; i++) {
            String col = getString(b);
            int t = b.get();
            if (t < 0 || t >= TYPES.length) {
                throw new IllegalArgumentException("unknown column type " + t + " for column '" + col + "'");
            }
            sb.add(col, TYPES[t]);
        }
        return new TableDefinition(id, name, sb.build());
    }

    /**
     * The bytes a row record needs, so a caller can size its buffer.
     *
     * @param types the schema's types in order
     * @param cells the row's cells, checked against the schema
     * @param texts the UTF-8 bytes of the text cells, in column order (null elsewhere)
     * @return payload length in bytes
     */
    public static int rowSize(ColumnType[] types, Object[] cells, byte[][] texts) {
        int n = 3;
        for (int i = 0; i < types.length; i++) {
            switch (types[i]) {
                case INT: case FLOAT:
                    n += 8;
                    break;
                case BOOL:
                    n += 1;
                    break;
                default:
                    n += 4 + texts[i].length;
            }
        }
        return n;
    }

    /**
     * Writes a row record's payload at {@code b}'s position.
     *
     * @param b where to write; must have {@link #rowSize} bytes left
     * @param tableId the table's id
     * @param types the schema's types
     * @param cells Long, Double, Boolean or String per column
     * @param texts UTF-8 bytes of the text cells
     */
    public static void encodeRow(ByteBuffer b, int tableId, ColumnType[] types, Object[] cells, byte[][] texts) {
        b.put(ROW).putShort((short) tableId);
        for (int i = 0; i < types.length; i++) {
            switch (types[i]) {
                case INT:
                    b.putLong((Long) cells[i]);
                    break;
                case FLOAT:
                    b.putDouble((Double) cells[i]);
                    break;
                case BOOL:
                    b.put((byte) (((Boolean) cells[i]) ? 1 : 0));
                    break;
                default:
                    b.putInt(texts[i].length).put(texts[i]);
            }
        }
    }

    /**
     * Reads a row's cells (table id already read).
     *
     * @param b the payload after kind and table id
     * @param types the table's column types
     * @return Long, Double, Boolean or String per column
     */
    public static Object[] decodeRow(ByteBuffer b, ColumnType[] types) {
        Object[] cells = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            switch (types[i]) {
                case INT:
                    cells[i] = b.getLong();
                    break;
                case FLOAT:
                    cells[i] = b.getDouble();
                    break;
                case BOOL:
                    cells[i] = b.get() != 0;
                    break;
                default:
                    cells[i] = getString(b);
            }
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " bytes left over after the row's cells");
        }
        return cells;
    }

    static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    static String getString(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new BufferUnderflowException();
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }
}
