package cox.web;

import cox.store.ColumnType;
import cox.store.Table;
import cox.torch.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * How the run page shows an object cell: its Python type and size, never its bytes. OBJECT cells
 * are decoded (safely: plain data only); PICKLE cells too, from their file; PYTORCH_STATE cells
 * only by the size of their file, since a state dict can be large. Stateless.
 */
final class ObjectCells {
    private ObjectCells() {
    }

    /** A cell described: its type as Python names it, and its size in bytes (-1 if unknown). */
    record Described(String type, String summary, long bytes) {
    }

    static Described describe(Table table, Path runDir, ColumnType type, String cell) {
        if (cell == null || cell.isEmpty()) {
            return new Described(type.name(), "", 0);
        }
        try {
            switch (type) {
                case OBJECT: {
                    long bytes = cell.length() / 4L * 3;
                    return new Described(type.name(), of(table.getObject(cell)), bytes);
                }
                case PICKLE: {
                    long bytes = size(runDir, cell);
                    return new Described(type.name(), of(table.getPickle(cell)), bytes);
                }
                default: {
                    long bytes = size(runDir, cell);
                    return new Described(type.name(), "state dict, file " + cell, bytes);
                }
            }
        } catch (RuntimeException e) {
            return new Described(type.name(), "unreadable: " + e.getMessage(), -1);
        }
    }

    private static long size(Path runDir, String uid) {
        try {
            java.util.UUID.fromString(uid);
            Path f = runDir.resolve(".table_objects").resolve(uid);
            return Files.size(f);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Python's type name of a decoded value, with its length or shape. */
    static String of(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Map<?, ?> m) {
            return "dict, " + m.size() + (m.size() == 1 ? " item" : " items");
        }
        if (v instanceof java.util.Set<?> s) {
            return "set, " + s.size() + (s.size() == 1 ? " item" : " items");
        }
        if (v instanceof Collection<?> c) {
            return "list, " + c.size() + (c.size() == 1 ? " item" : " items");
        }
        if (v instanceof Object[] t) {
            return "tuple, " + t.length + (t.length == 1 ? " item" : " items");
        }
        if (v instanceof byte[] b) {
            return "bytes, " + b.length;
        }
        if (v instanceof String s) {
            return "str, " + s.length() + " characters";
        }
        if (v instanceof Tensor t) {
            return "tensor " + t.dtype() + " " + Arrays.toString(t.shape());
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Number) {
            return "int";
        }
        return v.getClass().getSimpleName();
    }
}
