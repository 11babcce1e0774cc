package cox.web;

import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;

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
                    return new Described(type.name(), CellText.describe(table.getObject(cell)), bytes);
                }
                case PICKLE: {
                    long bytes = size(runDir, cell);
                    return new Described(type.name(), CellText.describe(table.getPickle(cell)), bytes);
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
}
