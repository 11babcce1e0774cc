package cox.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.testing.JournalRecords;
import java.nio.ByteBuffer;
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

    static final CellEncoding[] ENCODINGS = {CellEncoding.INT64, CellEncoding.FLOAT64, CellEncoding.BOOL,
        CellEncoding.TEXT};
    static final JournalTable TABLE = new JournalTable(3, "tä", List.of(new JournalColumn("a", 0),
            new JournalColumn("b", 1), new JournalColumn("c", 3), new JournalColumn("d", 2)));

    private static ByteBuffer row(long i, String s) {
        return RowJournal.encodeRow(null, 3, ENCODINGS, new Object[] {i, i * 0.5, i % 2 == 0, s});
    }

    private static List<Object[]> scan(Path file, long[] end) {
        List<Object[]> rows = new ArrayList<>();
        end[0] = RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                assertThat(row.tableId()).isEqualTo(3);
                assertThat(row.offset()).isEqualTo(offset);
                rows.add(row.cells(ENCODINGS));
            }
        });
        return rows;
    }

    @Test
    void appendThenScan_returnsRecordsInOrder() {
        Path file = dir.resolve("j");
        long tableAt;
        try (RowJournal j = RowJournal.create(file, false)) {
            tableAt = j.appendTable(TABLE);
            for (int i = 0; i < 5; i++) {
                j.append(row(i, "ü" + i));
            }
        }
        List<JournalTable> tables = new ArrayList<>();
        RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
            @Override
            public void table(long offset, JournalTable table) {
                assertThat(offset).isEqualTo(tableAt);
                tables.add(table);
            }
        });
        assertThat(tables).containsExactly(TABLE);
        long[] end = new long[1];
        List<Object[]> rows = scan(file, end);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(4)).containsExactly(4L, 2.0, true, "ü4");
        assertThat(end[0]).isEqualTo(file.toFile().length());
    }

    @Test
    void encodeRow_reusesALargeEnoughBuffer_andGrowsASmallOne() {
        ByteBuffer big = ByteBuffer.allocate(1024);
        assertThat(RowJournal.encodeRow(big, 0, ENCODINGS, new Object[] {1L, 1.0, true, "x"})).isSameAs(big);
        ByteBuffer small = ByteBuffer.allocate(4);
        ByteBuffer grown = RowJournal.encodeRow(small, 0, ENCODINGS, new Object[] {1L, 1.0, true, "x".repeat(100)});
        assertThat(grown).isNotSameAs(small);
        // frame (8) + kind and table id (3) + 8 + 8 + 1 + 4 + 100
        assertThat(grown.remaining()).isEqualTo(8 + 3 + 8 + 8 + 1 + 4 + 100);
    }

    @Test
    void tableRecord_bytesAreTheDocumentedLayout() {
        byte[] payload = RecordCodec.encodeTable(new JournalTable(258, "t", List.of(new JournalColumn("é", 6))));
        // 'T', u16 id, u32 length + "t", u16 columns, u32 length + "é" (2 bytes), u8 type code
        assertThat(payload).containsExactly('T', 2, 1, 1, 0, 0, 0, 't', 1, 0, 2, 0, 0, 0, 0xc3, 0xa9, 6);
    }

    @Test
    void rowThatDoesNotFitItsColumns_namesJournalOffsetAndTable() {
        Path file = dir.resolve("j");
        long at;
        try (RowJournal j = RowJournal.create(file, false)) {
            at = j.append(row(1, "x"));
        }
        CellEncoding[] wider = {CellEncoding.INT64, CellEncoding.FLOAT64, CellEncoding.BOOL, CellEncoding.TEXT,
            CellEncoding.INT64};
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                row.cells(wider);
            }
        })).isInstanceOf(StoreFormatException.class)
                .hasMessage("journal " + file + ": record at offset " + at + " (a row of table #3): row record ends"
                        + " inside cell 4 (INT64) of 5");
        CellEncoding[] narrower = {CellEncoding.INT64, CellEncoding.FLOAT64};
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() {
            @Override
            public void row(long offset, JournalRow row) {
                row.cells(narrower);
            }
        })).isInstanceOf(StoreFormatException.class)
                .hasMessage("journal " + file + ": record at offset " + at + " (a row of table #3): row record has 6"
                        + " bytes left over after its 2 cells");
    }

    @Test
    void tableRecordCutShort_namesJournalAndOffset() throws Exception {
        Path file = dir.resolve("j");
        long at;
        try (RowJournal j = RowJournal.create(file, false)) {
            // a whole, CRC-correct record whose table name claims more bytes than it has
            at = j.append(RowJournal.frame(new byte[] {'T', 0, 0, 100, 0, 0, 0, 'x'}));
        }
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() { }))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("journal " + file + ": record at offset " + at + ": table record is cut short at byte 7 of 8");
    }

    @Test
    void emptyRecord_isDamage_andZerosToTheEnd_getAHint() throws Exception {
        Path file = dir.resolve("j");
        long empty;
        try (RowJournal j = RowJournal.create(file, false)) {
            j.append(row(0, "x"));
            empty = j.append(RowJournal.frame(new byte[0])); // length 0, crc32c of nothing is 0: eight zero bytes
        }
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() { }))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("journal " + file + " is damaged at offset " + empty + ": a record of length 0, which cox4j"
                        + " never writes; the 8 bytes from there to the end of the file are all zero, as a file system can"
                        + " leave them after a power loss: if that is what happened, cut the journal to " + empty
                        + " bytes to open the store again");
        try (RowJournal j = RowJournal.openForAppend(file, false, Files.size(file))) {
            j.append(row(1, "y"));
        }
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() { }))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("journal " + file + " is damaged at offset " + empty + ": a record of length 0, which cox4j"
                        + " never writes; a whole record follows at offset " + (empty + 8) + ", so it is not a torn last"
                        + " record");
    }

    @Test
    void rowRecordWithoutTableId_isAFormatError() throws Exception {
        Path other = dir.resolve("k");
        long cut;
        try (RowJournal j = RowJournal.create(other, false)) {
            cut = j.append(RowJournal.frame(new byte[] {'R', 1}));
        }
        assertThatThrownBy(() -> RowJournal.scan(other, RowJournal.HEADER_SIZE, new RowJournal.Visitor() { }))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("journal " + other + ": record at offset " + cut + " is a row without a table id");
    }

    @Test
    void missingFile_isACoxIOExceptionNamingIt() {
        Path file = dir.resolve("none");
        assertThatThrownBy(() -> RowJournal.scan(file, RowJournal.HEADER_SIZE, new RowJournal.Visitor() { }))
                .isInstanceOf(cox.exceptions.CoxIOException.class)
                .hasMessageStartingWith("cannot read journal " + file + ": java.nio.file.NoSuchFileException");
    }

    @Test
    void truncatedAtEveryLength_endsCleanlyAtTheLastWholeRecord() throws Exception {
        Path file = dir.resolve("j");
        long[] ends = new long[3];
        try (RowJournal j = RowJournal.create(file, true)) {
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
        long third;
        try (RowJournal j = RowJournal.create(file, false)) {
            j.append(row(0, "x"));
            second = j.append(row(1, "y"));
            third = j.append(row(2, "z"));
        }
        byte[] all = Files.readAllBytes(file);
        all[(int) second + RowJournal.FRAME_SIZE + 5] ^= 1;
        Files.write(file, all);
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageMatching("journal " + java.util.regex.Pattern.quote(file.toString()) + " is damaged at offset "
                        + second + ": crc32c actual 0x[0-9a-f]{8} != expected 0x[0-9a-f]{8}; a whole record follows at"
                        + " offset " + third + ", so it is not a torn last record");
    }

    @Test
    void notAJournal_isAFormatError() throws Exception {
        Path file = dir.resolve("j");
        Files.writeString(file, "hello world");
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("not a cox4j journal: " + file + " (11 bytes) does not start with COXJRNL1");
    }

    /** Three rows, and the records parsed by field. */
    private List<JournalRecords.Record> threeRows(Path file) {
        try (RowJournal j = RowJournal.create(file, false)) {
            for (int i = 0; i < 3; i++) {
                j.append(row(i, "row " + i));
            }
        }
        List<JournalRecords.Record> records = JournalRecords.parse(file);
        assertThat(records).hasSize(3);
        return records;
    }

    @Test
    void lengthOfAMiddleRecordRunningPastTheEnd_isDamage_namingTheRecordThatFollows() throws Exception {
        Path file = dir.resolve("j");
        List<JournalRecords.Record> records = threeRows(file);
        JournalRecords.Record middle = records.get(1);
        long claimed = middle.length() | 0xFF000000L; // the top byte of the length flipped
        JournalRecords.setLength(file, middle, claimed);
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("journal " + file + " is damaged at offset " + middle.offset() + ": the record there claims "
                        + claimed + " bytes, more than the " + (Files.size(file) - middle.payload()) + " bytes left in"
                        + " the file, but a whole record follows at offset " + records.get(2).offset() + ", so it is not"
                        + " a torn last record");
    }

    @Test
    void lengthOfTheLastRecordRunningPastTheEnd_isATornTail() throws Exception {
        Path file = dir.resolve("j");
        List<JournalRecords.Record> records = threeRows(file);
        JournalRecords.setLength(file, records.get(2), records.get(2).length() | 0xFF000000L);
        long[] end = new long[1];
        assertThat(scan(file, end)).hasSize(2);
        assertThat(end[0]).isEqualTo(records.get(2).offset());
    }

    @Test
    void crcMismatchOfTheLastRecord_isATornTail_butOfAMiddleOne_isDamage() throws Exception {
        Path file = dir.resolve("j");
        List<JournalRecords.Record> records = threeRows(file);
        JournalRecords.flip(file, records.get(2).payload() + 4, 0x10);
        long[] end = new long[1];
        assertThat(scan(file, end)).hasSize(2);
        assertThat(end[0]).isEqualTo(records.get(2).offset());
        JournalRecords.flip(file, records.get(0).crcField(), 0x01);
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageStartingWith("journal " + file + " is damaged at offset " + records.get(0).offset()
                        + ": crc32c actual");
    }

    @Test
    void lengthThatFitsButCoversTheRest_isDamage_whenAWholeRecordStartsInside() throws Exception {
        Path file = dir.resolve("j");
        List<JournalRecords.Record> records = threeRows(file);
        // the first record now claims every byte to the end of the file: its CRC fails, and it is the "last"
        JournalRecords.setLength(file, records.get(0), Files.size(file) - records.get(0).payload());
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageEndingWith("a whole record follows at offset " + records.get(1).offset()
                        + ", so it is not a torn last record");
    }

    @Test
    void aWholeRecordAtAnyOffsetAfterALengthPastTheEnd_isFound() throws Exception {
        Path file = dir.resolve("j");
        try (RowJournal j = RowJournal.create(file, false)) {
            j.append(row(0, "x"));
        }
        long bad = Files.size(file);
        ByteBuffer whole = row(1, "after the damage");
        byte[] tail = new byte[8 + 5 + whole.remaining()];
        ByteBuffer.wrap(tail).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 20); // claims 1 MiB
        whole.get(tail, 13, whole.remaining()); // a whole record at an odd offset, after 5 stray bytes
        Files.write(file, tail, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> scan(file, new long[1]))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageEndingWith("claims 1048576 bytes, more than the " + (tail.length - 8) + " bytes left in the"
                        + " file, but a whole record follows at offset " + (bad + 13) + ", so it is not a torn last record");
    }

    @Test
    void scanFromBeyondTheEnd_saysRecordsWereLost() throws Exception {
        Path file = dir.resolve("j");
        threeRows(file);
        long size = Files.size(file);
        assertThatThrownBy(() -> RowJournal.scan(file, size + 100, new RowJournal.Visitor() { }))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("journal " + file + " is " + size + " bytes long, but the records up to offset " + (size + 100)
                        + " were written to it before: the journal has lost records");
    }

    @Test
    void checkpoint_roundTrips_andADamagedOneReadsAsMissing() throws Exception {
        Path file = dir.resolve("cp");
        Checkpoint cp = new Checkpoint(true, 1234, List.of(TABLE, new JournalTable(0, "ü", List.of())),
                new long[] {7, 0}, new long[] {-5, 0}, new boolean[] {false, true});
        cp.write(file);
        assertThat(Checkpoint.read(file)).isEqualTo(cp);
        assertThat(Checkpoint.read(file).anyNotHeld()).isTrue();
        assertThat(Checkpoint.read(file).indexOf("ü")).isEqualTo(1);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 1] ^= 1;
        Files.write(file, b);
        assertThat(Checkpoint.read(file)).isNull();
        assertThat(Checkpoint.read(dir.resolve("none"))).isNull();
        assertThat(dir.resolve("cp.tmp")).doesNotExist();
    }

    @Test
    void checkpoint_closedFlag_roundTrips_asFormat3() throws Exception {
        Path file = dir.resolve("cp");
        Checkpoint cp = new Checkpoint(true, 1234, List.of(TABLE), new long[] {7}, new long[] {-5}, new boolean[] {false});
        assertThat(cp.closed()).isFalse();
        cp.withClosed(true).write(file);
        assertThat(Checkpoint.format(file)).isEqualTo(3);
        assertThat(Checkpoint.read(file)).isEqualTo(cp.withClosed(true)).isNotEqualTo(cp);
        assertThat(Checkpoint.read(file).closed()).isTrue();
        cp.write(file);
        assertThat(Checkpoint.read(file).closed()).isFalse();
        assertThat(Checkpoint.format(dir.resolve("none"))).isZero();
    }

    @Test
    void checkpointOfFormat1_readsWithoutDigests() throws Exception {
        // COXCKPT1, crc, consistent, offset, n, then n × (table record, u64 rows): as cox4j wrote it before digests
        byte[] def = RecordCodec.encodeTable(TABLE);
        ByteBuffer b = ByteBuffer.allocate(12 + 1 + 8 + 2 + def.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("COXCKPT1".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0).put((byte) 1).putLong(99)
                .putShort((short) 1).put(def).putLong(42);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 12, b.capacity() - 12);
        b.putInt(8, (int) crc.getValue());
        Path file = dir.resolve("cp1");
        Files.write(file, b.array());
        Checkpoint cp = Checkpoint.read(file);
        assertThat(cp.hasDigests()).isFalse();
        assertThat(cp.tables()).containsExactly(TABLE);
        assertThat(cp.rows()).containsExactly(42);
        assertThat(cp.journalOffset()).isEqualTo(99);
        assertThat(cp.closed()).isFalse();
        assertThat(Checkpoint.format(file)).isEqualTo(1);
    }
}
