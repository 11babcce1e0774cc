package cox.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;

/**
 * Writes a query's rows as JSON lines (one object per line, as pandas' {@code read_json(lines=True)}
 * and Spark's {@code read.json} take them), with every double exact: DuckDB's own JSON writer keeps
 * 15 digits. NaN and infinities are null (JSON has neither; pandas writes them so too); JSON
 * cells are written as nested JSON; times as ISO-8601 text. Stateless.
 */
final class JsonLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLines() {
    }

    static void write(Connection connection, String select, Path file) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(select);
                OutputStream out = Files.newOutputStream(file);
                JsonGenerator g = FACTORY.createGenerator(new java.io.BufferedOutputStream(out, 1 << 16))) {
            g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            String[] names = new String[n];
            int[] types = new int[n];
            boolean[] json = new boolean[n];
            for (int c = 0; c < n; c++) {
                names[c] = meta.getColumnLabel(c + 1);
                types[c] = meta.getColumnType(c + 1);
                json[c] = "JSON".equalsIgnoreCase(meta.getColumnTypeName(c + 1));
            }
            boolean any = false;
            while (rs.next()) {
                any = true;
                g.writeStartObject();
                for (int c = 0; c < n; c++) {
                    g.writeFieldName(names[c]);
                    cell(g, rs, c + 1, types[c], json[c]);
                }
                g.writeEndObject();
            }
            if (any) {
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + ErrorText.reason(e), e);
        }
    }

    private static void cell(JsonGenerator g, ResultSet rs, int c, int type, boolean json) throws SQLException, IOException {
        switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
                long v = rs.getLong(c);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
                double v = rs.getDouble(c);
                if (rs.wasNull() || !Double.isFinite(v)) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case Types.BOOLEAN -> {
                boolean v = rs.getBoolean(c);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(v);
                }
            }
            default -> {
                Object v = rs.getObject(c);
                if (v == null) {
                    g.writeNull();
                } else if (json) {
                    g.writeRawValue(v.toString());
                } else if (v instanceof OffsetDateTime t) {
                    g.writeString(t.toInstant().toString());
                } else {
                    g.writeString(v.toString());
                }
            }
        }
    }
}
