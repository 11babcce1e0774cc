package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import java.util.Map;

/**
 * What a run's store holds at {@code stamp}: its tables with their schemas and its parameters
 * (the first row of the metadata table, column name to value: Long, Double, Boolean, String, or
 * a short text for an object cell). {@code error} is the message of the failure to read it, and
 * then the maps are empty.
 */
record RunContents(RunStamp stamp, Map<String, Schema> tables, Map<String, Object> params,
                   Map<String, ColumnType> paramTypes, String error) {
}
