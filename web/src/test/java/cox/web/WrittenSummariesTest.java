package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's summaries worked out from the runs' written summaries equal those read from their stores. */
class WrittenSummariesTest {
    @TempDir
    Path dir;

    @Test
    void summarize_fromWrittenSummaries_equalsReadingTheStore() throws Exception {
        TestRuns.write(dir, 25);
        assertThat(dir.resolve("run-0.1-sgd").resolve(RunSummary.FILE_NAME)).exists();
        WrittenSummaries written = new WrittenSummaries(dir, () -> cox.readers.RunIndex.inMemory(dir), "metadata");
        List<String> ids;
        try (var children = Files.list(dir)) {
            ids = children.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(ids).hasSize(9);
        for (String id : ids) {
            ListedRun run = new ListedRun(id, dir.resolve(id));
            RunStamp stamp = RunStamp.of(run.dir);
            for (String table : new String[] {null, "results", "metadata", "checkpoints", "nope"}) {
                SummaryCache.Loaded fromStore = SummaryCache.readStore(dir, "metadata", run, stamp, table);
                SummaryCache.Loaded fromSummary = written.summarize(dir, run, stamp, table);
                assertThat(fromSummary.contents()).as(id + " " + table).isEqualTo(fromStore.contents());
                assertThat(fromSummary.summary()).as(id + " " + table).isEqualTo(fromStore.summary());
            }
        }
    }

    @Test
    void summarize_aDamagedStore_carriesTheStoresError() throws Exception {
        TestRuns.write(dir, 5);
        Path run = dir.resolve("run-0.1-sgd");
        Files.delete(run.resolve(RunSummary.FILE_NAME));
        Files.delete(run.resolve(".cox.journal"));
        Files.write(run.resolve("store.h5"), new byte[] {1, 2, 3});
        ListedRun listed = new ListedRun("run-0.1-sgd", run);
        RunStamp stamp = RunStamp.of(run);
        SummaryCache.Loaded fromStore = SummaryCache.readStore(dir, "metadata", listed, stamp, "results");
        SummaryCache.Loaded fromSummary = new WrittenSummaries(dir, () -> cox.readers.RunIndex.inMemory(dir), "metadata")
                .summarize(dir, listed, stamp, "results");
        assertThat(fromStore.contents().error()).isNotNull();
        assertThat(fromSummary.contents()).isEqualTo(fromStore.contents());
        assertThat(fromSummary.summary()).isEqualTo(fromStore.summary());
    }
}
