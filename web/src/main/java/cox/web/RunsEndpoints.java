package cox.web;

import cox.io.Locations;
import cox.readers.RunStatus;
import cox.readers.filter.RunFilter;
import cox.readers.query.RunQuery;
import cox.readers.summary.Goal;
import cox.store.ColumnType;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /api/runs}, {@code /api/filter} and {@code /api/status}: the runs table's data, one
 * object per run with its parameters and the summaries of a table, filtered with the grammar of
 * {@code cox df --where} bound to the names of {@code docs/querying.md} ({@link RunsFilter}): a
 * number compared with text is a 400, a name no run has a warning in the answer's
 * {@code warnings}. Thread-safe (state lives in the {@link RunScanner} and the {@link SummaryCache}).
 */
final class RunsEndpoints {
    private final RunScanner scanner;
    private final SummaryCache summaries;
    private final RequestParams params;
    private final RunAggregates aggregates;
    /** The answer a restart gave from its summary file alone, or null without a summary file. */
    private final SavedAnswer saved;
    /** Whether this server had its first complete /api/runs (the page's first: the one answer saved). */
    private final java.util.concurrent.atomic.AtomicBoolean hadFirst = new java.util.concurrent.atomic.AtomicBoolean();
    /** Done once the first /api/runs is answered (at once without a saved answer): the warm-up waits for it. */
    private final java.util.concurrent.CompletableFuture<Void> firstAnswered = new java.util.concurrent.CompletableFuture<>();
    /** How many requests the saved answer answered. */
    private final java.util.concurrent.atomic.AtomicInteger savedAnswers = new java.util.concurrent.atomic.AtomicInteger();

    RunsEndpoints(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
        this.aggregates = new RunAggregates(summaries);
        this.params = new RequestParams(scanner, summaries);
        this.saved = summaries.summaryFile() == null ? null : new SavedAnswer(summaries.summaryFile());
        if (saved == null || !java.nio.file.Files.isRegularFile(saved.path())) {
            firstAnswered.complete(null);
        } else {
            saved.readAhead();
        }
    }

    /**
     * @return done once the first {@code /api/runs} was answered, or at once if there is no saved
     *     answer: a restart's warm-up (loading every run) waits for it rather than slow the saved answer
     */
    java.util.concurrent.CompletableFuture<Void> firstAnswered() {
        return firstAnswered;
    }

    /**
     * {@code GET /api/runs?table=&where=&summary=&x=&at=&since=&stats=}: the runs that pass, as
     * columns ({@code docs/serve-api.md}): {@code count} runs, and under {@code runs} one array per
     * field, each holding the runs in the same order: {@code exp_id}, {@code status} and
     * {@code error} dictionary-encoded ({@code {"dict": [...], "index": [...]}}, index -1 for null),
     * {@code last_write}, {@code changed}, {@code short} and {@code rows} as plain arrays (null where
     * missing), {@code params} a column per parameter (text dictionary-encoded, anything else a plain
     * array; {@code params_absent} lists, per parameter, the positions of the runs that lack it), and
     * {@code metrics} per numeric column the arrays of the summaries {@code stats} names (default all
     * of first, last, min, max, mean, best, count; plus {@code at} with a step), null for a run
     * without the column. Also the filter's {@code warnings}, and with {@code since} only the runs
     * changed since that version and the ids {@code removed}.
     *
     * <p>A restarted server answers a complete request (no {@code since}) with the {@link SavedAnswer}
     * while that is provably its answer (its listing is still the summary file's and nothing was read
     * since): sent as saved, without loading every run first. The first such answer it computes itself
     * is saved for the next restart.
     */
    void runs(Context ctx) throws IOException {
        try {
            answerRuns(ctx);
        } finally {
            firstAnswered.complete(null);
        }
    }

