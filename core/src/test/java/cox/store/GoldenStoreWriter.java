package cox.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the golden store ({@link GoldenStore}) into {@code ARG/golden}. Run once, by hand, to
 * make {@code src/test/resources/golden/store}; never by the build (the point of a golden file
 * is that today's code wrote it):
 *
 * <pre>{@code
 * mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp core/target/test-classes:core/target/classes:$(cat /tmp/cp.txt) cox.store.GoldenStoreWriter /tmp/g
 * }</pre>
 *
 * <p>It writes every table through the public API, syncs when {@link GoldenStore#SYNCED_RESULTS}
 * rows of {@code résultats} are in, keeps that {@code store.h5} and checkpoint, writes the rest,
 * closes, and puts the kept {@code store.h5} and checkpoint back: the state a writer killed after
 * {@code sync()} leaves, so a reader must merge the journal's tail. The TensorBoard folder and the
 * lock file are removed (the event file's name holds the host name).
 */
public final class GoldenStoreWriter {
    private GoldenStoreWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        Path exp = folder.resolve(GoldenStore.EXP_ID);
        if (Files.exists(exp)) {
            throw new IllegalStateException(exp + " exists already");
        }
        Path keptH5 = folder.resolve("kept-store.h5");
        Path keptCheckpoint = folder.resolve("kept-checkpoint");
        Map<String, Schema> schemas = GoldenStore.schemas();
        try (Store store = Store.builder(folder).expId(GoldenStore.EXP_ID).mustBeNew().mode(Mode.APPEND).build()) {
            for (String name : GoldenStore.checkpointTables()) {
                store.addTable(name, schemas.get(name));
            }
            write(store.table("metadata"), GoldenStore.rows("metadata"), 0, 1);
            write(store.table("résultats"), GoldenStore.rows("résultats"), 0, GoldenStore.SYNCED_RESULTS);
            write(store.table("objects"), GoldenStore.rows("objects"), 0, GoldenStore.SYNCED_OBJECTS);
            store.sync();
            Files.copy(exp.resolve("store.h5"), keptH5);
            Files.copy(exp.resolve(".cox.checkpoint"), keptCheckpoint);

            write(store.table("résultats"), GoldenStore.rows("résultats"), GoldenStore.SYNCED_RESULTS, 300);
            store.addTable("später", schemas.get("später"));
            write(store.table("später"), GoldenStore.rows("später"), 0, 3);
            write(store.table("objects"), GoldenStore.rows("objects"), GoldenStore.SYNCED_OBJECTS, 5);
        }
        Files.move(keptH5, exp.resolve("store.h5"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(keptCheckpoint, exp.resolve(".cox.checkpoint"), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(exp.resolve(".cox.lock"));
        try (Stream<Path> tb = Files.walk(exp.resolve("tensorboard"))) {
            for (Path p : tb.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        System.out.println("wrote " + exp);
    }

    private static void write(Table table, List<Map<String, Object>> rows, int from, int to) {
        for (int i = from; i < to; i++) {
            table.appendRow(rows.get(i));
        }
    }
}
