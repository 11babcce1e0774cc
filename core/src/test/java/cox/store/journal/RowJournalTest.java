package cox.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.store.ColumnType;
import cox.store.Durability;
import cox.store.Schema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowJournalTest {
    @TempDir
    Path dir;

    static final ColumnType[] TYPES = {ColumnType.INT, ColumnType.FLOAT, ColumnType.BOOL, ColumnType.STR};

    private static ByteBuffer row(long i, String s) {
        byte[][] texts = {null, null, null, s.getBytes(java.nio.charset.StandardCharsets.UTF_8)};
        Object[] cells = {i, i * 0.5, i % 2 == 0, s};
        ByteBuffer b = ByteBuffer.allocate(RowJournal.FRAME_SIZE + RecordCodec.rowSize(TYPES, cells, texts))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.position(RowJournal.FRAME_SIZE);
        RecordCodec.encodeRow(b, 3, TYPES, cells, texts);
        RowJournal.seal(b);
        return b;
    }

    private static List<Object[]> scan(Path file, long[] end) {
        List<Object[]> rows = new ArrayList<>();
        end[0] = RowJournal.scan(file, RowJournal.HEADER_SIZE, (offset, payload) -> {
            if (payload.get() == RecordCodec.ROW) {
                assertThat(Short.toUnsignedInt(payload.getShort())).isEqualTo(3);
                rows.add(RecordCodec.decodeRow(payload, TYPES));
            }
        });
        return rows;
    }

    @Test
    void appendThenScan_returnsRecordsInOrder() {
        Path file = dir.resolve("j");
        try (RowJournal j = RowJournal.create(file, Durability.PROCESS)) {
            j.append(RowJournal.frame(RecordCodec.encodeTable(new TableDefinition(3, "t",
                    Schema.of("a", ColumnType.INT, "b", ColumnType.FLOAT, "c", ColumnType.BOOL, "d", ColumnType.STR)))));
            for (int i = 0; i < 5; i++) {
                j.append(row(i, "ü" + i));
            }
        }
        long[] end = new long[1];
        List<Object[]> rows = scan(file, end);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4)).containsExactly(4L, 2.0, true, "ü4");
    }

    @Test
    void truncatedAtEveryLength_endsCleanlyAtTheLastWholeRecord() throws Exception {
        Path file = dir.resolve("j");
        long[] ends = new long[3];
        try (RowJournal j = RowJournal.create(file, Durability.FSYNC)) {
            for (int i = 0; i < 3; i++) {
                j.append(row(i, "x"));
                ends[i] = j.end();
            }
        }
        byte[] all = Files.readAllBytes(file);
        for (int cut = (int) ends[1]; cut < all.length; cut++) {
            Files.write(file, Arrays.copyOf(all, cut));
            long[] end = new long[1];
            assertThat(scan(file, end)).as("cut at %d", cut).hasSize(2);
            assertThat(end[0]).isEqualTo(ends[1]);
        }
    }

    @Test
    void bitFlipInAMiddleRecord_namesFileOffsetAndCrcs() throws Exception {
        Path file = dir.resolve("j");
        long second;
        try (RowJournal j = RowJournal.create(file, Durability.PROCESS)) {
            j.append(row(0, "x"));
            second = j.append(row(1, "y"));
            j.append(row(2, "z"));
        }
        byte[] all = Files.readAllBytes(file);
        all[(int) second + RowJournal.FRAME_SIZE + 5] ^= 1;
        Files.write(file, all);
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageMatching("journal " + java.util.regex.Pattern.quote(file.toString()) + " is damaged at offset "
                        + second + ": crc32c actual 0x[0-9a-f]{8} != expected 0x[0-9a-f]{8}");
    }

    @Test
    void notAJournal_isAFormatError() throws Exception {
        Path file = dir.resolve("j");
        Files.writeString(file, "hello world");
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("not a cox4j journal: " + file + " does not start with COXJRNL1");
    }

    @Test
    void checkpoint_roundTrips_andADamagedOneReadsAsMissing() throws Exception {
        Path file = dir.resolve("cp");
        Checkpoint cp = new Checkpoint(true, 1234, List.of(new TableDefinition(0, "t", Schema.of("a", ColumnType.INT))),
                new long[] {7});
        cp.write(file);
        assertThat(Checkpoint.read(file)).isEqualTo(cp);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 1;
        Files.write(file, b);
        assertThat(Checkpoint.read(file)).isNull();
        assertThat(Checkpoint.read(dir.resolve("none"))).isNull();
    }
}
