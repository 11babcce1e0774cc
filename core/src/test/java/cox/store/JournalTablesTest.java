package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.store.journal.CellEncoding;
import cox.store.journal.JournalColumn;
import cox.store.journal.JournalTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalTablesTest {
    private static final Schema EVERY_TYPE = Schema.of("i", ColumnType.INT, "f", ColumnType.FLOAT, "s", ColumnType.STR,
            "b", ColumnType.BOOL, "o", ColumnType.OBJECT, "p", ColumnType.PICKLE, "t", ColumnType.PYTORCH_STATE);

    @Test
    void toJournalAndBack_keepsIdNameAndColumnsInOrder() {
        TableDefinition d = new TableDefinition(4, "résultats", EVERY_TYPE);
        JournalTable t = JournalTables.toJournal(d);
        assertThat(t.columns()).extracting(JournalColumn::typeCode).containsExactly(0, 1, 2, 3, 4, 5, 6);
        TableDefinition back = JournalTables.fromJournal(t, Path.of("j"));
        assertThat(back.id()).isEqualTo(4);
        assertThat(back.name()).isEqualTo("résultats");
        assertThat(back.schema().sameLayout(EVERY_TYPE)).isTrue();
    }

    @Test
    void encodings_followTheTypes() {
        assertThat(JournalTables.encodings(EVERY_TYPE)).containsExactly(CellEncoding.INT64, CellEncoding.FLOAT64,
                CellEncoding.TEXT, CellEncoding.BOOL, CellEncoding.TEXT, CellEncoding.TEXT, CellEncoding.TEXT);
    }

    @Test
    void unknownTypeCode_namesFileTableColumnAndCode() {
        JournalTable t = new JournalTable(0, "t", List.of(new JournalColumn("a", 0), new JournalColumn("z", 9)));
        assertThatThrownBy(() -> JournalTables.fromJournal(t, Path.of("/runs/e/.cox.journal")))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("/runs/e/.cox.journal: table 't' has column 'z' of type code 9, which this cox4j does not"
                        + " know (0 to 6)");
    }

    @Test
    void repeatedColumnName_isAFormatError() {
        JournalTable t = new JournalTable(0, "t", List.of(new JournalColumn("a", 0), new JournalColumn("a", 1)));
        assertThatThrownBy(() -> JournalTables.fromJournal(t, Path.of("cp")))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("cp: table 't': column 'a' is named twice");
    }
}
