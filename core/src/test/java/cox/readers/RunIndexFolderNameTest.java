package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.query.RunQuery;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder whose name no store may have (a tab in it, as a careless {@code mv} or
 * {@code cp -a} leaves): opening its store refuses the name, so answers from run summaries must
 * refuse it too rather than answer from its {@code .cox.summary} as if it were a run.
 */
class RunIndexFolderNameTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private void writeRun(String id, double loss) {
        try (Store s = Store.open(dir, id)) {
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
            for (int r = 0; r < 3; r++) {
                t.appendRow(Map.of("epoch", (long) r, "loss", loss + r));
            }
        }
    }

    /** What a reader answers, or the message of what it throws, per question. */
    private static List<String> answers(CollectionReader reader) {
        List<String> out = new java.util.ArrayList<>();
        out.add(answer(() -> reader.runs().stream().map(r -> r.expId() + " " + r.rows() + " " + r.status() + " " + r.error())
                .toList().toString()));
        out.add(answer(() -> frame(RunQuery.of("results").last().run(reader).frame())));
        out.add(answer(() -> frame(RunQuery.of("results").best("loss").run(reader).frame())));
        out.add(answer(() -> reader.tables().toString()));
        out.add(answer(() -> reader.schemas().keySet().toString()));
        return out;
    }

    private static String answer(java.util.function.Supplier<String> question) {
        try {
            return question.get();
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String frame(DataFrame df) {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < df.height(); r++) {
            for (String c : df.getColumnsIndex().toArray()) {
                b.append(df.getColumn(c).get(r)).append(' ');
            }
            b.append('\n');
        }
        return b.toString();
    }

    @Test
    void aRunFolderWhoseNameNoStoreMayHave_isAnsweredAlikeWithAndWithoutTheIndex() throws Exception {
        writeRun("a", 1.0);
        writeRun("b", 0.5);
        Files.move(dir.resolve("b"), dir.resolve("b\tcopy"));
        for (boolean skip : new boolean[] {true, false}) {
            List<String> exact;
            try (CollectionReader r = CollectionReader.builder(dir).useSummaries(false).skipErrors(skip).build()) {
                exact = answers(r);
            }
            for (int pass = 0; pass < 2; pass++) {
                try (CollectionReader r = CollectionReader.builder(dir).skipErrors(skip).runIndex(RunIndex.load(cache, dir))
                        .build()) {
                    assertThat(answers(r)).as("skipErrors %s, pass %d", skip, pass).isEqualTo(exact);
                }
            }
            // runs() does not fail for one experiment: the folder is listed with why it cannot be read
            assertThat(exact.get(0)).contains("b\tcopy {} CLOSED experiment id must not contain control characters");
        }
    }
}
