package cox.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently read {@link TableColumns}, by run and table, least recently used first out once their
 * size passes a budget in bytes. An entry is used only while its stamp equals the run's stamp now.
 * Thread-safe (synchronized).
 */
final class SeriesCache {
    private final long budget;
    private long bytes;
    private final LinkedHashMap<String, TableColumns> entries = new LinkedHashMap<>(256, 0.75f, true);

    /** @param budget bytes to keep at most */
    SeriesCache(long budget) {
        this.budget = budget;
    }

    synchronized TableColumns get(String expId, String table, RunStamp stamp) {
        TableColumns c = entries.get(key(expId, table));
        return c != null && c.stamp().equals(stamp) ? c : null;
    }

    synchronized void put(String expId, String table, TableColumns columns) {
        TableColumns old = entries.put(key(expId, table), columns);
        if (old != null) {
            bytes -= old.bytes();
        }
        bytes += columns.bytes();
        var it = entries.entrySet().iterator();
        while (bytes > budget && it.hasNext()) {
            Map.Entry<String, TableColumns> e = it.next();
            if (e.getValue() == columns) {
                break;
            }
            bytes -= e.getValue().bytes();
            it.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    private static String key(String expId, String table) {
        return expId + '\u0000' + table;
    }
}
