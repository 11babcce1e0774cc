package cox.cli;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A run being written by another process, for the command-line tests: logs one metadata row, then
 * {@code results} rows until killed, printing "ready" and then each epoch after its
 * {@code flushRow()} returned. Arguments: storage folder, experiment id, microseconds between rows.
 */
public final class LiveWriter {
    private LiveWriter() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        long pauseMicros = Long.parseLong(args[2]);
        try (Store store = new Store(folder, args[1])) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("lr", 0.5);
            meta.put("optimizer", "live");
            meta.put("layers", List.of(8L));
            meta.put("seed", 99L);
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            Table results = store.addTable("results",
                    Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT));
            System.out.println("ready");
            System.out.flush();
            for (long epoch = 0; ; epoch++) {
                store.logTableAndTb("results", Map.of("epoch", epoch, "loss", 1.0 / (epoch + 1), "acc", 0.5));
                results.flushRow();
                System.out.println(epoch);
                System.out.flush();
                LockSupport.parkNanos(pauseMicros * 1000);
            }
        }
    }
}
