package cox.web;

import cox.exceptions.CoxException;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.tensorboard.EventFileReader;
import cox.tensorboard.ScalarEvent;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dflib.DataFrame;

/**
 * The run page's data: {@code GET /api/runs/{exp_id}} (parameters, tables, TensorBoard tags),
 * {@code .../tables/{table}} (a page of rows, object cells by type and size) and
 * {@code .../scalars}. The run and table come from the URL and are looked up in the listing and
 * the run's schema before use. Thread-safe.
 */
final class RunEndpoints {
    private static final int MAX_PAGE = 1_000;

    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final RequestParams params;

    RunEndpoints(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
        this.params = new RequestParams(scanner, summaries);
    }

    /** {@code GET /api/runs/{exp_id}}: the run's parameters, tables (schemas, row counts), TensorBoard tags. */
    void run(Context ctx) throws IOException {
        ListedRun r = params.runOf(ctx.pathParam("exp_id"));
        RunContents info = summaries.contents(r);
        Map<String, Long> rows = new LinkedHashMap<>();
        String error = info.error();
        if (error == null) {
            try (Store store = Store.open(scanner.directory(), r.expId, Mode.READ)) {
                for (String t : info.tables().keySet()) {
                    rows.put(t, store.keys().contains(t) ? store.table(t).nrows() : 0L);
                }
            } catch (CoxException e) {
                error = e.getMessage();
            }
        }
        TensorBoardScalars tb = scalars(r);
        Map<String, Integer> tags = new TreeMap<>();
        for (ScalarEvent e : tb.events()) {
            tags.merge(e.tag(), 1, Integer::sum);
        }
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("exp_id", r.expId);
            ListedRun.State state = r.state();
            g.writeStringField("status", state.status(scanner.clock().instant()).label());
            g.writeNumberField("last_write", state.stamp().lastWriteMillis());
            g.writeStringField("metadata_table", summaries.metadataTable());
            g.writeFieldName("params");
            out.object(info.params());
            g.writeObjectFieldStart("param_types");
            for (Map.Entry<String, ColumnType> p : info.paramTypes().entrySet()) {
                g.writeStringField(p.getKey(), p.getValue().name());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("tables");
            for (Map.Entry<String, Schema> t : info.tables().entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", t.getKey());
                out.value("rows", rows.get(t.getKey()));
                g.writeArrayFieldStart("columns");
                for (Map.Entry<String, ColumnType> c : t.getValue().entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("name", c.getKey());
                    g.writeStringField("type", c.getValue().name());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("tensorboard");
            for (Map.Entry<String, Integer> t : tags.entrySet()) {
                g.writeNumberField(t.getKey(), t.getValue());
            }
            g.writeEndObject();
            writeErrors(g, tb.errors());
            out.value("error", error);
            g.writeEndObject();
        }
    }

    /** {@code GET /api/runs/{exp_id}/tables/{table}?offset=&limit=}: a page of rows; object cells by type and size. */
    void rows(Context ctx) throws IOException {
        ListedRun r = params.runOf(ctx.pathParam("exp_id"));
        String table = ctx.pathParam("table");
        RunContents info = summaries.contents(r);
        if (!info.tables().containsKey(table)) {
            throw ApiError.notFound("run '" + r.expId + "' has no table '" + table + "'; it has " + info.tables().keySet());
        }
        long offset = RequestParams.longParam(ctx, "offset", 0);
        long limit = RequestParams.longParam(ctx, "limit", 100);
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw ApiError.badRequest("offset must be >= 0 and limit between 1 and " + MAX_PAGE + ": offset " + offset
                    + ", limit " + limit);
        }
        try (Store store = Store.open(scanner.directory(), r.expId, Mode.READ)) {
            Table t = store.table(table);
            DataFrame df = t.df();
            Schema schema = t.schema();
            int from = (int) Math.min(offset, df.height());
            int to = (int) Math.min((long) from + limit, df.height());
            ctx.contentType("application/json; charset=utf-8");
            try (JsonOut out = new JsonOut(ctx.outputStream())) {
                var g = out.g;
                g.writeStartObject();
                g.writeStringField("exp_id", r.expId);
                g.writeStringField("table", table);
                g.writeNumberField("total", df.height());
                g.writeNumberField("offset", from);
                g.writeArrayFieldStart("columns");
                for (Map.Entry<String, ColumnType> c : schema.entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("name", c.getKey());
                    g.writeStringField("type", c.getValue().name());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("rows");
                List<Map.Entry<String, ColumnType>> cols = new ArrayList<>(schema.entrySet());
                for (int i = from; i < to; i++) {
                    g.writeStartArray();
                    for (Map.Entry<String, ColumnType> c : cols) {
                        Object v = df.getColumn(c.getKey()).get(i);
                        if (c.getValue().isObject()) {
                            ObjectCellPreview d = ObjectCellPreview.of(t, r.dir, c.getValue(), (String) v);
                            g.writeStartObject();
                            g.writeStringField("type", d.type());
                            g.writeStringField("summary", d.summary());
                            g.writeNumberField("bytes", d.bytes());
                            if (d.json() != null) {
                                g.writeStringField("json", d.json());
                            }
                            g.writeEndObject();
                        } else {
                            out.value(v);
                        }
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        } catch (CoxException e) {
            throw new ApiError(500, e.getMessage());
        }
    }

    /** {@code GET /api/runs/{exp_id}/scalars?points=}: the run's TensorBoard scalars by tag, downsampled like the curves. */
    void scalars(Context ctx) throws IOException {
        ListedRun r = params.runOf(ctx.pathParam("exp_id"));
        int points = (int) RequestParams.longParam(ctx, "points", SeriesEndpoint.DEFAULT_POINTS);
        if (points < 10 || points > SeriesEndpoint.MAX_POINTS) {
            throw ApiError.badRequest("points must be between 10 and " + SeriesEndpoint.MAX_POINTS + ": " + points);
        }
        TensorBoardScalars tb = scalars(r);
        Map<String, List<ScalarEvent>> byTag = new TreeMap<>();
        for (ScalarEvent e : tb.events()) {
            byTag.computeIfAbsent(e.tag(), k -> new ArrayList<>()).add(e);
        }
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("exp_id", r.expId);
            g.writeObjectFieldStart("tags");
            SeriesEndpoint.JsonArrays arrays = new SeriesEndpoint.JsonArrays();
            for (Map.Entry<String, List<ScalarEvent>> t : byTag.entrySet()) {
                List<ScalarEvent> events = t.getValue();
                double[] steps = new double[events.size()];
                double[] values = new double[events.size()];
                for (int i = 0; i < steps.length; i++) {
                    steps[i] = events.get(i).step();
                    values[i] = events.get(i).value();
                }
                int[] keep = CurveArithmetic.minMaxBuckets(steps, values, steps.length, points / 2);
                g.writeObjectFieldStart(t.getKey());
                g.writeNumberField("n", steps.length);
                g.writeFieldName("step");
                arrays.write(out, steps, keep, true);
                g.writeFieldName("value");
                arrays.write(out, values, keep, false);
                g.writeEndObject();
            }
            g.writeEndObject();
            writeErrors(g, tb.errors());
            g.writeEndObject();
        }
    }

    /** A run's TensorBoard scalars, and why each event file that was left out was (its name and the error). */
    private record TensorBoardScalars(List<ScalarEvent> events, List<String> errors) {
    }

    private static void writeErrors(com.fasterxml.jackson.core.JsonGenerator g, List<String> errors) throws IOException {
        g.writeArrayFieldStart("tensorboard_errors");
        for (String e : errors) {
            g.writeString(e);
        }
        g.writeEndArray();
    }

    /**
     * The scalars of every event file under the run's {@code tensorboard} folder. A file that is
     * not a regular file (a FIFO would block the request's thread forever) is never opened
     * ({@link EventFileReader} refuses it), and it and a damaged file are left out with their
     * error; the scalars of the others are shown.
     */
    private static TensorBoardScalars scalars(ListedRun r) {
        Path tb = r.dir.resolve("tensorboard");
        if (!Files.isDirectory(tb)) {
            return new TensorBoardScalars(List.of(), List.of());
        }
        List<ScalarEvent> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tb, 3)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains("tfevents")).sorted().toList()) {
                try {
                    out.addAll(EventFileReader.readScalars(f));
                } catch (CoxException e) {
                    errors.add(e.getMessage());
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            errors.add("cannot list " + tb + ": " + e.getMessage());
        }
        return new TensorBoardScalars(out, errors);
    }
}
