package cox.web;

import cox.exceptions.CoxException;
import cox.readers.CellText;
import cox.readers.FilterSyntaxException;
import cox.readers.RunFilter;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.tensorboard.EventFileReader;
import cox.tensorboard.ScalarEvent;
import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.dflib.DataFrame;

/**
 * The JSON API's handlers. Every name that comes from a URL (a run id, a table, a column) is
 * looked up in the listing or in a run's schema before it is used; nothing in a URL becomes a
 * path. Read-only: there is no handler that writes. Thread-safe (state lives in the
 * {@link RunIndex}).
 */
final class Api {
    static final int MAX_POINTS = 20_000;
    static final int DEFAULT_POINTS = 1_500;
    private static final int MAX_PAGE = 1_000;
    private static final String[] SUMMARIES = {"last", "best", "min", "max", "mean", "first", "at"};

    private final RunIndex index;

    Api(RunIndex index) {
        this.index = index;
    }

    // ------------------------------------------------------------------ /api/runs

    /** {@code GET /api/runs?table=&where=&summary=&x=&at=&since=}: one object per run. */
    void runs(Context ctx) throws IOException {
        RunIndex.Snapshot snap = index.refresh();
        String table = tableParam(ctx, snap);
        long since = longParam(ctx, "since", -1);
        boolean incremental = since >= 0 && since <= snap.version();
        List<RunIndex.Run> chosen = new ArrayList<>();
        for (RunIndex.Run r : snap.runs()) {
            if (!incremental || r.changed > since) {
                chosen.add(r);
            }
        }
        if (table != null) {
            index.summarize(chosen, table);
        } else {
            index.summarize(chosen, null);
        }
        Columns columns = columns(snap.runs(), table);
        String summary = summaryParam(ctx);
        Step step = stepParam(ctx, table, columns);
        RunFilter filter = filterParam(ctx);
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("dir", index.directory().toString());
            g.writeNumberField("version", snap.version());
            g.writeBooleanField("incremental", incremental);
            out.value("table", table);
            g.writeStringField("metadata_table", index.metadataTable());
            g.writeArrayFieldStart("tables");
            for (String t : columns.tables) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("params");
            for (Map.Entry<String, ColumnType> p : columns.params.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", p.getKey());
                g.writeStringField("type", p.getValue().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("metrics");
            for (String m : columns.metrics.keySet()) {
                g.writeStartObject();
                g.writeStringField("name", m);
                g.writeStringField("type", columns.metrics.get(m).name());
                g.writeStringField("goal", MetricSummary.goalOf(m));
                g.writeEndObject();
            }
            g.writeEndArray();
            out.value("x_default", columns.metrics.containsKey("epoch") ? "epoch" : Series.ROW_INDEX);
            if (step != null) {
                g.writeObjectFieldStart("at");
                g.writeStringField("x", step.x);
                out.num("step", step.value);
                g.writeEndObject();
            }
            g.writeArrayFieldStart("runs");
            for (RunIndex.Run r : chosen) {
                Row row = row(r, table, summary, step);
                if (filter.test(row)) {
                    writeRun(out, row);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("removed");
            for (Map.Entry<String, Long> e : snap.removed().entrySet()) {
                if (!incremental || e.getValue() > since) {
                    g.writeString(e.getKey());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** {@code GET /api/filter?table=&where=&summary=&x=&at=}: the ids of the runs that pass, or a 400 naming the error. */
    void filter(Context ctx) throws IOException {
        RunIndex.Snapshot snap = index.refresh();
        String table = tableParam(ctx, snap);
        RunFilter filter = filterParam(ctx);
        index.summarize(snap.runs(), table);
        Columns columns = columns(snap.runs(), table);
        String summary = summaryParam(ctx);
        Step step = stepParam(ctx, table, columns);
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            out.g.writeStartObject();
            out.g.writeNumberField("version", snap.version());
            out.g.writeStringField("where", filter.expression());
            out.g.writeArrayFieldStart("ids");
            for (RunIndex.Run r : snap.runs()) {
                if (filter.test(row(r, table, summary, step))) {
                    out.g.writeString(r.expId);
                }
            }
            out.g.writeEndArray();
            out.g.writeEndObject();
        }
    }

    /** {@code GET /api/status}: how many runs, the version, reading progress. */
    void status(Context ctx) throws IOException {
        RunIndex.Snapshot snap = index.refresh();
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            out.g.writeStartObject();
            out.g.writeStringField("dir", index.directory().toString());
            out.g.writeNumberField("runs", snap.runs().size());
            out.g.writeNumberField("running", snap.runs().stream().filter(r -> r.running).count());
            out.g.writeNumberField("version", snap.version());
            out.g.writeFieldName("progress");
            out.object(index.progress());
            out.g.writeEndObject();
        }
    }

    /** The cells a filter sees for one run, and what /api/runs writes of it. */
    private final class Row implements Function<String, Object> {
        final RunIndex.Run run;
        final RunInfo info;
        final TableSummary summary;
        final String kind;
        final Map<String, Double> at;

        Row(RunIndex.Run run, RunInfo info, TableSummary summary, String kind, Map<String, Double> at) {
            this.run = run;
            this.info = info;
            this.summary = summary;
            this.kind = kind;
            this.at = at;
        }

        @Override
        public Object apply(String name) {
            switch (name) {
                case "exp_id":
                    return run.expId;
                case "status":
                    return run.running ? "running" : "finished";
                case "rows":
                    return summary == null || summary.rows() < 0 ? null : summary.rows();
                case "last_write":
                    return Instant.ofEpochMilli(run.stamp.lastWriteMillis()).toString();
                default:
                    break;
            }
            if (info.params().containsKey(name)) {
                return info.params().get(name);
            }
            if (summary == null) {
                return null;
            }
            int dot = name.lastIndexOf('.');
            String metric = name;
            String which = kind;
            if (!summary.metrics().containsKey(name) && dot > 0) {
                metric = name.substring(0, dot);
                which = name.substring(dot + 1);
            }
            MetricSummary m = summary.metrics().get(metric);
            return m == null ? null : summaryValue(m, metric, which, at);
        }
    }

    private static Object summaryValue(MetricSummary m, String metric, String which, Map<String, Double> at) {
        switch (which) {
            case "first":
                return m.first();
            case "last":
                return m.last();
            case "min":
                return m.min();
            case "max":
                return m.max();
            case "mean":
                return m.mean();
            case "best":
                return m.best(MetricSummary.goalOf(metric));
            case "count":
                return m.count();
            case "at":
                return at == null ? null : at.get(metric);
            default:
                return null;
        }
    }

    private Row row(RunIndex.Run r, String table, String kind, Step step) {
        RunInfo info = index.info(r);
        TableSummary s = table == null ? null : index.summary(r, table);
        Map<String, Double> at = null;
        if (step != null && s != null && s.rows() > 0) {
            TableColumns c = index.columns(r, table);
            if (c != null) {
                at = new LinkedHashMap<>();
                double[] x = c.column(step.x);
                for (Map.Entry<String, double[]> e : c.columns().entrySet()) {
                    at.put(e.getKey(), x == null ? null : valueAt(x, e.getValue(), c.rows(), step.value));
                }
            }
        }
        return new Row(r, info, s, kind, at);
    }

    /** The y of the last row whose x is at most {@code step}; null if there is none. */
    static Double valueAt(double[] x, double[] y, int n, double step) {
        int found = -1;
        for (int i = 0; i < n; i++) {
            if (x[i] <= step) {
                found = i;
            }
        }
        return found < 0 ? null : y[found];
    }

    private void writeRun(JsonOut out, Row row) throws IOException {
        var g = out.g;
        RunIndex.Run r = row.run;
        g.writeStartObject();
        g.writeStringField("exp_id", r.expId);
        g.writeStringField("status", r.running ? "running" : "finished");
        g.writeNumberField("last_write", r.stamp.lastWriteMillis());
        g.writeNumberField("changed", r.changed);
        if (row.summary == null || row.summary.rows() < 0) {
            g.writeNullField("rows");
        } else {
            g.writeNumberField("rows", row.summary.rows());
        }
        g.writeFieldName("params");
        out.object(row.info.params());
        g.writeObjectFieldStart("metrics");
        if (row.summary != null) {
            for (Map.Entry<String, MetricSummary> e : row.summary.metrics().entrySet()) {
                MetricSummary m = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                out.num("first", m.first());
                out.num("last", m.last());
                out.num("min", m.min());
                out.num("max", m.max());
                out.num("mean", m.mean());
                out.num("best", m.best(MetricSummary.goalOf(e.getKey())));
                g.writeNumberField("count", m.count());
                if (row.at != null) {
                    out.value("at", row.at.get(e.getKey()));
                }
                g.writeEndObject();
            }
        }
        g.writeEndObject();
        String error = row.info.error() != null ? row.info.error() : row.summary == null ? null : row.summary.error();
        out.value("error", error);
        g.writeEndObject();
    }

    /** Union over runs, in order of first appearance: tables, parameters, numeric columns of {@code table}. */
    private static final class Columns {
        final Set<String> tables = new LinkedHashSet<>();
        final Map<String, ColumnType> params = new LinkedHashMap<>();
        final Map<String, ColumnType> metrics = new LinkedHashMap<>();
    }

    private Columns columns(List<RunIndex.Run> runs, String table) {
        Columns c = new Columns();
        for (RunIndex.Run r : runs) {
            RunInfo info = r.info;
            if (info == null) {
                continue;
            }
            c.tables.addAll(info.tables().keySet());
            for (Map.Entry<String, ColumnType> p : info.paramTypes().entrySet()) {
                c.params.merge(p.getKey(), p.getValue(), Api::unionType);
            }
            Schema s = table == null ? null : info.tables().get(table);
            if (s != null) {
                for (Map.Entry<String, ColumnType> e : s.entrySet()) {
                    if (TableColumns.isNumeric(e.getValue())) {
                        c.metrics.merge(e.getKey(), e.getValue(), Api::unionType);
                    }
                }
            }
        }
        return c;
    }

    private static ColumnType unionType(ColumnType a, ColumnType b) {
        if (a == b) {
            return a;
        }
        if (TableColumns.isNumeric(a) && TableColumns.isNumeric(b)) {
            return ColumnType.FLOAT;
        }
        return ColumnType.STR;
    }

    // ------------------------------------------------------------------ /api/series

    /**
     * {@code GET /api/series?table=&id=a&id=b&x=&y=loss,acc&points=&smooth=&format=json|bin} (or
     * {@code ids=a,b}): the
     * curves of the runs, downsampled into min/max buckets when longer than {@code points}.
     */
    void series(Context ctx) throws IOException {
        RunIndex.Snapshot snap = index.refresh();
        String table = tableParam(ctx, snap);
        if (table == null) {
            throw ApiError.notFound("no run in " + index.directory() + " has a table");
        }
        List<RunIndex.Run> runs = runsParam(ctx);
        int points = (int) longParam(ctx, "points", DEFAULT_POINTS);
        if (points < 10 || points > MAX_POINTS) {
            throw ApiError.badRequest("points must be between 10 and " + MAX_POINTS + ": " + points);
        }
        double smooth = doubleParam(ctx, "smooth", 0);
        if (!(smooth >= 0 && smooth < 1)) {
            throw ApiError.badRequest("smooth must be in [0, 1): " + ctx.queryParam("smooth"));
        }
        boolean binary = "bin".equals(ctx.queryParam("format"));
        index.summarize(runs, table);
        Columns columns = columns(runs, table);
        String x = ctx.queryParam("x");
        if (x == null || x.isEmpty()) {
            x = columns.metrics.containsKey("epoch") ? "epoch" : Series.ROW_INDEX;
        } else if (!x.equals(Series.ROW_INDEX) && !columns.metrics.containsKey(x)) {
            throw ApiError.notFound("table '" + table + "' has no numeric column '" + x + "' in the runs asked for; it has "
                    + columns.metrics.keySet());
        }
        List<String> ys = new ArrayList<>();
        String y = ctx.queryParam("y");
        if (y == null || y.isEmpty()) {
            for (String m : columns.metrics.keySet()) {
                if (!m.equals(x)) {
                    ys.add(m);
                }
            }
        } else {
            for (String m : y.split(",")) {
                if (!columns.metrics.containsKey(m)) {
                    throw ApiError.notFound("table '" + table + "' has no numeric column '" + m + "' in the runs asked for; it has "
                            + columns.metrics.keySet());
                }
                ys.add(m);
            }
        }
        ArrayOut arrays = binary ? new BinaryArrays() : new JsonArrays();
        ByteArrayOutputStream header = binary ? new ByteArrayOutputStream() : null;
        OutputStream target = binary ? header : ctx.outputStream();
        ctx.contentType(binary ? "application/octet-stream" : "application/json; charset=utf-8");
        int buckets = points / 2;
        try (JsonOut out = new JsonOut(target)) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeStringField("x", x);
            g.writeNumberField("points", points);
            out.num("smooth", smooth);
            g.writeArrayFieldStart("runs");
            for (RunIndex.Run r : runs) {
                g.writeStartObject();
                g.writeStringField("exp_id", r.expId);
                TableColumns c = index.columns(r, table);
                double[] xs = c == null ? null : c.column(x);
                if (xs == null) {
                    g.writeNumberField("n", 0);
                    g.writeStringField("missing", c == null ? "no table '" + table + "'" : "no column '" + x + "'");
                    g.writeEndObject();
                    continue;
                }
                int n = c.rows();
                int[] drawable = Series.finiteIndices(xs, n);
                g.writeNumberField("n", n);
                if (drawable.length < n) {
                    g.writeNumberField("skipped_x_not_finite", n - drawable.length);
                }
                g.writeFieldName("x");
                arrays.write(out, xs, drawable.length == n ? null : drawable);
                g.writeObjectFieldStart("series");
                for (String m : ys) {
                    double[] values = c.column(m);
                    if (values == null) {
                        continue;
                    }
                    g.writeObjectFieldStart(m);
                    int[] keep = Series.minMaxBuckets(xs, values, n, buckets);
                    if (keep.length == drawable.length) {
                        g.writeFieldName("y");
                        arrays.write(out, values, drawable.length == n ? null : drawable);
                    } else {
                        g.writeNumberField("downsampled_from", drawable.length);
                        g.writeFieldName("x");
                        arrays.write(out, xs, keep);
                        g.writeFieldName("y");
                        arrays.write(out, values, keep);
                        if (smooth > 0) {
                            g.writeFieldName("smoothed");
                            arrays.write(out, Series.ema(values, smooth), keep);
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (binary) {
            ((BinaryArrays) arrays).send(header.toByteArray(), ctx.outputStream());
        }
    }

    /** Writes a double array (or the elements at {@code index}) into a response. */
    private interface ArrayOut {
        void write(JsonOut out, double[] a, int[] index) throws IOException;
    }

    private static final class JsonArrays implements ArrayOut {
        @Override
        public void write(JsonOut out, double[] a, int[] index) throws IOException {
            out.g.writeStartArray();
            int n = index == null ? a.length : index.length;
            for (int i = 0; i < n; i++) {
                out.num(a[index == null ? i : index[i]]);
            }
            out.g.writeEndArray();
        }
    }

    /**
     * The binary form the page reads: {@code "COXS"}, the header's length (uint32 LE), the header
     * (the JSON form with each array replaced by {@code {"offset": o, "length": n}}, counted in
     * doubles), zero bytes up to a multiple of 8, then the doubles (float64 LE).
     */
    private static final class BinaryArrays implements ArrayOut {
        private final List<double[]> arrays = new ArrayList<>();
        private final List<int[]> indices = new ArrayList<>();
        private long offset;

        @Override
        public void write(JsonOut out, double[] a, int[] index) throws IOException {
            int n = index == null ? a.length : index.length;
            out.g.writeStartObject();
            out.g.writeNumberField("offset", offset);
            out.g.writeNumberField("length", n);
            out.g.writeEndObject();
            arrays.add(a);
            indices.add(index);
            offset += n;
        }

        void send(byte[] header, OutputStream raw) throws IOException {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            head.put("COXS".getBytes(StandardCharsets.US_ASCII)).putInt(header.length);
            out.write(head.array());
            out.write(header);
            int pad = (int) ((8 - (8 + header.length) % 8) % 8);
            out.write(new byte[pad]);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < arrays.size(); k++) {
                double[] a = arrays.get(k);
                int[] index = indices.get(k);
                int n = index == null ? a.length : index.length;
                for (int i = 0; i < n; i++) {
                    if (buf.remaining() < 8) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putDouble(a[index == null ? i : index[i]]);
                }
            }
            out.write(buf.array(), 0, buf.position());
            out.flush();
        }
    }

    // ------------------------------------------------------------------ /api/runs/{id}

    /** {@code GET /api/runs/{exp_id}}: the run's parameters, tables (schemas, row counts), TensorBoard tags. */
    void run(Context ctx) throws IOException {
        RunIndex.Run r = runOf(ctx.pathParam("exp_id"));
        RunInfo info = index.info(r);
        Map<String, Long> rows = new LinkedHashMap<>();
        String error = info.error();
        if (error == null) {
            try (Store store = new Store(index.directory(), r.expId, false, Mode.READ)) {
                for (String t : info.tables().keySet()) {
                    rows.put(t, store.keys().contains(t) ? store.table(t).nrows() : 0L);
                }
            } catch (CoxException e) {
                error = e.getMessage();
            }
        }
        Map<String, Integer> tags = new TreeMap<>();
        for (ScalarEvent e : scalars(r)) {
            tags.merge(e.tag(), 1, Integer::sum);
        }
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("exp_id", r.expId);
            g.writeStringField("status", r.running ? "running" : "finished");
            g.writeNumberField("last_write", r.stamp.lastWriteMillis());
            g.writeStringField("metadata_table", index.metadataTable());
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
            out.value("error", error);
            g.writeEndObject();
        }
    }

    /** {@code GET /api/runs/{exp_id}/tables/{table}?offset=&limit=}: a page of rows; object cells by type and size. */
    void rows(Context ctx) throws IOException {
        RunIndex.Run r = runOf(ctx.pathParam("exp_id"));
        String table = ctx.pathParam("table");
        RunInfo info = index.info(r);
        if (!info.tables().containsKey(table)) {
            throw ApiError.notFound("run '" + r.expId + "' has no table '" + table + "'; it has " + info.tables().keySet());
        }
        long offset = longParam(ctx, "offset", 0);
        long limit = longParam(ctx, "limit", 100);
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw ApiError.badRequest("offset must be >= 0 and limit between 1 and " + MAX_PAGE + ": offset " + offset
                    + ", limit " + limit);
        }
        try (Store store = new Store(index.directory(), r.expId, false, Mode.READ)) {
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
                            ObjectCells.Described d = ObjectCells.describe(t, r.dir, c.getValue(), (String) v);
                            g.writeStartObject();
                            g.writeStringField("type", d.type());
                            g.writeStringField("summary", d.summary());
                            g.writeNumberField("bytes", d.bytes());
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
        RunIndex.Run r = runOf(ctx.pathParam("exp_id"));
        int points = (int) longParam(ctx, "points", DEFAULT_POINTS);
        if (points < 10 || points > MAX_POINTS) {
            throw ApiError.badRequest("points must be between 10 and " + MAX_POINTS + ": " + points);
        }
        Map<String, List<ScalarEvent>> byTag = new TreeMap<>();
        for (ScalarEvent e : scalars(r)) {
            byTag.computeIfAbsent(e.tag(), k -> new ArrayList<>()).add(e);
        }
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("exp_id", r.expId);
            g.writeObjectFieldStart("tags");
            JsonArrays arrays = new JsonArrays();
            for (Map.Entry<String, List<ScalarEvent>> t : byTag.entrySet()) {
                List<ScalarEvent> events = t.getValue();
                double[] steps = new double[events.size()];
                double[] values = new double[events.size()];
                for (int i = 0; i < steps.length; i++) {
                    steps[i] = events.get(i).step();
                    values[i] = events.get(i).value();
                }
                int[] keep = Series.minMaxBuckets(steps, values, steps.length, points / 2);
                g.writeObjectFieldStart(t.getKey());
                g.writeNumberField("n", steps.length);
                g.writeFieldName("step");
                arrays.write(out, steps, keep);
                g.writeFieldName("value");
                arrays.write(out, values, keep);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static List<ScalarEvent> scalars(RunIndex.Run r) {
        Path tb = r.dir.resolve("tensorboard");
        if (!Files.isDirectory(tb)) {
            return List.of();
        }
        List<ScalarEvent> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tb, 3)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains("tfevents")).sorted().toList()) {
                try {
                    out.addAll(EventFileReader.readScalars(f));
                } catch (CoxException e) {
                    // a damaged or half-written event file: show the scalars of the others
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    // ------------------------------------------------------------------ /api/df

    /**
     * {@code GET /api/df?table=&where=&format=json|csv&limit=}: the rows of {@code table} of every
     * run, each with its exp_id and its run's parameters (as {@code cox df} joins them), filtered
     * row by row. JSON is an array of objects (pandas: {@code pd.read_json(url)}).
     */
    void df(Context ctx) throws IOException {
        RunIndex.Snapshot snap = index.refresh();
        String table = tableParam(ctx, snap);
        if (table == null) {
            throw ApiError.notFound("no run in " + index.directory() + " has a table");
        }
        RunFilter filter = filterParam(ctx);
        long limit = longParam(ctx, "limit", Long.MAX_VALUE);
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiError.badRequest("format must be json or csv: " + format);
        }
        index.summarize(snap.runs(), null);
        Columns columns = columns(snap.runs(), null);
        List<String> names = new ArrayList<>();
        Map<String, ColumnType> tableColumns = new LinkedHashMap<>();
        for (RunIndex.Run r : snap.runs()) {
            Schema s = index.info(r).tables().get(table);
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
        for (RunIndex.Run r : snap.runs()) {
            RunInfo info = index.info(r);
            if (!info.tables().containsKey(table)) {
                continue;
            }
            DataFrame df;
            try (Store store = new Store(index.directory(), r.expId, false, Mode.READ)) {
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

    // ------------------------------------------------------------------ parameters

    private RunIndex.Run runOf(String expId) {
        RunIndex.Run r = index.run(expId);
        if (r == null) {
            index.rescanIfStale();
            r = index.run(expId);
        }
        if (r == null) {
            throw ApiError.notFound("no run '" + expId + "' in " + index.directory());
        }
        return r;
    }

    /** The runs named by repeated {@code id=} parameters (any exp_id) and/or {@code ids=a,b} (ids without commas). */
    private List<RunIndex.Run> runsParam(Context ctx) {
        List<String> names = new ArrayList<>(ctx.queryParams("id"));
        String ids = ctx.queryParam("ids");
        if (ids != null && !ids.isEmpty()) {
            names.addAll(Arrays.asList(ids.split(",")));
        }
        if (names.isEmpty()) {
            throw ApiError.badRequest("give the runs as id=EXP_ID&id=EXP_ID... or ids=EXP_ID,EXP_ID,...");
        }
        List<RunIndex.Run> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : names) {
            if (seen.add(id)) {
                out.add(runOf(id));
            }
        }
        return out;
    }

    /** The table asked for, checked against the tables the listed runs have; the default table if none is asked for. */
    private String tableParam(Context ctx, RunIndex.Snapshot snap) {
        String table = ctx.queryParam("table");
        if (table == null || table.isEmpty()) {
            return index.defaultTable(snap.runs());
        }
        for (RunIndex.Run r : snap.runs()) {
            if (index.info(r).tables().containsKey(table)) {
                return table;
            }
        }
        throw ApiError.notFound("no run in " + index.directory() + " has a table '" + table + "'");
    }

    private static RunFilter filterParam(Context ctx) {
        String where = ctx.queryParam("where");
        if (where == null || where.isBlank()) {
            return RunFilter.all();
        }
        try {
            return RunFilter.parse(where);
        } catch (FilterSyntaxException e) {
            throw new ApiError(400, e.getMessage(), e.problem(), e.position());
        }
    }

    private static String summaryParam(Context ctx) {
        String s = ctx.queryParam("summary");
        if (s == null || s.isEmpty()) {
            return "last";
        }
        if (!Arrays.asList(SUMMARIES).contains(s)) {
            throw ApiError.badRequest("summary must be one of " + String.join(", ", SUMMARIES) + ": " + s);
        }
        return s;
    }

    private record Step(String x, double value) {
    }

    private static Step stepParam(Context ctx, String table, Columns columns) {
        String at = ctx.queryParam("at");
        if (at == null || at.isEmpty() || table == null) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(at);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("at must be a number (a step): " + at);
        }
        String x = ctx.queryParam("x");
        if (x == null || x.isEmpty()) {
            x = columns.metrics.containsKey("epoch") ? "epoch" : Series.ROW_INDEX;
        } else if (!x.equals(Series.ROW_INDEX) && !columns.metrics.containsKey(x)) {
            throw ApiError.notFound("table '" + table + "' has no numeric column '" + x + "'");
        }
        return new Step(x, value);
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer: " + v);
        }
    }

    private static double doubleParam(Context ctx, String name, double fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number: " + v);
        }
    }
}
