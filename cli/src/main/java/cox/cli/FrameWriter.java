package cox.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import cox.readers.text.CellText;
import cox.readers.text.ValueExpansion;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * Writes a data frame in one of the command's output formats: an aligned text table, CSV, JSON
 * (an array of objects, one per row) or a Markdown table. In the text formats a number, a string
 * or a boolean is written as {@link CellText} writes it (Python's {@code str()}: {@code nan},
 * {@code True}), and a decoded OBJECT or PICKLE value (a map, a list) as compact JSON, as
 * {@code cox export}, {@code cox sql} and the page show it; in JSON, numbers, booleans, lists and
 * maps keep their JSON types and NaN/infinity become null (as pandas' {@code to_json}).
 */
final class FrameWriter {
    /** The formats of {@code --format}. */
    enum Format {
        TABLE, CSV, JSON, MARKDOWN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Widest cell of the text and Markdown tables before it is cut with an ellipsis. */
    static final int MAX_CELL = 48;

    private FrameWriter() {
    }

    /** Compact JSON for the cells that hold maps and lists; made on first use, for a mapper costs a cold JVM 0.1 s. */
    private static final class Compact {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    static void write(DataFrame df, Format format, Writer out) throws IOException {
        write(df, format, out, FrameWriter::cellText);
    }

    /**
     * A cell as the text formats write it: a map, a list or an array as compact JSON, anything
     * else as {@link CellText}.
     *
     * @throws cox.exceptions.ValueTooLargeException if a decoded value expands beyond {@link ValueExpansion}'s limits
     */
    static String cellText(Object v) {
        if (v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof Object[]) {
            try {
                return Compact.MAPPER.writeValueAsString(jsonValue(v));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return CellText.of(v);
            }
        }
        return CellText.of(v);
    }

    /**
     * @param cellText how the text formats (table, Markdown, CSV) write a cell
     */
    static void write(DataFrame df, Format format, Writer out, Function<Object, String> cellText) throws IOException {
        switch (format) {
            case TABLE:
                table(df, out, cellText);
                break;
            case MARKDOWN:
                markdown(df, out, cellText);
                break;
            case CSV:
                csv(df, out, cellText);
                break;
            default:
                json(df, out);
                break;
        }
        out.flush();
    }

    private static String[] names(DataFrame df) {
        return df.getColumnsIndex().toArray();
    }

    private static boolean rightAligned(Series<?> s) {
        for (int i = 0, n = s.size(); i < n; i++) {
            Object v = s.get(i);
            if (v != null) {
                return v instanceof Number;
            }
        }
        return false;
    }

    static String cut(String s, int max) {
        String oneLine = s.replace("\r", "").replace('\n', ' ').replace('\t', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    /** A text table: a header, a rule of dashes, then rows; numbers right-aligned; long cells cut but in the last column. */
    static void table(DataFrame df, Writer out, Function<Object, String> cellText) throws IOException {
        String[] names = names(df);
        int n = df.height();
        String[][] cells = new String[names.length][n];
        int[] width = new int[names.length];
        boolean[] right = new boolean[names.length];
        for (int c = 0; c < names.length; c++) {
            Series<?> s = df.getColumn(c);
            right[c] = rightAligned(s);
            width[c] = names[c].length();
            for (int r = 0; r < n; r++) {
                String text = cellText.apply(s.get(r));
                // the last column is never cut: it pushes no other column aside
                cells[c][r] = c == names.length - 1 ? cut(text, Integer.MAX_VALUE) : cut(text, MAX_CELL);
                width[c] = Math.max(width[c], cells[c][r].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        row(sb, names, width, right);
        out.write(sb.toString());
        sb.setLength(0);
        String[] rule = new String[names.length];
        for (int c = 0; c < names.length; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        row(sb, rule, width, right);
        out.write(sb.toString());
        String[] line = new String[names.length];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < names.length; c++) {
                line[c] = cells[c][r];
            }
            sb.setLength(0);
            row(sb, line, width, right);
            out.write(sb.toString());
        }
    }

    private static void row(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            if (right[c]) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]);
                if (c < cells.length - 1) {
                    sb.append(pad);
                }
            }
        }
        sb.append('\n');
    }

    private static void markdown(DataFrame df, Writer out, Function<Object, String> cellText) throws IOException {
        String[] names = names(df);
        StringBuilder sb = new StringBuilder("|");
        for (String name : names) {
            sb.append(' ').append(escapeMarkdown(name)).append(" |");
        }
        sb.append("\n|");
        for (int c = 0; c < names.length; c++) {
            sb.append(rightAligned(df.getColumn(c)) ? "---:|" : "---|");
        }
        sb.append('\n');
        out.write(sb.toString());
        for (int r = 0; r < df.height(); r++) {
            sb.setLength(0);
            sb.append('|');
            for (int c = 0; c < names.length; c++) {
                sb.append(' ').append(escapeMarkdown(cellText.apply(df.getColumn(c).get(r)))).append(" |");
            }
            sb.append('\n');
            out.write(sb.toString());
        }
    }

    private static String escapeMarkdown(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }

    /**
     * CSV with a header line, also when there are no rows: the header is written as the first
     * record (quoted as a cell is), not left to Jackson, which writes it again on close when no
     * row came after it.
     */
    private static void csv(DataFrame df, Writer out, Function<Object, String> cellText) throws IOException {
        String[] names = names(df);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false);
        for (String name : names) {
            schema.addColumn(name);
        }
        // quote only where CSV needs it (separator, quote, line break, edge spaces), not every long or odd-looking cell
        CsvMapper mapper = CsvMapper.builder().enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .build();
        try (var seq = mapper.writer(schema.build()).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(out)) {
            seq.write(Arrays.asList(names));
            String[] line = new String[names.length];
            for (int r = 0; r < df.height(); r++) {
                for (int c = 0; c < names.length; c++) {
                    line[c] = cellText.apply(df.getColumn(c).get(r));
                }
                seq.write(Arrays.asList(line));
            }
        }
    }

    private static void json(DataFrame df, Writer out) throws IOException {
        String[] names = names(df);
        List<Map<String, Object>> rows = new ArrayList<>(df.height());
        for (int r = 0; r < df.height(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < names.length; c++) {
                row.put(names[c], jsonValue(df.getColumn(c).get(r)));
            }
            rows.add(row);
        }
        writeJson(rows, out);
    }

    static void writeJson(Object value, Writer out) throws IOException {
        if (value instanceof List<?> list && list.isEmpty()) {
            out.write("[]\n"); // Jackson's indenting printer would write "[ ]"
            return;
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.writeValue(out, value);
        out.write('\n');
    }

    /**
     * The value as JSON should carry it: NaN and infinities as null, tuples as arrays, others by
     * their text; a decoded object within the limits of {@link ValueExpansion} (checked before
     * anything is built: a shared container is written out each time it is referenced).
     *
     * @throws cox.exceptions.ValueTooLargeException if it expands beyond them
     */
    static Object jsonValue(Object v) {
        if (v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof Object[]) {
            ValueExpansion.check(v);
        }
        return converted(v);
    }

    private static Object converted(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(CellText.of(k), converted(x)));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(x -> out.add(converted(x)));
            return out;
        }
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>();
            for (Object x : a) {
                out.add(converted(x));
            }
            return out;
        }
        return CellText.of(v);
    }
}
