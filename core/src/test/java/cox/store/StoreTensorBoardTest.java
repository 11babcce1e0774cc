package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.tensorboard.EventFileReader;
import cox.tensorboard.ScalarEvent;
import cox.tensorboard.SummaryValue;
import cox.tensorboard.TensorBoardEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTensorBoardTest {
    @TempDir
    Path dir;

    private static Path eventFile(Path exp) throws Exception {
        try (Stream<Path> s = Files.list(exp.resolve("tensorboard"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
    }

    @Test
    void logTableAndTb_logsTableSlashColumn_withStepNrows_andStagesRow() throws Exception {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            exp = s.path();
            s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
            for (int e = 0; e < 3; e++) {
                s.logTableAndTb("results", Map.of("loss", 1.0 / (e + 1)));
                s.table("results").updateRow(Map.of("epoch", e));
                s.table("results").flushRow();
            }
            assertThat(s.table("results").df().getColumn("loss").toList()).containsExactly(1.0, 0.5, 1.0 / 3);
        }
        List<ScalarEvent> scalars = EventFileReader.readScalars(eventFile(exp));
        assertThat(scalars).extracting(ScalarEvent::tag).containsOnly("results/loss");
        assertThat(scalars).extracting(ScalarEvent::step).containsExactly(0L, 1L, 2L);
        assertThat(scalars).extracting(ScalarEvent::value).containsExactly(1.0f, 0.5f, (float) (1.0 / 3));
    }

    @Test
    void logTableAndTb_histogramAndText() throws Exception {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            exp = s.path();
            s.addTable("t", Schema.of("note", ColumnType.STR));
            s.logTableAndTb("t", Map.of("note", "hello"), "text");
            s.table("t").flushRow();
            s.addTable("h", Schema.of("x", ColumnType.FLOAT));
            s.tensorboard().addHistogram("weights", new double[] {1, 2, 3}, 0);
            assertThatThrownBy(() -> s.logTableAndTb("t", Map.of("note", "x"), "audio"))
                    .hasMessage("summary type must be \"scalar\", \"histogram\" or \"text\": got \"audio\"");
            assertThatThrownBy(() -> s.logTableAndTb("t", Map.of("note", "x")))
                    .hasMessage("table 't': column 'note' cannot be logged to TensorBoard as a scalar: got String x");
        }
        List<TensorBoardEvent> events = EventFileReader.readEvents(eventFile(exp));
        assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
        assertThat(events.stream().flatMap(e -> e.values().stream()).map(SummaryValue::tag))
                .contains("t/note/text_summary", "weights");
    }

    @Test
    void readMode_hasNoTensorboard() {
        Store.open(dir, "exp").close();
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(s::tensorboard).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("open read-only (mode r): it has no TensorBoard writer");
        }
    }
}
