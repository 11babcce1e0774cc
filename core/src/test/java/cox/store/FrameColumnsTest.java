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
                new FrameColumn("d", ColumnKind.BOOL, null),
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
}
