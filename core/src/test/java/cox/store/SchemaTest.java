package cox.store;

import static cox.store.ColumnType.BOOL;
import static cox.store.ColumnType.FLOAT;
import static cox.store.ColumnType.INT;
import static cox.store.ColumnType.STR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaTest {
    @Test
    void of_keepsOrder_andIsAnImmutableMap() {
        Schema s = Schema.of("b", FLOAT, "a", INT, "c", STR);
        assertThat(List.copyOf(s.keySet())).containsExactly("b", "a", "c");
        assertThat(s.type("a")).isEqualTo(INT);
        assertThat(s.indexOf("c")).isEqualTo(2);
        assertThat(s.indexOf("zz")).isEqualTo(-1);
        assertThat(s.toString()).isEqualTo("{b: float, a: int, c: str}");
        assertThatThrownBy(() -> s.put("d", BOOL)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copyOf_keepsTheMapsOrder_andBuilderMatchesOf() {
        Map<String, ColumnType> m = new LinkedHashMap<>();
        m.put("z", BOOL);
        m.put("y", STR);
        assertThat(List.copyOf(Schema.copyOf(m).keySet())).containsExactly("z", "y");
        assertThat(Schema.builder().add("z", BOOL).add("y", STR).build()).isEqualTo(Schema.copyOf(m));
    }

    @Test
    void badArguments_areNamed() {
        assertThatThrownBy(() -> Schema.of("a", INT, "b"))
                .hasMessage("Schema.of takes name/type pairs: got 3 arguments");
        assertThatThrownBy(() -> Schema.of(1, INT)).hasMessage("argument 0 of Schema.of must be a column name (String): got Integer 1");
        assertThatThrownBy(() -> Schema.of("a", "int")).hasMessage("type of column 'a' must be a ColumnType: got String int");
        assertThatThrownBy(() -> Schema.of("a", INT, "a", FLOAT)).hasMessage("column 'a' is named twice");
        assertThatThrownBy(() -> Schema.of("", INT)).hasMessage("column name must not be empty");
        assertThatThrownBy(() -> Schema.of("a").type("b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schema.of("a", INT).type("b")).hasMessage("no column 'b' in schema {a: int}");
    }

    @Test
    void fromExample_inferLikeSchemaFromDict() {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("i", 1);
        ex.put("l", 2L);
        ex.put("big", BigInteger.TEN);
        ex.put("f", 1.5f);
        ex.put("d", 2.5);
        ex.put("s", "x");
        ex.put("b", true);
        ex.put("list", List.of(1));
        assertThat(Schema.fromExample(ex)).isEqualTo(Schema.of("i", INT, "l", INT, "big", INT, "f", FLOAT, "d", FLOAT,
                "s", STR, "b", BOOL, "list", ColumnType.OBJECT));
        assertThat(Schema.fromExample(Map.of("list", List.of()), ColumnType.PICKLE).type("list")).isEqualTo(ColumnType.PICKLE);
        assertThatThrownBy(() -> Schema.fromExample(Map.of("a", 1), STR))
                .hasMessage("alternative must be OBJECT, PICKLE or PYTORCH_STATE: got STR");
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("n", null);
        assertThatThrownBy(() -> Schema.fromExample(withNull)).hasMessage("cannot infer the type of column 'n' from null");
    }

    @Test
    void modeAndTypeNames_matchPython() {
        assertThat(Mode.of("a")).isEqualTo(Mode.APPEND);
        assertThat(Mode.of("r")).isEqualTo(Mode.READ);
        assertThat(Mode.of("w")).isEqualTo(Mode.WRITE);
        assertThatThrownBy(() -> Mode.of("x")).hasMessage("mode must be 'a', 'r' or 'w': got 'x'");
        assertThat(ColumnType.ofPythonName("__pytorch_state__")).isEqualTo(ColumnType.PYTORCH_STATE);
        assertThat(Store.PICKLE.pythonName()).isEqualTo("__pickle__");
        assertThatThrownBy(() -> ColumnType.ofPythonName("complex")).hasMessageStartingWith("unknown cox column type 'complex'");
    }
}
