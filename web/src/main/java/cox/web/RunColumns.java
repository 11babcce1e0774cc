package cox.web;

import cox.readers.summary.Goal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The runs of {@code GET /api/runs} written as columns rather than one object per run: one array
 * per field, each holding the runs in the same order, so that 100,000 runs cost a few arrays
 * instead of 100,000 objects with their keys, and the page sorts and filters typed arrays.
 *
 * <p>A <b>column</b> is either a JSON array of values (numbers, booleans, null; NaN and the
 * infinities as the strings {@link JsonOut} writes) or, when every value that is not null is
 * text, a dictionary {@code {"dict": ["adam", "sgd"], "index": [0, 1, 0, -1]}} whose index -1
 * is null. The layout, under the answer's {@code runs}:
 * <pre>{@code
 * {"exp_id": [...], "status": COLUMN, "error": COLUMN, "last_write": [ms, ...], "changed": [version, ...],
 *  "short": [true, false, null, ...], "rows": [n or null, ...],
 *  "params": {"lr": COLUMN, ...}, "params_absent": {"note": [3, 17]},
 *  "metrics": {"loss": {"last": [...], "min": [...], ..., "at": [...]}, ...}}
 * }</pre>
 * {@code params_absent} names, for a parameter some runs lack, the positions of those runs (a
 * parameter that is present and null is null in its column but not listed). A run without a
 * metric has null in each of its arrays. Not thread-safe: one per response.
 */
final class RunColumns {
    /** The summaries of a metric, in the order written; "at" is added when a step is asked for. */
    static final List<String> STATS = List.of("first", "last", "min", "max", "mean", "best", "count");

    /**
     * What is written of one run.
     *
     * @param expId its id
     * @param status its status label
     * @param lastWrite the time of its last write (ms), -1 if none
     * @param changed the listing version at which it last changed
     * @param isShort whether it is short (null: not known)
     * @param rows the rows of the table, or null
     * @param params its parameters
     * @param metrics its metrics' summaries
     * @param at each metric's value at the step asked for, or null
     * @param error why it cannot be read, or null
     */
    record Run(String expId, String status, long lastWrite, long changed, Boolean isShort, Long rows,
               Map<String, Object> params, Map<String, MetricSummary> metrics, Map<String, Double> at, String error) {
    }

    private RunColumns() {
    }

