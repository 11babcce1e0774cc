package cox.web;

import cox.exceptions.CoxException;
import cox.readers.filter.RunFilter;
import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;

/**
 * {@code GET /api/df}: the rows of a table of every run joined with the run's parameters, as
 * {@code cox df} joins them, filtered row by row, streamed as JSON records or CSV. Thread-safe.
 *
 * <p>TODO(reader): {@code CollectionReader.df(table, DfOptions)} with its metadata join could
 * serve this once it streams; today it reads store by store here.
 */
final class DfEndpoint {
    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final RequestParams params;

    DfEndpoint(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
        this.params = new RequestParams(scanner, summaries);
    }

    /**
     * {@code GET /api/df?table=&where=&format=json|csv&limit=}: the rows of {@code table} of every
     * run, each with its exp_id and its run's parameters (as {@code cox df} joins them), filtered
     * row by row. JSON is an array of objects (pandas: {@code pd.read_json(url)}).
     */
    void df(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        String table = params.table(ctx, snap);
        if (table == null) {
            throw ApiError.notFound("no run in " + scanner.directory() + " has a table");
        }
        RunFilter filter = RequestParams.filter(ctx);
        long limit = RequestParams.longParam(ctx, "limit", Long.MAX_VALUE);
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiError.badRequest("format must be json or csv: " + format);
        }
        summaries.summarize(snap.runs(), null);
        ColumnUnion columns = ColumnUnion.of(summaries.knownContents(snap.runs()), null);
        List<String> names = new ArrayList<>();
        Map<String, ColumnType> tableColumns = new LinkedHashMap<>();
        for (ListedRun r : snap.runs()) {
            Schema s = summaries.contents(r).tables().get(table);
            if (s != null) {
                s.forEach(tableColumns::putIfAbsent);
            }
        }
        names.addAll(tableColumns.keySet());
        names.add("exp_id");
        for (String p : columns.params.keySet()) {
            if (!tableColumns.containsKey(p) && !p.equals("exp_id")) {
                names.add(p);
            }
        }
        boolean csv = format.equals("csv");
        ctx.contentType(csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
        OutputStream raw = new BufferedOutputStream(ctx.outputStream(), 1 << 16);
        JsonOut json = csv ? null : new JsonOut(raw);
        Writer text = csv ? new java.io.OutputStreamWriter(raw, StandardCharsets.UTF_8) : null;
        if (csv) {
            text.write(csvLine(names));
        } else {
            json.g.writeStartArray();
        }
        long written = 0;
        Map<String, Object> cells = new LinkedHashMap<>();
        outer:
        for (ListedRun r : snap.runs()) {
            RunContents info = summaries.contents(r);
            if (!info.tables().containsKey(table)) {
                continue;
            }
            DataFrame df;
            try (Store store = Store.open(scanner.directory(), r.expId, Mode.READ)) {
                df = store.table(table).df();
            } catch (CoxException e) {
                continue;
            }
            for (int i = 0; i < df.height(); i++) {
                cells.clear();
                for (String c : names) {
                    if (df.getColumnsIndex().contains(c)) {
                        cells.put(c, df.getColumn(c).get(i));
                    } else if (c.equals("exp_id")) {
                        cells.put(c, r.expId);
                    } else {
                        cells.put(c, info.params().get(c));
                    }
                }
                if (!filter.test(cells)) {
                    continue;
                }
                if (written++ >= limit) {
                    break outer;
                }
                if (csv) {
                    List<String> values = new ArrayList<>(names.size());
                    for (String c : names) {
                        values.add(CellText.of(cells.get(c)));
                    }
                    text.write(csvLine(values));
                } else {
                    json.object(cells);
                }
            }
        }
        if (csv) {
            text.flush();
        } else {
            json.g.writeEndArray();
            json.close();
        }
        raw.flush();
    }

    private static String csvLine(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }
}
