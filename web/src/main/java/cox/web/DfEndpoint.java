package cox.web;

import cox.readers.CollectionReader;
import cox.readers.ReadError;
import cox.readers.query.QueryException;
import cox.readers.query.QueryResult;
import cox.readers.query.RunQuery;
import cox.readers.summary.Statistic;
import cox.readers.text.CellText;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;

/**
 * {@code GET /api/df} and {@code GET /api/groups}: the answers of {@code cox df}, asked through
 * the same {@link RunQuery} with the same names, filters, reductions and groups (see
 * {@code docs/querying.md}), as JSON records or as the CSV {@code cox df --format csv} writes.
 * Every request reads the runs' tables anew (a {@link CollectionReader} that skips the runs it
 * cannot read, as the page lists them with their error). Thread-safe.
 */
final class DfEndpoint {
    /** The statistics of a group's column {@code C}: {@code C.mean}, ..., {@code C.p_welch}. */
    static final List<String> GROUP_STATISTICS = List.of("mean", "std", "sem", "ci95_low", "ci95_high", "min", "max", "diff",
            "p_welch");

    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final RequestParams params;

    DfEndpoint(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
        this.params = new RequestParams(scanner, summaries);
    }

    /**
     * {@code GET /api/df?table=&where=&last|best=COL[:min|max]|summary&group_by=A,B&baseline=&format=json|csv&limit=}:
     * what {@code cox df DIR TABLE} answers with the same options: rows of the table joined with
     * their run's parameters, one row per run ({@code last}, {@code best}, {@code summary}), or one
     * per group ({@code group_by}, {@code baseline}). A flag ({@code last}, {@code summary}) is on
     * when given with any value but {@code 0} or {@code false}. JSON is an array of objects
     * (pandas: {@code pd.read_json(url)}); the query's warnings (a name no run has) are in the
     * header {@code X-Cox-Warning}, one per header. A bad query is a 400 naming the option.
     */
    void df(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        String table = table(ctx, snap);
        RunQuery q = base(ctx, table);
        boolean last = flag(ctx, "last");
        boolean summary = flag(ctx, "summary");
        String best = ctx.queryParam("best");
        if ((last ? 1 : 0) + (summary ? 1 : 0) + (best == null || best.isEmpty() ? 0 : 1) > 1) {
            throw ApiError.badRequest("give at most one of last, best and summary");
        }
        if (last) {
            q = q.last();
        } else if (summary) {
            q = q.summary();
        } else if (best != null && !best.isEmpty()) {
            q = best(q, best);
        }
        q = grouped(ctx, q);
        long limit = RequestParams.longParam(ctx, "limit", Long.MAX_VALUE);
        QueryResult answer = run(q);
        DataFrame frame = answer.frame();
        if (limit < frame.height()) {
            frame = frame.head((int) Math.max(0, limit));
        }
        write(ctx, frame, answer.warnings(), format(ctx));
    }