    private void answerRuns(Context ctx) throws IOException {
        String query = ctx.queryString() == null ? "" : ctx.queryString();
        SavedAnswer.Request request = saved == null || ctx.queryParam("since") != null ? null
                : new SavedAnswer.Request(Locations.text(scanner.directory()), summaries.metadataTable(), query);
        if (request != null && scanner.listsSavedRuns() && summaries.readNothing()) {
            java.nio.ByteBuffer body = saved.body(request, scanner.clock().millis());
            if (body != null && scanner.listsSavedRuns() && summaries.readNothing()) {
                scanner.touch();
                hadFirst.set(true);
                savedAnswers.incrementAndGet();
                ctx.contentType("application/json; charset=utf-8");
                ctx.outputStream().write(body.array(), body.arrayOffset() + body.position(), body.remaining());
                return;
            }
        }
        RunScanner.Listing snap = scanner.refresh();
        // the first complete request only: the page's, which the next restart's page makes first too
        boolean save = request != null && !hadFirst.getAndSet(true) && snap.version() == 1 && scanner.listsSavedRuns()
                && summaries.readNothing();
        long startMillis = scanner.clock().millis();
        String table = params.table(ctx, snap);
        long since = RequestParams.longParam(ctx, "since", -1);
        boolean incremental = since >= 0 && since <= snap.version();
        List<ListedRun> chosen = new ArrayList<>();
        for (ListedRun r : snap.runs()) {
            if (!incremental || r.state().version() > since) {
                chosen.add(r);
            }
        }
        if (table != null) {
            summaries.summarize(chosen, table);
        } else {
            summaries.summarize(chosen, null);
        }
        RunAggregates.Aggregates all = aggregates(snap, table);
        ColumnUnion columns = all.columns();
        RequestParams.summary(ctx); // checked (a 400 if unknown); the page shows it, a filter reads C.last for a bare C
        RequestParams.Step step = RequestParams.step(ctx, table, columns);
        List<String> stats = RunColumns.stats(ctx.queryParam("stats"));
        RunsFilter filter = RunsFilter.bind(RequestParams.filter(ctx), columns, step != null);
        Map<String, Boolean> shortRuns = all.shortRuns();
        Instant now = scanner.clock().instant(); // one instant for every run's status
        List<Row> passing = new ArrayList<>(); // filtered before anything is written, so a filter's error is a 400
        for (ListedRun r : chosen) {
            Row row = row(r, table, step, shortRuns, now);
            if (filter.filter().test(row)) {
                passing.add(row);
            }
        }
        ctx.contentType("application/json; charset=utf-8");
        java.io.ByteArrayOutputStream buffer = save ? new java.io.ByteArrayOutputStream(1 << 20) : null;
        try (JsonOut out = new JsonOut(save ? buffer : ctx.outputStream())) {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("dir", Locations.text(scanner.directory()));
            g.writeNumberField("version", snap.version());
            g.writeBooleanField("incremental", incremental);
            out.value("table", table);
            g.writeStringField("metadata_table", summaries.metadataTable());
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
                g.writeStringField("goal", goalName(m));
                double[] range = all.ranges().get(m);
                if (range != null) {
                    out.num("min", range[0]);
                    out.num("max", range[1]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            out.value("x_default", columns.metrics.containsKey("epoch") ? "epoch" : CurveArithmetic.ROW_INDEX);
            if (step != null) {
                g.writeObjectFieldStart("at");
                g.writeStringField("x", step.x());
                out.num("step", step.value());
                g.writeEndObject();
            }
            writeWarnings(g, filter);
            g.writeNumberField("count", passing.size());
            List<RunColumns.Run> cells = new ArrayList<>(passing.size());
            for (Row row : passing) {
                cells.add(row.cells());
            }
            RunColumns.write(out, cells, columns, stats, step != null);
            g.writeArrayFieldStart("removed");
            for (Map.Entry<String, Long> e : snap.removed().entrySet()) {
                if (!incremental || e.getValue() > since) {
                    g.writeString(e.getKey());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (save) {
            byte[] body = buffer.toByteArray();
            ctx.outputStream().write(body);
            saveAnswer(request, snap, startMillis, scanner.clock().millis(), body);
        }
    }

    /**
     * Saves the answer just computed for the next restart if it came from the summary file alone
     * (the listing its runs, nothing read) and no run's clock-dependent status turned while it was
     * computed; with the clock span in which none turns.
     */
    private void saveAnswer(SavedAnswer.Request request, RunScanner.Listing snap, long startMillis, long endMillis,
                            byte[] body) {
        long[] summary = summaries.summaryFile().loaded();
        if (summary == null || snap.version() != 1 || !scanner.listsSavedRuns() || !summaries.readNothing()) {
            return;
        }
        long[] span = clockSpan(snap.runs(), startMillis, endMillis);
        if (span != null) {
            saved.save(request, summary, span[0], span[1], body);
        }
    }

    /**
     * The span of clock times in which every run's status is what it was from {@code startMillis}
     * to {@code endMillis} (only a store without a cox4j journal that is not running has a status
     * that depends on the clock: {@code active} until {@link RunStatus#ACTIVE_WINDOW} after its last
     * write, {@code idle} from then on).
     *
     * @return {from (inclusive), until (exclusive)} in ms since the epoch, or null if a status turned
     *     between the two times
     */
    static long[] clockSpan(List<ListedRun> runs, long startMillis, long endMillis) {
        long from = Long.MIN_VALUE;
        long until = Long.MAX_VALUE;
        long window = RunStatus.ACTIVE_WINDOW.toMillis();
        for (ListedRun r : runs) {
            ListedRun.State state = r.state();
            if (state.running() || state.stamp().journalSize() >= 0) {
                continue; // running, closed or interrupted whatever the time
            }
            long turns = state.stamp().lastWriteMillis() + window; // active before, idle from then on
            if (turns > startMillis && turns <= endMillis) {
                return null; // it turned while the answer was worked out
            }
            if (turns <= startMillis) {
                from = Math.max(from, turns);
            } else {
                until = Math.min(until, turns);
            }
        }
        return new long[] {from, until};
    }

    /**
     * {@code GET /api/filter?table=&where=&summary=&x=&at=}: the ids of the runs that pass and the
     * filter's {@code warnings}, or a 400 naming the error.
     */
    void filter(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        String table = params.table(ctx, snap);
        RunFilter parsed = RequestParams.filter(ctx);
        Resolved res = resolve(snap, table);
        ColumnUnion columns = res.all().columns();
        RequestParams.summary(ctx); // checked (a 400 if unknown); the page shows it, a filter reads C.last for a bare C
        RequestParams.Step step = RequestParams.step(ctx, table, columns);
        RunsFilter filter = RunsFilter.bind(parsed, columns, step != null);
        Map<String, Boolean> shortRuns = res.all().shortRuns();
        Instant now = scanner.clock().instant(); // one instant for every run's status
        List<ListedRun> runs = snap.runs();
        SummaryCache.Fresh fresh = res.fresh();
        int[] passing = new int[runs.size()]; // filtered before anything is written, so a filter's error is a 400
        int count = 0;
        for (int i = 0; i < runs.size(); i++) {
            ListedRun r = runs.get(i);
            ListedRun.State state = r.state();
            Row row = fresh != null && fresh.states()[i] == state
                    ? row(r, state, fresh.contents()[i], fresh.tables() == null ? null : fresh.tables()[i], table, step,
                            res.isShort()[i], now)
                    : row(r, table, step, shortRuns, now);
            if (filter.filter().test(row)) {
                passing[count++] = i;
            }
        }
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream(256);
        byte[] prefix;
        byte[] suffix;
        try (JsonOut out = new JsonOut(head)) {
            out.g.writeStartObject();
            out.g.writeNumberField("version", snap.version());
            out.g.writeStringField("where", parsed.expression());
            writeWarnings(out.g, filter);
            out.g.writeArrayFieldStart("ids");
            out.g.flush();
            prefix = head.toByteArray();
            head.reset();
            out.g.writeEndArray(); // the ids go between, as the generator writes them (IdsJson)
            out.g.writeEndObject();
            out.g.flush();
            suffix = head.toByteArray();
        }
        byte[] ids = idsJson(snap).join(passing, count);
        ctx.contentType("application/json; charset=utf-8");
        java.io.OutputStream stream = ctx.outputStream();
        stream.write(prefix);
        stream.write(ids);
        stream.write(suffix);
    }

    /**
     * The listed runs' ids as JSON strings, each written once by the JSON generator, one after
     * the other in one array: an answer's ids are copied from it rather than written afresh.
     *
     * @param runs the listed runs (an immutable list: a new listing of the same runs shares it)
     * @param bytes every id as the generator writes it, in listing order
     * @param starts where each id starts in {@code bytes}, and its length at the end
     */
    private record IdsJson(List<ListedRun> runs, byte[] bytes, int[] starts) {
        static IdsJson of(List<ListedRun> runs) throws IOException {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(16 * runs.size() + 16);
            int[] ends = new int[runs.size()];
            try (JsonOut out = new JsonOut(all)) {
                out.g.writeStartArray();
                for (int i = 0; i < runs.size(); i++) {
                    out.g.writeString(runs.get(i).expId);
                    out.g.flush();
                    ends[i] = all.size();
                }
                out.g.writeEndArray();
            }
            byte[] array = all.toByteArray(); // ["a","b",...]: id i runs from after the '[' or ',' before it to ends[i]
            byte[] bytes = new byte[array.length];
            int[] starts = new int[runs.size() + 1];
            int n = 0;
            for (int i = 0; i < runs.size(); i++) {
                int from = i == 0 ? 1 : ends[i - 1] + 1;
                starts[i] = n;
                System.arraycopy(array, from, bytes, n, ends[i] - from);
                n += ends[i] - from;
            }
            starts[runs.size()] = n;
            return new IdsJson(runs, bytes, starts);
        }

        /** @return the ids of the runs at {@code positions[0..count)} as the elements of a JSON array, comma-separated */
        byte[] join(int[] positions, int count) {
            int length = Math.max(0, count - 1);
            for (int k = 0; k < count; k++) {
                length += starts[positions[k] + 1] - starts[positions[k]];
            }
            byte[] out = new byte[length];
            int n = 0;
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    out[n++] = ',';
                }
                int from = starts[positions[k]];
                int len = starts[positions[k] + 1] - from;
                System.arraycopy(bytes, from, out, n, len);
                n += len;
            }
            return out;
        }
    }

    /** The ids of the runs last filtered, or null. */
    private volatile IdsJson idsJson;

    private IdsJson idsJson(RunScanner.Listing snap) throws IOException {
        IdsJson ids = idsJson;
        if (ids == null || ids.runs() != snap.runs()) {
            ids = IdsJson.of(snap.runs());
            idsJson = ids;
        }
        return ids;
    }

    /**
     * The runs' summaries of a table and the aggregates over them, for a listing: summarized (any
     * run not known at its stamp read) unless nothing that they depend on changed since the last
     * time: the same listing, table and {@link SummaryCache#generation}, when every run was known
     * at its stamp then (a run whose state the scanner replaced since is looked up afresh by the caller).
     *
     * @param fresh every run's contents and summary, or null if some run's was not known at its stamp
     * @param isShort whether each run is short, in listing order (null if not summarized)
     */
    private record Resolved(RunScanner.Listing snap, String table, int generation, RunAggregates.Aggregates all,
                            SummaryCache.Fresh fresh, Boolean[] isShort) {
    }

    /** The last {@link Resolved} whose every run was known at its stamp, or null. */
    private volatile Resolved resolved;

    private Resolved resolve(RunScanner.Listing snap, String table) {
        Resolved r = resolved;
        if (r != null && r.snap() == snap && java.util.Objects.equals(r.table(), table)
                && r.generation() == summaries.generation()) {
            return r; // every run was fresh and nothing known moved on: summarizing would read nothing
        }
        summaries.summarize(snap.runs(), table);
        int generation = summaries.generation();
        RunAggregates.Aggregates all = aggregates(snap, table);
        SummaryCache.Fresh fresh = summaries.fresh(snap.runs(), table);
        Boolean[] isShort = null;
        if (fresh != null) {
            isShort = new Boolean[snap.runs().size()];
            for (int i = 0; i < isShort.length; i++) {
                isShort[i] = all.shortRuns().get(snap.runs().get(i).expId);
            }
        }
        r = new Resolved(snap, table, generation, all, fresh, isShort);
        if (fresh != null && summaries.generation() == generation) {
            resolved = r;
        }
        return r;
    }

    /**
     * {@code GET /api/status}: how many runs, how many of each status ({@code statuses}: running,
     * interrupted, closed, active, idle), the version, reading progress (with {@code saved_answers}: the
     * requests a restart answered from its {@link SavedAnswer}).
     */
    void status(Context ctx) throws IOException {
        RunScanner.Listing snap = scanner.refresh();
        ctx.contentType("application/json; charset=utf-8");
        try (JsonOut out = new JsonOut(ctx.outputStream())) {
            out.g.writeStartObject();
            out.g.writeStringField("dir", Locations.text(scanner.directory()));
            out.g.writeNumberField("runs", snap.runs().size());
            out.g.writeNumberField("running", snap.runs().stream().filter(r -> r.state().running()).count());
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            for (RunStatus s : RunStatus.values()) {
                byStatus.put(s.label(), 0);
            }
            Instant now = scanner.clock().instant();
            for (ListedRun r : snap.runs()) {
                byStatus.merge(r.state().status(now).label(), 1, Integer::sum);
            }
            out.g.writeObjectFieldStart("statuses");
            for (Map.Entry<String, Integer> e : byStatus.entrySet()) {
                out.g.writeNumberField(e.getKey(), e.getValue());
            }
            out.g.writeEndObject();
            out.g.writeNumberField("version", snap.version());
            out.g.writeFieldName("progress");
            Map<String, Object> progress = summaries.progress();
            progress.put("last_scan_ms", scanner.lastScanMillis());
            progress.put("saved_answers", savedAnswers.get());
            out.object(progress);
            out.g.writeEndObject();
        }
    }

    /** The cells a filter sees for one run, and what /api/runs writes of it. */
    private final class Row implements Function<String, Object> {
        final ListedRun run;
        final ListedRun.State state;
        /** The time the status is worked out at: one instant per request. */
        final Instant now;
        private String status;
        final RunContents info;
        final TableSummary summary;
        final Map<String, Double> at;
        final Boolean isShort;

        Row(ListedRun run, ListedRun.State state, RunContents info, TableSummary summary, Map<String, Double> at,
            Boolean isShort, Instant now) {
            this.isShort = isShort;
            this.run = run;
            this.state = state; // one scan's view of the run, for the filter and the JSON alike
            this.now = now;
            this.info = info;
            this.summary = summary;
            this.at = at;
        }

        /** @return the run's status label at {@link #now}, worked out once, when first asked */
        String status() {
            if (status == null) {
                status = state.status(now).label();
            }
            return status;
        }

        /** What /api/runs writes of the run. */
        RunColumns.Run cells() {
            Long rows = summary == null || summary.rows() < 0 ? null : summary.rows();
            String error = info.error() != null ? info.error() : summary == null ? null : summary.error();
            return new RunColumns.Run(run.expId, status(), state.stamp().lastWriteMillis(), state.version(), isShort, rows,
                    info.params(), summary == null ? Map.of() : summary.metrics(), at, error);
        }

        @Override
        public Object apply(String name) {
            Map<String, Object> params = info.params();
            Object param = params.get(name); // one look-up when the run has the parameter, as most filters ask
            if (param != null || params.containsKey(name)) { // a stored column hides a run field of its name
                return param;
            }
            switch (name) {
                case "exp_id":
                    return run.expId;
                case "status":
                    return status();
                case "rows":
                    return summary == null || summary.rows() < 0 ? null : summary.rows();
                case RunQuery.SHORT:
                    return isShort;
                case RunQuery.LAST_WRITE:
                    return Instant.ofEpochMilli(state.stamp().lastWriteMillis()).toString();
                default:
                    break;
            }
            if (summary == null) {
                return null;
            }
            Map<String, MetricSummary> metrics = summary.metrics();
            MetricSummary m = metrics.get(name);
            if (m != null || metrics.containsKey(name)) { // a bare column is its last value, as cox df --summary reads it
                return m == null ? null : summaryValue(m, name, "last", at);
            }
            int dot = name.lastIndexOf('.');
            if (dot <= 0) {
                return null; // no metric of that name (the look-up above was the one for it)
            }
            String metric = name.substring(0, dot);
            m = metrics.get(metric);
            return m == null ? null : summaryValue(m, metric, name.substring(dot + 1), at);
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
                return m.best(Goal.guess(metric));
            case "count":
                return m.count();
            case "at":
                return at == null ? null : at.get(metric);
            default:
                return null;
        }
    }

    private static void writeWarnings(com.fasterxml.jackson.core.JsonGenerator g, RunsFilter filter) throws IOException {
        g.writeArrayFieldStart("warnings");
        for (String w : filter.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
    }

    private Row row(ListedRun r, String table, RequestParams.Step step, Map<String, Boolean> shortRuns, Instant now) {
        RunContents info = summaries.contents(r);
        TableSummary s = table == null ? null : summaries.summary(r, table);
        return row(r, r.state(), info, s, table, step, shortRuns.get(r.expId), now);
    }

    private Row row(ListedRun r, ListedRun.State state, RunContents info, TableSummary s, String table,
                    RequestParams.Step step, Boolean isShort, Instant now) {
        Map<String, Double> at = null;
        if (step != null && s != null && s.rows() > 0) {
            TableColumns c = summaries.columns(r, table);
            if (c != null) {
                at = new LinkedHashMap<>();
                double[] x = c.column(step.x());
                for (Map.Entry<String, double[]> e : c.columns().entrySet()) {
                    at.put(e.getKey(), x == null ? null : valueAt(x, e.getValue(), c.rows(), step.value()));
                }
            }
        }
        return new Row(r, state, info, s, at, isShort, now);
    }

    /** A metric's goal as the page reads it: {@code min} or {@code max}, {@link Goal#guess guessed} from its name. */
    static String goalName(String metric) {
        return Goal.guess(metric).name().toLowerCase(java.util.Locale.ROOT);
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

    private RunAggregates.Aggregates aggregates(RunScanner.Listing snap, String table) {
        return aggregates.of(snap, table);
    }
}
