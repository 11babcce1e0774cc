package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store under a folder and experiment id with an emoji is created, appended to and read (issue 9, finding 7). */
class EmojiPathTest {
    @TempDir
    Path dir;

    @Test
    void emojiInFolderAndExpId_storeWorks() {
        Path folder = dir.resolve("x🙂");
        try (Store s = Store.open(folder, "run-🙂")) {
            s.addTable("results", Schema.of("i", ColumnType.INT, "s", ColumnType.STR)).appendRow(Map.of("i", 1, "s", "🙂"));
        }
        try (Store s = Store.open(folder, "run-🙂")) {
            s.table("results").appendRow(Map.of("i", 2, "s", "b"));
        }
        try (Store s = Store.open(folder, "run-🙂", Mode.READ)) {
            assertThat(s.table("results").df().getColumn("s").toList()).containsExactly("🙂", "b");
        }
        assertThat(folder.resolve("run-🙂").resolve("store.h5")).isRegularFile();
    }
}
