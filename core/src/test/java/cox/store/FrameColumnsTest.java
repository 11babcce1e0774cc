package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.store.hdf5.ColumnKind;
import cox.store.hdf5.FrameColumn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameColumnsTest {
    private static final Path FILE = Path.of("/runs/e/store.h5");

    @Test
    void schemaOf_takesCoxDataTypesThatFitTheStorage() {
        Schema s = FrameColumns.schemaOf("t", List.of(new FrameColumn("a", ColumnKind.INT, "int"),
                new FrameColumn("b", ColumnKind.FLOAT, "int"), // an int column holding NaN: stored float64
                new FrameColumn("c", ColumnKind.TEXT, "__pickle__"),
                new FrameColumn("d", ColumnKind.BOOL, "bool"),
                new FrameColumn("e", ColumnKind.TEXT, "numpy.float32")), FILE);
        assertThat(s.sameLayout(Schema.of("a", ColumnType.INT, "b", ColumnType.FLOAT, "c", ColumnType.PICKLE,
                "d", ColumnType.BOOL, "e", ColumnType.STR))).isTrue();
    }

    @Test
    void coxDataThatContradictsTheStorage_isAFormatError() {
        assertThatThrownBy(() -> FrameColumns.schemaOf("t", List.of(new FrameColumn("a", ColumnKind.INT, "str")), FILE))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("table 't' in /runs/e/store.h5: column 'a' is str in COX_DATA but stored as INT");
    }

    @Test
    void repeatedOrInvalidColumnNames_areFormatErrors() {
        assertThatThrownBy(() -> FrameColumns.schemaOf("t", List.of(new FrameColumn("a", ColumnKind.INT, null),
                new FrameColumn("a", ColumnKind.FLOAT, null)), FILE))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("table 't' in /runs/e/store.h5: column 'a' is named twice");
        assertThatThrownBy(() -> FrameColumns.schemaOf("t", List.of(new FrameColumn("", ColumnKind.INT, null)), FILE))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("table 't' in /runs/e/store.h5: column name must not be empty");
    }

    @Test
    void schemaOf_refusesAnObjectMarkerCoxDoesNotHave() {
        assertThatThrownBy(() -> FrameColumns.schemaOf("t", List.of(new FrameColumn("o", ColumnKind.TEXT, "__objecu__")),
                FILE))
                .isInstanceOf(cox.exceptions.StoreFormatException.class)
                .hasMessage("table 't' in " + FILE + ": column 'o' has the type '__objecu__' in COX_DATA, which is none of"
                        + " cox's ('__object__', '__pickle__', '__pytorch_state__')");
        // a class name cox does not know leaves the stored dtype to decide, as before
        assertThat(FrameColumns.schemaOf("t", List.of(new FrameColumn("f", ColumnKind.FLOAT, "numpy.float32")), FILE)
                .get("f")).isEqualTo(ColumnType.FLOAT);
    }

    @Test
    void schemaOf_refusesCoxDataThatListsSomeColumnsAndNotOthers() {
        assertThatThrownBy(() -> FrameColumns.schemaOf("t", List.of(new FrameColumn("a", ColumnKind.INT, "int"),
                new FrameColumn("o", ColumnKind.TEXT, null)), FILE))
                .isInstanceOf(cox.exceptions.StoreFormatException.class)
                .hasMessage("table 't' in " + FILE + ": COX_DATA lists no type for column 'o', though it lists others");
    }
}
