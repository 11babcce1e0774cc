package cox.web;

import cox.readers.CollectionReader;
import cox.readers.filter.FilterSyntaxException;
import cox.readers.filter.RunFilter;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The query and path parameters of the API, checked: run ids and table names are looked up in the
 * listing (a name that is not there is a 404, so nothing from a URL ever becomes a path), numbers
 * parsed with a 400 naming the parameter. Thread-safe.
 */
final class RequestParams {
    static final String[] SUMMARIES = {"last", "best", "min", "max", "mean", "first", "count", "at"};

    private final RunScanner scanner;
    private final SummaryCache summaries;

    RequestParams(RunScanner scanner, SummaryCache summaries) {
        this.scanner = scanner;
        this.summaries = summaries;
    }

    ListedRun runOf(String expId) {
        ListedRun r = scanner.run(expId);
        if (r == null) {
            scanner.rescanIfStale();
            r = scanner.run(expId);
        }
        if (r == null) { // the start of an exp_id, as the command line takes it
            List<String> ids = new ArrayList<>();
            RunScanner.Listing listing = scanner.latest();
            for (ListedRun listed : listing == null ? List.<ListedRun>of() : listing.runs()) {
                ids.add(listed.expId);
            }
            List<String> named = CollectionReader.expIdsNamedBy(ids, expId);
            if (named.size() > 1) {
                throw ApiError.badRequest("'" + expId + "' is the start of " + named.size() + " runs' exp_ids: "
                        + String.join(", ", named.subList(0, Math.min(10, named.size())))
                        + (named.size() > 10 ? " and " + (named.size() - 10) + " more" : "") + "; give more of it");
            }
            r = named.isEmpty() ? null : scanner.run(named.get(0));
        }
        if (r == null) {
            throw ApiError.notFound("no run '" + expId + "' in " + scanner.directory());
        }
        return r;
    }

    /** The runs named by repeated {@code id=} parameters (any exp_id) and/or {@code ids=a,b} (ids without commas). */
    List<ListedRun> runs(Context ctx) {
        List<String> names = new ArrayList<>(ctx.queryParams("id"));
        String ids = ctx.queryParam("ids");
        if (ids != null && !ids.isEmpty()) {
            names.addAll(Arrays.asList(ids.split(",")));
        }
        if (names.isEmpty()) {
            throw ApiError.badRequest("give the runs as id=EXP_ID&id=EXP_ID... or ids=EXP_ID,EXP_ID,...");
        }
        List<ListedRun> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : names) {
            if (seen.add(id)) {
                out.add(runOf(id));
            }
        }
        return out;
    }

    /** The table asked for, checked against the tables the listed runs have; the default table if none is asked for. */
    String table(Context ctx, RunScanner.Listing snap) {
        String table = ctx.queryParam("table");
        if (table == null || table.isEmpty()) {
            return summaries.defaultTable(snap.runs());
        }
        for (ListedRun r : snap.runs()) {
            if (summaries.contents(r).tables().containsKey(table)) {
                return table;
            }
        }
        throw ApiError.notFound("no run in " + scanner.directory() + " has a table '" + table + "'");
    }

    static RunFilter filter(Context ctx) {
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

    static String summary(Context ctx) {
        String s = ctx.queryParam("summary");
        if (s == null || s.isEmpty()) {
            return "last";
        }
        if (!Arrays.asList(SUMMARIES).contains(s)) {
            throw ApiError.badRequest("summary must be one of " + String.join(", ", SUMMARIES) + ": " + s);
        }
        return s;
    }

    /** A step of column {@code x}; a metric's value "at" it is that of the last row whose x is at most {@code value}. */
    record Step(String x, double value) {
    }

    static Step step(Context ctx, String table, ColumnUnion columns) {
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
            x = columns.metrics.containsKey("epoch") ? "epoch" : CurveArithmetic.ROW_INDEX;
        } else if (!x.equals(CurveArithmetic.ROW_INDEX) && !columns.metrics.containsKey(x)) {
            throw ApiError.notFound("table '" + table + "' has no numeric column '" + x + "'");
        }
        return new Step(x, value);
    }

    static long longParam(Context ctx, String name, long fallback) {
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

    static double doubleParam(Context ctx, String name, double fallback) {
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
