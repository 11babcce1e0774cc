package cox.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes the API's JSON as a stream (Jackson's generator: no object tree of 10,000 runs in
 * memory). Numbers that JSON cannot hold are written as strings {@code "NaN"}, {@code "Infinity"}
 * and {@code "-Infinity"}, which JavaScript's {@code Number()} and Python's {@code float()} read
 * back. Not thread-safe: one per response.
 */
final class JsonOut implements AutoCloseable {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    final JsonGenerator g;

    JsonOut(OutputStream out) throws IOException {
        this.g = FACTORY.createGenerator(out);
    }

    /** Writes a double; NaN and infinities as strings. */
    JsonOut num(double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
        return this;
    }

    /** Writes a field holding a double. */
    JsonOut num(String field, double v) throws IOException {
        g.writeFieldName(field);
        return num(v);
    }

    /** Writes a cell value: null, Boolean, Long/Integer, Double/Float, String, or anything else as its text. */
    JsonOut value(Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            num(n.doubleValue());
        } else {
            g.writeString(v.toString());
        }
        return this;
    }

    /**
     * Writes a cell that may be a decoded object: maps as objects, lists, sets and tuples as
     * arrays (as {@link ObjectJson}), anything else as {@link #value(Object)}.
     */
    JsonOut tree(Object v) throws IOException {
        if (v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof Object[]) {
            g.writeRawValue(ObjectJson.of(v));
        } else if (v instanceof byte[] || v instanceof cox.torch.Tensor) {
            g.writeRawValue(ObjectJson.of(v));
        } else {
            value(v);
        }
        return this;
    }

    /** Writes a field holding a cell value. */
    JsonOut value(String field, Object v) throws IOException {
        g.writeFieldName(field);
        return value(v);
    }

    /** Writes a flat map of simple values as an object. */
    JsonOut object(Map<String, ?> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            value(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        return this;
    }

    @Override
    public void close() throws IOException {
        g.close();
    }
}
