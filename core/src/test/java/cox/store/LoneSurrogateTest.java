package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.torch.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 8: a lone surrogate has no UTF-8 encoding, and Java writes '?' in its place; a
 * value is converted only when nothing is lost, so it is refused, naming store, table, column and
 * the position, and nothing is staged or written.
 */
class LoneSurrogateTest {
    @TempDir
    Path dir;

    @Test
    void inAStrCell_isRefused_namingStoreTableColumnAndPosition() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("s", ColumnType.STR));
            assertThatThrownBy(() -> t.appendRow(Map.of("s", "a\uD800b")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("table 't' of store " + s.path() + ": column 's' expects STR (String), got String"
                            + " \"a\\uD800b\" (it holds a lone surrogate U+D800 at index 1, which UTF-8 cannot store;"
                            + " converting would lose it)");
            assertThatThrownBy(() -> t.appendRow(Map.of("s", "ok \uDC00")))
                    .hasMessageContaining("lone surrogate U+DC00 at index 3");
            t.appendRow(Map.of("s", "a pair is fine: \uD83D\uDE42"));
            assertThat(t.df().getColumn("s").toList()).containsExactly("a pair is fine: \uD83D\uDE42");
        }
    }

    @Test
    void inAnObjectOrPickleValue_isRefused_namingTheColumnAndPosition() throws Exception {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("o", ColumnType.OBJECT, "p", ColumnType.PICKLE, "w",
                    ColumnType.PYTORCH_STATE));
            assertThatThrownBy(() -> t.updateRow(Map.of("o", List.of("x", Map.of("k\uD800", 1)))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("table 't' of store " + s.path() + ": column 'o' cannot pickle the value: a string holds a"
                            + " lone surrogate U+D800 at index 1, which UTF-8 cannot encode");
            assertThatThrownBy(() -> t.updateRow(Map.of("p", "\uDFFF")))
                    .hasMessage("table 't' of store " + s.path() + ": column 'p' cannot pickle the value: a string holds a"
                            + " lone surrogate U+DFFF at index 0, which UTF-8 cannot encode");
            assertThatThrownBy(() -> t.updateRow(Map.of("w", Map.of("layer\uD800.weight", Tensor.ofFloats(new float[] {1f}, 1)))))
                    .hasMessage("table 't' of store " + s.path() + ": column 'w': the state dict key at entry 0 holds a"
                            + " lone surrogate U+D800 at index 5, which UTF-8 cannot encode");
            try (Stream<Path> objects = Files.list(s.path().resolve(".table_objects"))) {
                assertThat(objects).as("no object file, whole or temporary, is left").isEmpty();
            }
        }
    }

    @Test
    void inATableOrColumnName_isRefused() {
        try (Store s = Store.open(dir, "exp")) {
            assertThatThrownBy(() -> s.addTable("t\uD800", Schema.of("a", ColumnType.INT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("table name must not hold a lone surrogate, which UTF-8 cannot store: U+D800 at index 1");
            assertThatThrownBy(() -> Schema.of("\uDC01", ColumnType.INT))
                    .hasMessage("column name must not hold a lone surrogate, which UTF-8 cannot store: U+DC01 at index 0");
        }
    }
}
