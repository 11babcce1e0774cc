package cox.store.journal;

import cox.exceptions.StoreFormatException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of journal records, little-endian. A table record is {@code 'T', u16 id, name,
 * u16 n, n × (name, u8 type code)}; a row record {@code 'R', u16 table id, cells}, each cell as its
 * {@link CellEncoding} says; a name is a u32 byte count and UTF-8. A payload that does not parse
 * is a {@link StoreFormatException} saying where it stops making sense; the caller adds the file
 * and offset.
 */
final class RecordCodec {
    /** Payload kind of a table definition. */
    static final byte TABLE = 'T';
    /** Payload kind of a row. */
    static final byte ROW = 'R';

    private RecordCodec() {
    }

    static byte[] encodeTable(JournalTable table) {
        int size = 1 + 2 + 4 + utf8Length(table.name()) + 2;
        for (JournalColumn c : table.columns()) {
            size += 4 + utf8Length(c.name()) + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(TABLE).putShort((short) table.id());
        putString(b, table.name());
        b.putShort((short) table.columns().size());
        for (JournalColumn c : table.columns()) {
            putString(b, c.name());
            b.put((byte) c.typeCode());
        }
        return b.array();
    }

    /**
     * Decodes a table record's payload after its kind byte, leaving {@code b} after it (a
     * checkpoint embeds table records followed by other fields).
     */
    static JournalTable decodeTable(ByteBuffer b) {
        try {
            int id = Short.toUnsignedInt(b.getShort());
            String name = getString(b);
            int n = Short.toUnsignedInt(b.getShort());
            List<JournalColumn> columns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String col = getString(b);
                columns.add(new JournalColumn(col, Byte.toUnsignedInt(b.get())));
            }
            return new JournalTable(id, name, columns);
        } catch (BufferUnderflowException e) {
            throw new StoreFormatException("table record is cut short at byte " + b.position() + " of "
                    + b.limit(), e);
        }
    }

    /** The UTF-8 bytes of the TEXT cells (null elsewhere), computed once for size and encoding. */
    static byte[][] texts(CellEncoding[] encodings, Object[] cells) {
        byte[][] texts = new byte[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            if (encodings[i] == CellEncoding.TEXT) {
                texts[i] = ((String) cells[i]).getBytes(StandardCharsets.UTF_8);
            }
        }
        return texts;
    }

    /** The bytes of a row record's payload. */
    static int rowSize(CellEncoding[] encodings, byte[][] texts) {
        int n = 3;
        for (int i = 0; i < encodings.length; i++) {
            switch (encodings[i]) {
                case INT64:
                case FLOAT64:
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

    /** Writes a row record's payload at {@code b}'s position, which has {@link #rowSize} bytes left. */
    static void encodeRow(ByteBuffer b, int tableId, CellEncoding[] encodings, Object[] cells, byte[][] texts) {
        b.put(ROW).putShort((short) tableId);
        for (int i = 0; i < encodings.length; i++) {
            switch (encodings[i]) {
                case INT64:
                    b.putLong((Long) cells[i]);
                    break;
                case FLOAT64:
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

    /** Reads a row's cells from the payload after its kind byte and table id. */
    static Object[] decodeRow(ByteBuffer b, CellEncoding[] encodings) {
        Object[] cells = new Object[encodings.length];
        int i = 0;
        try {
            for (; i < encodings.length; i++) {
                switch (encodings[i]) {
                    case INT64:
                        cells[i] = b.getLong();
                        break;
                    case FLOAT64:
                        cells[i] = b.getDouble();
                        break;
                    case BOOL:
                        cells[i] = b.get() != 0;
                        break;
                    default:
                        cells[i] = getString(b);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new StoreFormatException("row record ends inside cell " + i + " (" + encodings[i] + ") of "
                    + encodings.length, e);
        }
        if (b.hasRemaining()) {
            throw new StoreFormatException("row record has " + b.remaining() + " bytes left over after its "
                    + encodings.length + " cells");
        }
        return cells;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new BufferUnderflowException();
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }
}
