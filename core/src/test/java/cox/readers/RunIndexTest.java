package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.RunSummary;
import cox.store.Schema;
import cox.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run index's cache file: what it keeps, when an entry holds, and that a bad file is only ignored. */
class RunIndexTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private RunSummary writeRun(String id, int rows) {
        try (Store s = Store.open(dir, id)) {
            var t = s.keys().contains("results") ? s.table("results")
                    : s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
            for (int i = 0; i < rows; i++) {
                t.appendRow(Map.of("epoch", t.nrows(), "loss", 1.0 / (i + 1)));
            }
        }
        return RunSummary.written(dir.resolve(id));
    }

    @Test
    void load_withACacheFolderThatIsNotLocal_isRefused() throws Exception {
        try (java.nio.file.FileSystem jimfs = com.google.common.jimfs.Jimfs.newFileSystem(
                com.google.common.jimfs.Configuration.unix())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunIndex.load(jimfs.getPath("/cache"), dir))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("local").hasMessageContaining("jimfs://");
        }
    }

    @Test
    void anEntry_isKeptAcrossLoads_andHoldsOnlyWhileTheRunsFilesAreUnchanged() {
        RunSummary a = writeRun("a", 3);
        RunIndex index = RunIndex.load(cache, dir);
        RunIndex.Stamp stamp = RunIndex.Stamp.of(dir.resolve("a"));
        index.put("a", stamp, new RunIndex.Known(a, true));
        index.save();
        assertThat(index.file()).exists();

        RunIndex again = RunIndex.load(cache, dir);
        assertThat(again.size()).isEqualTo(1);
        assertThat(again.lookup("a", stamp)).isEqualTo(new RunIndex.Known(a, true));
        writeRun("a", 1);
        assertThat(again.lookup("a", RunIndex.Stamp.of(dir.resolve("a")))).as("the run grew").isNull();
        assertThat(RunIndex.load(cache, dir.resolve("elsewhere")).size()).as("another folder's index").isZero();
    }

    @Test
    void aDamagedCacheFile_isIgnored_andAGoneRunIsForgottenOnSave() throws Exception {
        RunIndex index = RunIndex.load(cache, dir);
        for (String id : new String[] {"a", "b", "c"}) {
            RunSummary s = writeRun(id, 2);
            index.put(id, RunIndex.Stamp.of(dir.resolve(id)), new RunIndex.Known(s, true));
        }
        index.save();
        byte[] good = Files.readAllBytes(index.file());
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bad = good.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
            Files.write(index.file(), random.nextInt(5) == 0 ? java.util.Arrays.copyOf(bad, random.nextInt(bad.length)) : bad);
            RunIndex loaded = RunIndex.load(cache, dir);
            assertThat(loaded.size()).as("trial %d", trial).isZero();
        }
        Files.write(index.file(), good);
        RunIndex loaded = RunIndex.load(cache, dir);
        assertThat(loaded.size()).isEqualTo(3);
        try (var files = Files.walk(dir.resolve("b"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        RunSummary c = writeRun("c", 1);
        loaded.put("c", RunIndex.Stamp.of(dir.resolve("c")), new RunIndex.Known(c, true));
        loaded.save();
        assertThat(RunIndex.load(cache, dir).size()).isEqualTo(2);
    }

    @Test
    void anIndexInMemory_writesNoFile() {
        RunIndex index = RunIndex.inMemory(dir);
        index.put("a", RunIndex.Stamp.of(dir.resolve("a")), new RunIndex.Known(writeRun("a", 1), false));
        index.save();
        assertThat(index.file()).isNull();
        assertThat(cache).isEmptyDirectory();
    }
}
