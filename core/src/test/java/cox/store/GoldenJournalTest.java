package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.journal.Checkpoint;
import cox.store.journal.JournalColumn;
import cox.store.journal.JournalRow;
import cox.store.journal.JournalTable;
import cox.store.journal.RowJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The journal and checkpoint of the golden store ({@link GoldenStore}), read record by record
 * with the journal layer: every table definition, every cell, and the checkpoint's tables, row
 * counts and offset. A change to how the journal encodes a type or a cell fails here.
 */
class GoldenJournalTest {
    /** The journal's type codes, as written since the first journal: never renumbered. */
    private static final Map<ColumnType, Integer> CODES = Map.of(ColumnType.INT, 0, ColumnType.FLOAT, 1,
            ColumnType.STR, 2, ColumnType.BOOL, 3, ColumnType.OBJECT, 4, ColumnType.PICKLE, 5,
            ColumnType.PYTORCH_STATE, 6);

    /** The golden experiment of the version being checked (set by each test). */
    private Path exp;

    static List<String> versions() {
        return GoldenStore.VERSIONS;
    }

    @Test
    void columnTypes_keepTheirJournalCodes() {
        for (ColumnType t : ColumnType.values()) {
            assertThat(t.journalCode()).as("%s", t).isEqualTo(CODES.get(t));
            assertThat(ColumnType.ofJournalCode(CODES.get(t))).isEqualTo(t);
        }
        assertThat(ColumnType.ofJournalCode(7)).isNull();
    }

    /** The columns of {@code schema} as the journal must hold them: names and pinned codes. */
    private static List<JournalColumn> journalColumns(Schema schema) {
        List<JournalColumn> out = new ArrayList<>();
        schema.forEach((name, type) -> out.add(new JournalColumn(name, CODES.get(type))));
        return out;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void journal_holdsEveryTableAndCell(String version) {
        exp = GoldenStore.folder(version).resolve(GoldenStore.EXP_ID);
        Map<String, Schema> schemas = GoldenStore.schemas();
        List<JournalTable> tables = new ArrayList<>();
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        long end = RowJournal.scan(exp.resolve(".cox.journal"), RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable table) {
                tables.add(table);
            }

            @Override
            public void row(long offset, JournalRow row) {
                TableDefinition d = JournalTables.fromJournal(tables.get(row.tableId()), exp);
                rows.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(row.cells(JournalTables.encodings(d.schema())));
            }
        });
        assertThat(end).isEqualTo(exp.resolve(".cox.journal").toFile().length());
        assertThat(tables).extracting(JournalTable::name).containsExactlyElementsOf(schemas.keySet());
        for (int i = 0; i < tables.size(); i++) {
            JournalTable t = tables.get(i);
            assertThat(t.id()).isEqualTo(i);
            assertThat(t.columns()).as("columns of %s", t.name()).isEqualTo(journalColumns(schemas.get(t.name())));
            TableDefinition d = JournalTables.fromJournal(t, exp);
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

    @ParameterizedTest
    @MethodSource("versions")
    void checkpoint_saysHowFarStoreH5Goes(String version) {
        exp = GoldenStore.folder(version).resolve(GoldenStore.EXP_ID);
        Checkpoint cp = Checkpoint.read(exp.resolve(".cox.checkpoint"));
        assertThat(cp).isNotNull();
        assertThat(cp.consistent()).isTrue();
        assertThat(cp.tables()).extracting(JournalTable::name).containsExactlyElementsOf(GoldenStore.checkpointTables());
        for (JournalTable t : cp.tables()) {
            assertThat(t.columns()).isEqualTo(journalColumns(GoldenStore.schemas().get(t.name())));
        }
        assertThat(cp.rows()).containsExactly(1, GoldenStore.SYNCED_RESULTS, GoldenStore.SYNCED_OBJECTS, 0);
        // the offset is the record boundary after exactly those rows
        long[] counts = new long[5];
        RowJournal.scan(exp.resolve(".cox.journal"), RowJournal.HEADER_SIZE, cp.journalOffset(), new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                counts[row.tableId()]++;
            }
        });
        assertThat(counts).containsExactly(1, GoldenStore.SYNCED_RESULTS, GoldenStore.SYNCED_OBJECTS, 0, 0);
        List<Long> after = new ArrayList<>();
        RowJournal.scan(exp.resolve(".cox.journal"), cp.journalOffset(), new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable table) {
                after.add(offset);
            }

            @Override
            public void row(long offset, JournalRow row) {
                after.add(offset);
            }
        });
        assertThat(after).first().isEqualTo(cp.journalOffset());
    }

    @Test
    void checkpointOfFormat2_holdsTheDigestsOfStoreH5sRows_andNoTableNotHeld() {
        exp = GoldenStore.folder("2026-11-25-9db0067").resolve(GoldenStore.EXP_ID);
        Checkpoint cp = Checkpoint.read(exp.resolve(".cox.checkpoint"));
        assertThat(cp.hasDigests()).isTrue();
        assertThat(cp.notHeld()).containsOnly(false);
        try (StoreH5 h5 = StoreH5.open(exp.resolve("store.h5"), false)) {
            for (int i = 0; i < cp.tables().size(); i++) {
                TableDefinition d = JournalTables.fromJournal(cp.tables().get(i), exp);
                Columns rows = h5.read(d.name(), d.schema(), 0, (int) cp.rows()[i]);
                assertThat(rows.digest(RowDigest.EMPTY)).as("digest of %s", d.name()).isEqualTo(cp.digests()[i]);
            }
        }
        assertThat(Checkpoint.read(GoldenStore.folder("2026-11-25-bc544a2").resolve(GoldenStore.EXP_ID)
                .resolve(".cox.checkpoint")).hasDigests()).isFalse();
    }

    @Test
    void checkpointOfFormat3_isNotClosed_forAWriterKilledAfterSync_andTheRunReadsAsInterrupted() {
        exp = GoldenStore.folder("2026-12-07-fdf83e4").resolve(GoldenStore.EXP_ID);
        assertThat(Checkpoint.format(exp.resolve(".cox.checkpoint"))).isEqualTo(3);
        assertThat(Checkpoint.read(exp.resolve(".cox.checkpoint")).closed()).isFalse();
        for (String version : GoldenStore.VERSIONS) {
            // every golden store is a writer killed after sync(): rows follow the checkpoint
            assertThat(Store.isClosedCleanly(GoldenStore.folder(version).resolve(GoldenStore.EXP_ID))).as(version).isFalse();
        }
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
