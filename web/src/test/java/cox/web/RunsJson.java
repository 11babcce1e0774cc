package cox.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the columns of a {@code GET /api/runs} answer ({@link RunColumns}) back into one object per
 * run, as a test asserts on them: {@code exp_id, status, last_write, changed, short, rows, params,
 * metrics, error}; a parameter a run lacks is left out of its {@code params}, a metric it lacks out
 * of its {@code metrics}.
 */
final class RunsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RunsJson() {
    }

    /** @return the runs of an /api/runs answer, one object each, in the answer's order */
    static ArrayNode rows(JsonNode answer) {
        JsonNode c = answer.get("runs");
        int n = answer.get("count").asInt();
        if (c.get("exp_id").size() != n) {
            throw new AssertionError("count " + n + " != exp_id's " + c.get("exp_id").size());
        }
        ArrayNode out = F.arrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode r = out.addObject();
            r.set("exp_id", c.get("exp_id").get(i));
            r.set("status", cell(c.get("status"), i, n));
            r.set("last_write", c.get("last_write").get(i));
            r.set("changed", c.get("changed").get(i));
            r.set("short", cell(c.get("short"), i, n));
            r.set("rows", cell(c.get("rows"), i, n));
            ObjectNode params = r.putObject("params");
            for (Map.Entry<String, JsonNode> p : c.get("params").properties()) {
                Set<Integer> absent = new HashSet<>();
                JsonNode a = c.get("params_absent").get(p.getKey());
                if (a != null) {
                    a.forEach(x -> absent.add(x.asInt()));
                }
                if (!absent.contains(i)) {
                    params.set(p.getKey(), cell(p.getValue(), i, n));
                }
            }
            ObjectNode metrics = r.putObject("metrics");
            for (Map.Entry<String, JsonNode> m : c.get("metrics").properties()) {
                ObjectNode stats = F.objectNode();
                boolean present = false;
                for (Map.Entry<String, JsonNode> stat : m.getValue().properties()) {
                    JsonNode v = stat.getValue().get(i);
                    stats.set(stat.getKey(), v);
                    present |= !v.isNull() && !stat.getKey().equals("at");
                }
                if (present) {
                    metrics.set(m.getKey(), stats);
                }
            }
            r.set("error", cell(c.get("error"), i, n));
        }
        return out;
    }

    /** The value at {@code i} of a column: a plain array, or a dictionary with its index (-1 for null). */
    static JsonNode cell(JsonNode column, int i, int n) {
        if (column.isArray()) {
            if (column.size() != n) {
                throw new AssertionError("a column of " + column.size() + " values for " + n + " runs");
            }
            return column.get(i);
        }
        JsonNode index = column.get("index");
        if (index.size() != n) {
            throw new AssertionError("a dictionary column of " + index.size() + " values for " + n + " runs");
        }
        int k = index.get(i).asInt();
        return k < 0 ? F.nullNode() : column.get("dict").get(k);
    }
}