    /**
     * {@code GET /api/groups?table=&group_by=A,B&baseline=&summary=last|first|min|max|mean|best|count&where=&format=json|csv}:
     * the page's groups table, {@code cox df --group-by} of each run's {@code summary} of every
     * numeric column: with {@code last} (the default) that is {@code cox df --last --group-by}
     * (columns {@code C.mean C.std C.sem C.ci95_low C.ci95_high C.min C.max}, and {@code C.diff
     * C.p_welch} with a baseline); with another statistic {@code S}, {@code cox df --summary
     * --group-by} keeping the columns of {@code C.S} ({@code C.S.mean}, ...). JSON is
     * {@code {"columns": [...], "rows": [[...], ...], "warnings": [...]}}; CSV as {@code cox df}.
     */
    void groups(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        String table = table(ctx, snap);
        String groupBy = ctx.queryParam("group_by");
        if (groupBy == null || groupBy.isBlank()) {
            throw ApiError.badRequest("give the names to group by as group_by=A,B");
        }
        String which = ctx.queryParam("summary");
        Statistic stat;
        try {
            stat = which == null || which.isEmpty() ? Statistic.LAST : Statistic.of(which);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("summary: " + e.getMessage());
        }
        RunQuery q = base(ctx, table);
        q = grouped(ctx, stat == Statistic.LAST ? q.last() : q.summary());
        QueryResult answer = run(q);
        DataFrame frame = answer.frame();
        if (stat != Statistic.LAST) {
            // --summary gives every statistic of every column; the page asked for one: C.S.mean, C.S.std, ...
            String infix = "." + stat.label() + ".";
            List<String> kept = new ArrayList<>();
            for (String n : frame.getColumnsIndex().toArray()) {
                int dot = n.lastIndexOf('.');
                boolean groupStatistic = dot > 0 && GROUP_STATISTICS.contains(n.substring(dot + 1));
                if (!groupStatistic || n.substring(0, dot + 1).endsWith(infix)) {
                    kept.add(n);
                }
            }
            frame = frame.cols(kept.toArray(new String[0])).select();
        }
        String format = format(ctx);
        if (format.equals("csv")) {
            write(ctx, frame, answer.warnings(), format);
            return;
        }
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            out.value("table", table);
            g.writeStringField("summary", stat.label());
            g.writeArrayFieldStart("columns");
            for (String c : frame.getColumnsIndex().toArray()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            for (int r = 0; r < frame.height(); r++) {
                g.writeStartArray();
                for (int c = 0; c < frame.width(); c++) {
                    out.value(frame.getColumn(c).get(r));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : answer.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private String table(Context ctx, RunScanner.Listing snap) {
        String table = params.table(ctx, snap);
        if (table == null) {
            throw ApiError.notFound("no run in " + scanner.directory() + " has a table");
        }
        return table;
    }

    /** The table, its metadata join and the {@code where} filters (repeatable). */
    private RunQuery base(Context ctx, String table) {
        RunQuery q = RunQuery.of(table).metadataTable(summaries.metadataTable());
        try {
            for (String w : ctx.queryParams("where")) {
                if (!w.isBlank()) {
                    q = q.where(w);
                }
            }
        } catch (QueryException e) {
            throw refused(e);
        }
        return q;
    }

    private static RunQuery best(RunQuery q, String spec) {
        return q.best(spec); // COL[:min|max], parsed as cox df --best parses it
    }

    private static RunQuery grouped(Context ctx, RunQuery q) {
        String groupBy = ctx.queryParam("group_by");
        RunQuery out = q;
        if (groupBy != null && !groupBy.isBlank()) {
            List<String> names = new ArrayList<>();
            for (String n : groupBy.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.strip());
                }
            }
            out = out.groupBy(names);
        }
        String baseline = ctx.queryParam("baseline");
        try {
            return baseline == null || baseline.isBlank() ? out : out.baseline(baseline);
        } catch (QueryException e) {
            throw refused(e);
        }
    }

    /** Runs the query; a run that cannot be read is left out and named in a warning, as cox df --skip-errors does. */
    private QueryResult run(RunQuery q) {
        try (CollectionReader reader = CollectionReader.builder(scanner.directory()).skipErrors(true).build()) {
            QueryResult answer = q.run(reader);
            if (reader.errors().isEmpty()) {
                return answer;
            }
            List<String> warnings = new ArrayList<>(answer.warnings());
            for (ReadError e : reader.errors()) {
                warnings.add("run " + e.expId() + " is left out: " + e.reason());
            }
            return new QueryResult(answer.frame(), answer.level(), warnings);
        } catch (QueryException e) {
            throw refused(e);
        }
    }

    /** A query's mistake as a 400 naming the parameter at fault, as cox df names its option. */
    private static ApiError refused(QueryException e) {
        String part = e.part().replace('-', '_');
        return new ApiError(400, (part.equals("table") ? "" : part + ": ") + e.getMessage());
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    private static String format(Context ctx) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiError.badRequest("format must be json or csv: " + format);
        }
        return format;
    }

    /** The frame as JSON records or as CSV, its warnings in headers. */
    private static void write(Context ctx, DataFrame frame, List<String> warnings, String format) throws IOException {
        for (String w : warnings) {
            ctx.res().addHeader("X-Cox-Warning", w.replaceAll("[\\r\\n]", " "));
        }
        String[] names = frame.getColumnsIndex().toArray();
        boolean csv = format.equals("csv");
        ctx.contentType(csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
        OutputStream raw = new BufferedOutputStream(ctx.outputStream(), 1 << 16);
        if (csv) {
            Writer text = new OutputStreamWriter(raw, StandardCharsets.UTF_8);
            text.write(csvLine(Arrays.asList(names)));
            List<String> values = new ArrayList<>(names.length);
            for (int r = 0; r < frame.height(); r++) {
                values.clear();
                for (int c = 0; c < names.length; c++) {
                    Object v = frame.getColumn(c).get(r);
                    boolean decoded = v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof Object[];
                    values.add(decoded ? ObjectJson.of(v) : CellText.of(v)); // an OBJECT cell as JSON, as cox df writes it
                }
                text.write(csvLine(values));
            }
            text.flush();
        } else {
            JsonOut json = new JsonOut(raw);
            json.g.writeStartArray();
            for (int r = 0; r < frame.height(); r++) {
                json.g.writeStartObject();
                for (int c = 0; c < names.length; c++) {
                    json.g.writeFieldName(names[c]);
                    json.tree(frame.getColumn(c).get(r));
                }
                json.g.writeEndObject();
            }
            json.g.writeEndArray();
            json.close();
        }
        raw.flush();
    }

    /**
     * One CSV line as {@code cox df --format csv} writes it: a field quoted only where CSV needs it
     * (a separator, a quote, a line break, a space at either end).
     */
    static String csvLine(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values.get(i);
            boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                    || !v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ');
            if (quote) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }
}
