package cox.web;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary file gives back what was saved: names and schemas are kept once, in their order. */
class SummaryFileTest {
    @TempDir
    Path cache;

    @Test
    void saveThenLoad_givesBackEveryRun_withSchemasInTheirOwnOrder() throws Exception {
        Path dir = Path.of("/runs");
        SummaryFile file = SummaryFile.in(cache, dir);
        RunStamp a = new RunStamp(10, 11, 12, 13);
        RunStamp b = new RunStamp(20, 21, -1, -1);
        Map<String, Object> paramsA = new LinkedHashMap<>();
        paramsA.put("lr", 0.1);
        paramsA.put("optimizer", "adam");
        paramsA.put("note", "x".repeat(300)); // longer than the dictionary's texts
        paramsA.put("seed", 3L);
        paramsA.put("augment", true);
        paramsA.put("missing", null);
        Map<String, ColumnType> typesA = new LinkedHashMap<>();
        typesA.put("lr", ColumnType.FLOAT);
        typesA.put("optimizer", ColumnType.STR);
        typesA.put("note", ColumnType.STR);
        typesA.put("seed", ColumnType.INT);
        typesA.put("augment", ColumnType.BOOL);
        typesA.put("missing", ColumnType.STR);
        Schema results = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT);
        Schema reversed = Schema.of("loss", ColumnType.FLOAT, "epoch", ColumnType.INT); // equal as a map, not in order
        RunContents contentsA = new RunContents(a, Map.of("results", results), paramsA, typesA, null);
        RunContents contentsB = new RunContents(b, Map.of("results", reversed), Map.of("optimizer", "adam"),
                Map.of("optimizer", ColumnType.STR), null);
        TableSummary summaryA = new TableSummary(a, 3, Map.of("loss", new MetricSummary(1, 0.5, 0.5, 1, 0.75, 3),
                "epoch", MetricSummary.EMPTY), null);
        Map<String, SummaryFile.Entry> saved = new LinkedHashMap<>();
        saved.put("a", new SummaryFile.Entry(a, contentsA, Map.of("results", summaryA), true));
        saved.put("b", new SummaryFile.Entry(b, contentsB, Map.of(), false));
        saved.put("error", new SummaryFile.Entry(a, new RunContents(a, Map.of(), Map.of(), Map.of(), "damaged"), Map.of(), false));
        file.save(saved);

        Map<String, SummaryFile.Entry> loaded = file.load();
        assertThat(loaded).containsOnlyKeys("a", "b"); // a run that could not be read is read again next time
        assertThat(loaded.get("a")).isEqualTo(saved.get("a"));
        assertThat(loaded.get("b")).isEqualTo(saved.get("b"));
        assertThat(List.copyOf(loaded.get("b").contents().tables().get("results").keySet())).containsExactly("loss", "epoch");
        assertThat(List.copyOf(loaded.get("a").contents().params().keySet()))
                .containsExactly("lr", "optimizer", "note", "seed", "augment", "missing");

        byte[] raw = Files.readAllBytes(file.path());
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(zipped)) {
            z.write(raw);
        }
        Files.write(file.path(), zipped.toByteArray());
        assertThat(file.load()).as("a gzip file, as an earlier version wrote it").isEqualTo(loaded);
        // runs with the same tables share one map of them
        saved.put("c", new SummaryFile.Entry(b, new RunContents(b, Map.of("results", reversed), Map.of("optimizer", "sgd"),
                Map.of("optimizer", ColumnType.STR), null), Map.of(), false));
        file.save(saved);
        Map<String, SummaryFile.Entry> again = file.load();
        assertThat(again.get("c").contents().tables()).isSameAs(again.get("b").contents().tables());
        assertThat(again.get("c").contents().paramTypes()).isSameAs(again.get("b").contents().paramTypes());
        assertThat(again.get("c").contents().params()).containsExactly(Map.entry("optimizer", "sgd"));

        Files.write(file.path(), new byte[] {1, 2, 3});
        assertThat(file.load()).as("a damaged file is ignored").isEmpty();
    }
}
