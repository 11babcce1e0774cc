package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionReaderTest {
    @TempDir
    Path dir;

    @Test
    void df_concatenatesEveryExperiment_withExpId() throws Exception {
        for (String id : new String[] {"b", "a"}) {
            try (Store s = new Store(dir, id)) {
                s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
                for (int e = 0; e < 2; e++) {
                    s.table("results").appendRow(Map.of("epoch", e, "loss", id.equals("a") ? 1.0 : 2.0));
                }
            }
        }
        try (Store s = new Store(dir, "c")) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT)).appendRow(Map.of("lr", 0.1));
        }
        Files.createDirectories(dir.resolve("not-an-experiment"));
        try (CollectionReader r = new CollectionReader(dir)) {
            assertThat(r.expIds()).containsExactly("a", "b", "c");
            DataFrame df = r.df("results");
            assertThat(df.getColumnsIndex().toArray()).containsExactly("epoch", "loss", "exp_id");
            assertThat(df.getColumn("exp_id").toList()).containsExactly("a", "a", "b", "b");
            assertThat(df.getColumn("loss").toList()).containsExactly(1.0, 1.0, 2.0, 2.0);
            assertThat(r.df("metadata").getColumn("exp_id").toList()).containsExactly("c");
            assertThat(r.df("nothing").height()).isZero();
        }
    }

    @Test
    void readsStoresBeingWritten() {
        try (Store s = new Store(dir, "live")) {
            s.addTable("t", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 1));
            assertThat(new CollectionReader(dir).df("t").getColumn("i").toList()).containsExactly(1L);
        }
    }

    @Test
    void badFolder_andClosed_areClearErrors() {
        assertThatThrownBy(() -> new CollectionReader(dir.resolve("missing")))
                .hasMessage("not a folder of experiments: " + dir.resolve("missing").toAbsolutePath());
        CollectionReader r = new CollectionReader(dir);
        r.close();
        assertThatThrownBy(() -> r.df("t")).hasMessage("collection reader of " + dir.toAbsolutePath() + " is closed");
    }

    @Test
    void coxPythonFixtures_readAsOneFrame() {
        Path fixtures = Path.of("../../shared/fixtures/cox-python");
        assumeTrue(Files.isDirectory(fixtures), "no ../shared/fixtures/cox-python beside the project");
        try (CollectionReader r = new CollectionReader(fixtures)) {
            DataFrame results = r.df("results");
            assertThat(results.height()).isEqualTo(60);
            assertThat(r.df("metadata").getColumn("optimizer").toList()).containsExactly("sgd", "adam", "adamw");
        }
    }
}