    /**
     * @param param the request's {@code stats}: a comma-separated list of {@link #STATS}, or null/empty for all
     * @return the stats to write, in {@link #STATS} order
     * @throws ApiError (400) naming an unknown stat
     */
    static List<String> stats(String param) {
        if (param == null || param.isBlank()) {
            return STATS;
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String s : param.split(",")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("at")) {
                continue; // written whenever a step is asked for
            }
            if (!STATS.contains(t)) {
                throw ApiError.badRequest("stats must be a list of " + String.join(", ", STATS) + ": " + s);
            }
            asked.add(t);
        }
        List<String> out = new ArrayList<>();
        for (String s : STATS) {
            if (asked.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Writes the field {@code runs} (and {@code params_absent} inside it) of the answer.
     *
     * @param out the answer
     * @param runs the runs, in order
     * @param columns the parameters and metrics of the table over all runs
     * @param stats the summaries of each metric to write
     * @param withAt whether to write each metric's value at the step
     */
    static void write(JsonOut out, List<Run> runs, ColumnUnion columns, List<String> stats, boolean withAt)
            throws IOException {
        var g = out.g;
        g.writeObjectFieldStart("runs");
        g.writeArrayFieldStart("exp_id");
        for (Run r : runs) {
            g.writeString(r.expId());
        }
        g.writeEndArray();
        column(out, "status", runs, Run::status);
        column(out, "error", runs, Run::error);
        g.writeArrayFieldStart("last_write");
        for (Run r : runs) {
            g.writeNumber(r.lastWrite());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("changed");
        for (Run r : runs) {
            g.writeNumber(r.changed());
        }
        g.writeEndArray();
        column(out, "short", runs, Run::isShort);
        column(out, "rows", runs, Run::rows);
        Set<String> paramNames = new LinkedHashSet<>(columns.params.keySet());
        Map<String, Object> lastParams = null;
        for (Run r : runs) {
            if (r.params() != lastParams) { // runs often share one map of parameters (an empty one)
                paramNames.addAll(r.params().keySet());
                lastParams = r.params();
            }
        }
        int n = runs.size();
        g.writeObjectFieldStart("params");
        Map<String, List<Integer>> absent = new LinkedHashMap<>();
        Object[] values = new Object[n];
        for (String p : paramNames) {
            boolean text = true;
            List<Integer> lacking = null;
            for (int i = 0; i < n; i++) {
                Map<String, Object> params = runs.get(i).params();
                Object v = params.get(p);
                if (v == null && !params.containsKey(p)) {
                    if (lacking == null) {
                        lacking = new ArrayList<>();
                    }
                    lacking.add(i);
                }
                values[i] = v;
                text &= v == null || v instanceof String;
            }
            column(out, p, values, n, text);
            if (lacking != null) {
                absent.put(p, lacking);
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("params_absent");
        for (Map.Entry<String, List<Integer>> e : absent.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (int i : e.getValue()) {
                g.writeNumber(i);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("metrics");
        MetricSummary[] summaries = new MetricSummary[n];
        for (String m : columns.metrics.keySet()) {
            Goal goal = Goal.guess(m);
            for (int i = 0; i < n; i++) {
                summaries[i] = runs.get(i).metrics().get(m);
            }
            g.writeObjectFieldStart(m);
            for (String stat : stats) {
                g.writeArrayFieldStart(stat);
                for (int i = 0; i < n; i++) {
                    MetricSummary s = summaries[i];
                    if (s == null) {
                        g.writeNull();
                    } else if (stat.equals("count")) {
                        g.writeNumber(s.count());
                    } else {
                        out.num(stat(s, stat, goal));
                    }
                }
                g.writeEndArray();
            }
            if (withAt) {
                g.writeArrayFieldStart("at");
                for (int i = 0; i < n; i++) {
                    Run r = runs.get(i);
                    out.value(summaries[i] == null || r.at() == null ? null : r.at().get(m));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static double stat(MetricSummary s, String stat, Goal goal) {
        switch (stat) {
            case "first":
                return s.first();
            case "last":
                return s.last();
            case "min":
                return s.min();
            case "max":
                return s.max();
            case "mean":
                return s.mean();
            case "best":
                return s.best(goal);
            default:
                throw new IllegalArgumentException("stat: " + stat);
        }
    }

    /** Writes a column of {@code n} values: dictionary-encoded if {@code text} (every value that is not null is text), else as a plain array. */
    private static void column(JsonOut out, String name, Object[] values, int n, boolean text) throws IOException {
        var g = out.g;
        g.writeFieldName(name);
        if (!text) {
            g.writeStartArray();
            for (int i = 0; i < n; i++) {
                out.value(values[i]);
            }
            g.writeEndArray();
            return;
        }
        Map<String, Integer> codes = new HashMap<>();
        List<String> dict = new ArrayList<>();
        int[] index = new int[n];
        String last = null;
        int lastCode = -1;
        for (int i = 0; i < n; i++) {
            String v = (String) values[i];
            if (v == null) {
                index[i] = -1;
            } else if (v == last) { // runs often share one text (from the summary file's names)
                index[i] = lastCode;
            } else {
                lastCode = codes.computeIfAbsent(v, k -> {
                    dict.add(k);
                    return dict.size() - 1;
                });
                last = v;
                index[i] = lastCode;
            }
        }
        writeDict(g, dict, index);
    }

    private static void writeDict(com.fasterxml.jackson.core.JsonGenerator g, List<String> dict, int[] index) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("dict");
        for (String d : dict) {
            g.writeString(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("index");
        for (int i : index) {
            g.writeNumber(i);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Writes a column: dictionary-encoded if every value that is not null is text, else as a plain array. */
    private static void column(JsonOut out, String name, List<Run> runs, java.util.function.Function<Run, Object> cell)
            throws IOException {
        var g = out.g;
        boolean text = true;
        for (Run r : runs) {
            Object v = cell.apply(r);
            if (v != null && !(v instanceof String)) {
                text = false;
                break;
            }
        }
        g.writeFieldName(name);
        if (!text) {
            g.writeStartArray();
            for (Run r : runs) {
                out.value(cell.apply(r));
            }
            g.writeEndArray();
            return;
        }
        Map<String, Integer> codes = new HashMap<>();
        List<String> dict = new ArrayList<>();
        int[] index = new int[runs.size()];
        for (int i = 0; i < index.length; i++) {
            Object v = cell.apply(runs.get(i));
            if (v == null) {
                index[i] = -1;
            } else {
                index[i] = codes.computeIfAbsent((String) v, k -> {
                    dict.add(k);
                    return dict.size() - 1;
                });
            }
        }
        writeDict(g, dict, index);
    }
}
