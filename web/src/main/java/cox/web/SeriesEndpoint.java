package cox.web;

import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/series}: the curves of runs for the charts, in JSON or in the binary form the
 * page reads, downsampled into min/max buckets when long. Thread-safe.
 */
final class SeriesEndpoint {
    static final int MAX_POINTS = 20_000;
    static final int DEFAULT_POINTS = 1_500;

    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final RequestParams params;

    SeriesEndpoint(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
        this.params = new RequestParams(scanner, summaries);
    }

    /**
     * {@code GET /api/series?table=&id=a&id=b&x=&y=loss,acc&points=&smooth=&grid=&format=json|bin} (or
     * {@code ids=a,b}): the curves of the runs, downsampled into min/max buckets when longer than
     * {@code points}. With {@code grid=FROM,TO} every curve is laid on one shared grid of x
     * instead ({@link CurveArithmetic#gridMinMax}: {@code points / 2} buckets over that range, the
     * extremes of each): each run's {@code x} is the grid, each series has {@code "grid": true},
     * and the page draws thousands of runs on one axis.
     */
    void series(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        String table = params.table(ctx, snap);
        if (table == null) {
            throw ApiError.notFound("no run in " + scanner.directory() + " has a table");
        }
        List<ListedRun> runs = params.runs(ctx);
        int points = (int) RequestParams.longParam(ctx, "points", DEFAULT_POINTS);
        if (points < 10 || points > MAX_POINTS) {
            throw ApiError.badRequest("points must be between 10 and " + MAX_POINTS + ": " + points);
        }
        double smooth = RequestParams.doubleParam(ctx, "smooth", 0);
        if (!(smooth >= 0 && smooth < 1)) {
            throw ApiError.badRequest("smooth must be in [0, 1): " + ctx.queryParam("smooth"));
        }
        Grid grid = grid(ctx.queryParam("grid"), points);
        String format = ctx.queryParam("format");
        boolean binary = "bin".equals(format) || "bin32".equals(format);
        summaries.summarize(runs, table);
        ColumnUnion columns = ColumnUnion.of(summaries.knownContents(runs), table);
        String x = ctx.queryParam("x");
        if (x == null || x.isEmpty()) {
            x = columns.metrics.containsKey("epoch") ? "epoch" : CurveArithmetic.ROW_INDEX;
        } else if (!x.equals(CurveArithmetic.ROW_INDEX) && !columns.metrics.containsKey(x)) {
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
        ArrayOut arrays = binary ? new BinaryArrays("bin32".equals(format)) : new JsonArrays();
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
            for (ListedRun r : runs) {
                g.writeStartObject();
                g.writeStringField("exp_id", r.expId);
                TableColumns c = summaries.columns(r, table);
                double[] xs = c == null ? null : c.column(x);
                if (xs == null) {
                    g.writeNumberField("n", 0);
                    g.writeStringField("missing", c == null ? "no table '" + table + "'" : "no column '" + x + "'");
                    g.writeEndObject();
                    continue;
                }
                int n = c.rows();
                int[] drawable = CurveArithmetic.finiteIndices(xs, n);
                g.writeNumberField("n", n);
                if (drawable.length < n) {
                    g.writeNumberField("skipped_x_not_finite", n - drawable.length);
                }
                if (grid != null) {
                    writeOnGrid(out, arrays, c, xs, ys, grid, buckets, smooth, drawable.length);
                    g.writeEndObject();
                    continue;
                }
                g.writeFieldName("x");
                arrays.write(out, xs, drawable.length == n ? null : drawable, true);
                g.writeObjectFieldStart("series");
                for (String m : ys) {
                    double[] values = c.column(m);
                    if (values == null) {
                        continue;
                    }
                    g.writeObjectFieldStart(m);
                    int[] keep = CurveArithmetic.minMaxBuckets(xs, values, n, buckets);
                    if (keep.length == drawable.length) {
                        g.writeFieldName("y");
                        arrays.write(out, values, drawable.length == n ? null : drawable, false);
                    } else {
                        g.writeNumberField("downsampled_from", drawable.length);
                        g.writeFieldName("x");
                        arrays.write(out, xs, keep, true);
                        g.writeFieldName("y");
                        arrays.write(out, values, keep, false);
                        if (smooth > 0) {
                            g.writeFieldName("smoothed");
                            arrays.write(out, CurveArithmetic.ema(values, smooth), keep, false);
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

    /** A shared grid of x: its range and the x of its slots ({@link CurveArithmetic#grid}). */
    private record Grid(double from, double to, double[] x) {
    }

    /** The request's {@code grid=FROM,TO}, or null without one. */
    private static Grid grid(String param, int points) {
        if (param == null || param.isEmpty()) {
            return null;
        }
        String[] parts = param.split(",");
        double from;
        double to;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            from = Double.parseDouble(parts[0].trim());
            to = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("grid must be two numbers FROM,TO: " + param);
        }
        if (!(from < to) || !Double.isFinite(from) || !Double.isFinite(to)) {
            throw ApiError.badRequest("grid must go from a finite x to a greater one: " + param);
        }
        return new Grid(from, to, CurveArithmetic.grid(from, to, points / 2));
    }

    /** Writes one run's curves on the shared grid: its x is the grid (the same array for every run). */
    private static void writeOnGrid(JsonOut out, ArrayOut arrays, TableColumns c, double[] xs, List<String> ys,
                                    Grid grid, int buckets, double smooth, int drawable) throws IOException {
        var g = out.g;
        double from = grid.from();
        double to = grid.to();
        g.writeFieldName("x");
        arrays.write(out, grid.x(), null, true);
        g.writeObjectFieldStart("series");
        for (String m : ys) {
            double[] values = c.column(m);
            if (values == null) {
                continue;
            }
            g.writeObjectFieldStart(m);
            g.writeNumberField("downsampled_from", drawable);
            g.writeBooleanField("grid", true);
            g.writeFieldName("y");
            arrays.write(out, CurveArithmetic.gridMinMax(xs, values, c.rows(), from, to, buckets), null, false);
            if (smooth > 0) {
                g.writeFieldName("smoothed");
                arrays.write(out, CurveArithmetic.gridMinMax(xs, CurveArithmetic.ema(values, smooth), c.rows(), from, to,
                        buckets), null, false);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Writes a double array (or the elements at {@code index}) into a response. */
    interface ArrayOut {
        /** @param axis an x axis (kept at double precision in every form) rather than values */
        void write(JsonOut out, double[] a, int[] index, boolean axis) throws IOException;
    }

    static final class JsonArrays implements ArrayOut {
        @Override
        public void write(JsonOut out, double[] a, int[] index, boolean axis) throws IOException {
            out.g.writeStartArray();
            int n = index == null ? a.length : index.length;
            for (int i = 0; i < n; i++) {
                out.num(a[index == null ? i : index[i]]);
            }
            out.g.writeEndArray();
        }
    }

    /**
     * The binary forms: {@code "COXS"}, the header's length (uint32 LE), the header (the JSON form
     * with each array replaced by a reference), zero bytes up to a multiple of 8, then the arrays.
     * {@code format=bin}: every array float64 LE, a reference {@code {"offset": o, "length": n}}
     * counted in doubles. {@code format=bin32} (what the page asks for: half the bytes, and its
     * charts and tooltips show 4 significant digits): the values float32 LE and the x axes float64,
     * each array starting at a multiple of 8 bytes, a reference {@code {"offset": o, "length": n,
     * "type": "f4"|"f8"}} with the offset in bytes.
     */
    private static final class BinaryArrays implements ArrayOut {
        private final boolean values32;
        private final List<double[]> arrays = new ArrayList<>();
        private final List<int[]> indices = new ArrayList<>();
        private final List<Boolean> narrow = new ArrayList<>();
        private long offset;

        BinaryArrays(boolean values32) {
            this.values32 = values32;
        }

        /** Arrays written whole (the shared grid), by identity: written once, referred to by every run. */
        private final java.util.Map<double[], Long> whole = new java.util.IdentityHashMap<>();

        @Override
        public void write(JsonOut out, double[] a, int[] index, boolean axis) throws IOException {
            int n = index == null ? a.length : index.length;
            boolean f4 = values32 && !axis;
            Long seen = index == null && axis ? whole.get(a) : null;
            if (seen != null) {
                out.g.writeStartObject();
                out.g.writeNumberField("offset", seen);
                out.g.writeNumberField("length", n);
                if (values32) {
                    out.g.writeStringField("type", "f8");
                }
                out.g.writeEndObject();
                return;
            }
            if (index == null && axis) {
                whole.put(a, offset);
            }
            out.g.writeStartObject();
            out.g.writeNumberField("offset", offset);
            out.g.writeNumberField("length", n);
            if (values32) {
                out.g.writeStringField("type", f4 ? "f4" : "f8");
            }
            out.g.writeEndObject();
            arrays.add(a);
            indices.add(index);
            narrow.add(f4);
            offset += values32 ? (f4 ? (4L * n + 7) / 8 * 8 : 8L * n) : n;
        }

        void send(byte[] header, OutputStream raw) throws IOException {
            OutputStream out = new BufferedOutputStream(raw, 1 << 16);
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            head.put("COXS".getBytes(StandardCharsets.US_ASCII)).putInt(header.length);
            out.write(head.array());
            out.write(header);
            int pad = (8 - (8 + header.length) % 8) % 8;
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
                    if (narrow.get(k)) {
                        buf.putFloat((float) a[index == null ? i : index[i]]);
                    } else {
                        buf.putDouble(a[index == null ? i : index[i]]);
                    }
                }
                if (narrow.get(k) && n % 2 == 1) {
                    if (buf.remaining() < 4) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(0f); // to the next multiple of 8 bytes
                }
            }
            out.write(buf.array(), 0, buf.position());
            out.flush();
        }
    }
}
