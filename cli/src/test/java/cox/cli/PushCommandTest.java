package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cox push} to a local folder, as a user runs it. */
class PushCommandTest {
    @TempDir
    Path dir;

    @Test
    void push_toALocalFolder_copiesTheRunAndSaysWhat() {
        Path runs = SweepRuns.COMMAND_LINE.write(dir.resolve("runs"), "run-%02d", 3);
        Path pushed = dir.resolve("pushed");

        CoxRun r = cox("push", runs.resolve("run-01").toString(), pushed.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("copied  store.h5\n", "copied  .cox.journal\n", "copied  .cox.summary\n")
                .contains("pushed run run-01 to " + pushed.resolve("run-01") + ": ").contains(" files copied (");
        assertThat(r.out().indexOf("copied  store.h5")).isGreaterThan(r.out().indexOf("copied  tensorboard/"));
        try (CollectionReader source = CollectionReader.builder(runs).expFilter("run-01"::equals).build();
                CollectionReader target = CollectionReader.open(pushed)) {
            DataFrame expected = source.df("results");
            DataFrame actual = target.df("results");
            assertThat(actual.getColumnsIndex().toArray()).containsExactly(expected.getColumnsIndex().toArray());
            for (String c : expected.getColumnsIndex()) {
                assertThat(actual.getColumn(c).toList()).as(c).isEqualTo(expected.getColumn(c).toList());
            }
        }
        assertThat(cox("ls", pushed.toString()).out()).contains("run-01").contains("closed");

        CoxRun again = cox("push", runs.resolve("run-01").toString(), "file://" + pushed);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("run run-01 is at file://" + pushed + "/run-01 already, unchanged: nothing copied\n");
    }

    @Test
    void push_ontoAnotherRunWithTheSameId_needsReplace() {
        Path runs = SweepRuns.COMMAND_LINE.write(dir.resolve("runs"), "run-%02d", 2);
        Path pushed = dir.resolve("pushed");
        SweepRuns.COMMAND_LINE.writeRun(dir.resolve("other"), "run-01", 0);
        assertThat(cox("push", dir.resolve("other/run-01").toString(), pushed.toString()).exit()).isZero();

        CoxRun refused = cox("push", runs.resolve("run-01").toString(), pushed.toString());

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("cox push: ").contains("holds another run with experiment id run-01")
                .contains("cox push --replace");

        CoxRun replaced = cox("push", runs.resolve("run-01").toString(), pushed.toString(), "--replace");
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("deleted store.h5\n").contains("replaced with run run-01 at " + pushed.resolve("run-01"));
    }

    @Test
    void ls_ofAFolderHoldingAStoppedPush_listsOnlyTheWholeRuns() throws IOException {
        Path runs = SweepRuns.COMMAND_LINE.write(dir.resolve("runs"), "run-%02d", 2);
        Path pushed = dir.resolve("pushed");
        assertThat(cox("push", runs.resolve("run-00").toString(), pushed.toString()).exit()).isZero();
        // run-01 as a push stopped just before store.h5 is moved into place leaves it: every other
        // file, store.h5 under its temporary name, no checkpoint or journal yet
        Path partial = pushed.resolve("run-01");
        try (Stream<Path> files = Files.walk(runs.resolve("run-01"))) {
            for (Path f : files.toList()) {
                Path to = partial.resolve(runs.resolve("run-01").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else if (!List.of("store.h5", ".cox.journal", ".cox.checkpoint", ".cox.lock", ".cox.summary")
                        .contains(f.getFileName().toString())) {
                    Files.copy(f, to);
                }
            }
        }
        Files.copy(runs.resolve("run-01/store.h5"), partial.resolve(".store.h5.cox-push-tmp"));

        CoxRun ls = cox("ls", pushed.toString());

        assertThat(ls.exit()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("run-00").doesNotContain("run-01");
        assertThat(cox("df", pushed.toString(), "results").out()).contains("run-00").doesNotContain("run-01");
    }

    @Test
    void push_ofALiveRun_failsNamingIt() {
        try (Store s = Store.open(dir.resolve("runs"), "live")) {
            s.addTable("results", Schema.of("epoch", ColumnType.INT)).appendRow(Map.of("epoch", 0));

            CoxRun r = cox("push", s.path().toString(), dir.resolve("pushed").toString());

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("run live").contains("is open for writing: only a closed run is pushed");
        }
    }

    @Test
    void push_ofWhatIsNoRun_orToAnUnknownScheme_isAUsageError() {
        Path runs = SweepRuns.COMMAND_LINE.write(dir.resolve("runs"), "run-%02d", 1);

        CoxRun notARun = cox("push", dir.toString(), dir.resolve("pushed").toString());
        assertThat(notARun.exit()).isEqualTo(2);
        assertThat(notARun.err()).contains("not a cox store: " + dir);

        CoxRun unknown = cox("push", runs.resolve("run-00").toString(), "nosuch://bucket/runs");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no file system on the class path serves nosuch");

        CoxRun secret = cox("push", runs.resolve("run-00").toString(), "nosuch://KEY:SECRET@bucket/runs");
        assertThat(secret.exit()).isEqualTo(2);
        assertThat(secret.err()).contains("nosuch://bucket/runs").doesNotContain("SECRET");
    }
}
