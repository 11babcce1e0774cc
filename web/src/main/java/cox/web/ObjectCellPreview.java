package cox.web;

import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the run page shows an object cell: an OBJECT cell as JSON (decoded safely: plain data only)
 * beside its Python type and size; a PICKLE cell by its type and size, decoded from its file; a
 * PYTORCH_STATE cell only by the size of its file, since a state dict can be large.
 *
 * @param type the cell's column type
 * @param summary the value as Python names its type and size, or why it cannot be read
 * @param bytes its size in bytes (-1 if unknown)
 * @param json an OBJECT cell's value as JSON ({@link ObjectJson}); null for other types and for
 *     a cell that cannot be read
 */
record ObjectCellPreview(String type, String summary, long bytes, String json) {
    /**
     * @param table the run's table the cell is in
     * @param runDir the run's folder (object files live under it)
     * @param type the cell's column type: OBJECT, PICKLE or PYTORCH_STATE
     * @param cell the cell's text as stored
     * @return the preview; an unreadable cell says so in its summary
     */
    static ObjectCellPreview of(Table table, Path runDir, ColumnType type, String cell) {
        if (cell == null || cell.isEmpty()) {
            return new ObjectCellPreview(type.name(), "", 0, null);
        }
        try {
            switch (type) {
                case OBJECT: {
                    long bytes = cell.length() / 4L * 3;
                    Object value = table.getObject(cell);
                    return new ObjectCellPreview(type.name(), CellText.describe(value), bytes, ObjectJson.of(value));
                }
                case PICKLE: {
                    long bytes = size(runDir, cell);
                    return new ObjectCellPreview(type.name(), CellText.describe(table.getPickle(cell)), bytes, null);
                }
                default: {
                    long bytes = size(runDir, cell);
                    return new ObjectCellPreview(type.name(), "state dict, file " + cell, bytes, null);
                }
            }
        } catch (RuntimeException e) {
            return new ObjectCellPreview(type.name(), "unreadable: " + e.getMessage(), -1, null);
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
