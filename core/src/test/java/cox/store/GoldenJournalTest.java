package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.journal.Checkpoint;
import cox.store.journal.RecordCodec;
import cox.store.journal.RowJournal;
import cox.store.journal.TableDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journal and checkpoint of the golden store ({@link GoldenStore}), read record by record
 * with the journal layer: every table definition, every cell, and the checkpoint's tables, row
 * counts and offset. A change to how the journal encodes a type or a cell fails here.
 */
class GoldenJournalTest {
    private final Path exp = GoldenStore.folder().resolve(GoldenStore.EXP_ID);

    @Test
    void journal_holdsEveryTableAndCell() {
        Map<String, Schema> schemas = GoldenStore.schemas();
        List<TableDefinition> defs = new ArrayList<>();
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        long end = RowJournal.scan(exp.resolve(".cox.journal"), RowJournal.HEADER_SIZE, (offset, payload) -> {
            byte kind = payload.get();
            if (kind == RecordCodec.TABLE) {
                defs.add(RecordCodec.decodeTable(payload));
            } else {
                assertThat(kind).isEqualTo(RecordCodec.ROW);
                TableDefinition d = defs.get(Short.toUnsignedInt(payload.getShort()));
                rows.computeIfAbsent(d.name(), k -> new ArrayList<>())
                        .add(RecordCodec.decodeRow(payload, d.schema().values().toArray(new ColumnType[0])));
            }
        });
        assertThat(end).isEqualTo(exp.resolve(".cox.journal").toFile().length());
        assertThat(defs).extracting(TableDefinition::name).containsExactlyElementsOf(schemas.keySet());
        for (int i = 0; i < defs.size(); i++) {
            TableDefinition d = defs.get(i);
            assertThat(d.id()).isEqualTo(i);
            assertThat(d.schema().sameLayout(schemas.get(d.name()))).as("schema of %s", d.name()).isTrue();
            List<Object[]> got = rows.getOrDefault(d.name(), List.of());
            List<Map<String, Object>> want = GoldenStore.rows(d.name());
            assertThat(got).as("rows of %s", d.name()).hasSize(want.size());
            for (int r = 0; r < want.size(); r++) {
                int c = 0;
                for (Map.Entry<String, ColumnType> col : d.schema().entrySet()) {
                    assertCell(col.getValue(), got.get(r)[c++], want.get(r).get(col.getKey()),
                            d.name() + "[" + r + "]." + col.getKey());
                }
            }
        }
    }

    @Test
    void checkpoint_saysHowFarStoreH5Goes() {
        Checkpoint cp = Checkpoint.read(exp.resolve(".cox.checkpoint"));
        assertThat(cp).isNotNull();
        assertThat(cp.consistent()).isTrue();
        assertThat(cp.tables()).extracting(TableDefinition::name).containsExactlyElementsOf(GoldenStore.checkpointTables());
        for (TableDefinition d : cp.tables()) {
            assertThat(d.schema().sameLayout(GoldenStore.schemas().get(d.name()))).isTrue();
        }
        assertThat(cp.rows()).containsExactly(1, GoldenStore.SYNCED_RESULTS, GoldenStore.SYNCED_OBJECTS, 0);
        // the offset is the record boundary after exactly those rows
        long[] counts = new long[5];
        List<Long> boundaries = new ArrayList<>();
        RowJournal.scan(exp.resolve(".cox.journal"), RowJournal.HEADER_SIZE, cp.journalOffset(), (offset, payload) -> {
            boundaries.add(offset);
            if (payload.get() == RecordCodec.ROW) {
                counts[Short.toUnsignedInt(payload.getShort())]++;
            }
        });
        assertThat(counts).containsExactly(1, GoldenStore.SYNCED_RESULTS, GoldenStore.SYNCED_OBJECTS, 0, 0);
        List<Long> after = new ArrayList<>();
        RowJournal.scan(exp.resolve(".cox.journal"), cp.journalOffset(), (offset, payload) -> after.add(offset));
        assertThat(after).first().isEqualTo(cp.journalOffset());
    }

    private void assertCell(ColumnType type, Object cell, Object want, String what) {
        Path objects = exp.resolve(".table_objects");
        switch (type) {
            case OBJECT:
                assertThat(GoldenStore.comparable(ObjectCells.getObject((String) cell))).as(what)
                        .isEqualTo(GoldenStore.comparable(want));
                break;
            case PICKLE:
                assertThat(GoldenStore.comparable(ObjectCells.getPickle(objects, (String) cell))).as(what)
                        .isEqualTo(GoldenStore.comparable(want));
                break;
            case PYTORCH_STATE:
                assertThat(ObjectCells.getStateDict(objects, (String) cell)).as(what).isEqualTo(want);
                break;
            case FLOAT:
                assertThat(Double.doubleToRawLongBits((Double) cell)).as(what)
                        .isEqualTo(Double.doubleToRawLongBits((Double) want));
                break;
            default:
                assertThat(cell).as(what).isEqualTo(want);
        }
    }
}
