package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.CoxException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.UnpicklingException;
import cox.readers.CollectionReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 9: in a store without a journal (store.h5 alone, as Python cox and pandas
 * leave one) whose OBJECT or PICKLE cell text is damaged, {@code Table.getObject}/{@code getPickle}
 * threw {@code IllegalArgumentException}, as for a caller's mistake. Now a damaged cell is a cox
 * exception naming the store, table, column, row and the text; text that no cell holds stays the
 * caller's mistake, naming the table.
 */
class DamagedObjectCellTest {
    static final String GOOD = Base64.getMimeEncoder(76, new byte[] {'\n'})
            .encodeToString(new byte[] {(byte) 0x80, 2, 'K', 7, '.'}) + "\n"; // pickle.dumps(7, protocol=2)
    static final String NOT_BASE64 = "gAJLBy4=\n!!not base64!!";
    static final String NOT_A_PICKLE = Base64.getEncoder().encodeToString("garbage".getBytes(StandardCharsets.US_ASCII));
    static final String NOT_A_UUID = "../../store.h5";

    @TempDir
    Path dir;
    Path folder;

    /** A store as Python cox leaves one: store.h5 alone; table objects (config OBJECT, weights PICKLE). */
    @BeforeEach
    void journalLessStore() {
        folder = dir.resolve("exp");
        Schema schema = Schema.of("step", ColumnType.INT, "config", ColumnType.OBJECT, "weights", ColumnType.PICKLE);
        try (StoreH5 h5 = StoreH5.create(createDirectories(folder).resolve("store.h5"))) {
            h5.append("objects", schema, List.of(new Object[] {0L, GOOD, NOT_A_UUID}, new Object[] {1L, NOT_BASE64, ""},
                    new Object[] {2L, NOT_A_PICKLE, ""}));
        }
    }

    private static Path createDirectories(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Table objects(Store s) {
        Table t = s.table("objects");
        assertThat(t.getObject(GOOD)).isEqualTo(7L);
        return t;
    }

    @Test
    void objectCellThatIsNotBase64_isAStoreFormatException_namingStoreTableColumnRowAndText() {
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(folder.resolve(".cox.journal")).doesNotExist();
            assertThatThrownBy(() -> objects(s).getObject(NOT_BASE64)).isInstanceOf(StoreFormatException.class)
                    .hasMessageStartingWith("store " + folder + ", table 'objects', column 'config', row 1: OBJECT cell"
                            + " 'gAJLBy4=\\n!!not base64!!': an OBJECT cell holds base64 text: ");
        }
    }

    @Test
    void objectCellThatIsNotAPickle_isAnUnpicklingException_withTheSameContext() {
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(() -> objects(s).getObject(NOT_A_PICKLE)).isInstanceOf(UnpicklingException.class)
                    .hasMessageStartingWith("store " + folder + ", table 'objects', column 'config', row 2: OBJECT cell '"
                            + NOT_A_PICKLE + "': ");
        }
    }

    @Test
    void pickleCellThatIsNotAUuid_isAStoreFormatException_andNoOtherPathIsOpened() {
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(() -> objects(s).getPickle(NOT_A_UUID)).isInstanceOf(StoreFormatException.class)
                    .hasMessageStartingWith("store " + folder + ", table 'objects', column 'weights', row 0: PICKLE cell"
                            + " '../../store.h5': object uid must be a UUID");
        }
    }

    @Test
    void pickleCellNamingAMissingFile_namesTheCell() {
        String uid = "8667a56b-2850-40ef-a42c-a0487b75317d";
        try (StoreH5 h5 = StoreH5.open(folder.resolve("store.h5"), true)) {
            h5.append("objects", h5.schema("objects"), List.<Object[]>of(new Object[] {3L, GOOD, uid}));
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(() -> objects(s).getPickle(uid)).isInstanceOf(CoxException.class)
                    .hasMessageStartingWith("store " + folder + ", table 'objects', column 'weights', row 3: PICKLE cell '"
                            + uid + "': no object file");
        }
    }

    @Test
    void textNoCellHolds_isTheCallersMistake_namingTheTable() {
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThatThrownBy(() -> objects(s).getObject("gAJLBy4=x")).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("OBJECT cell text 'gAJLBy4=x' given for table 'objects' of store " + folder
                            + ", which no OBJECT cell of it holds: ");
        }
    }

    @Test
    void theReader_namesTheExperimentAndCell() {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            assertThatThrownBy(() -> reader.df("objects")).isInstanceOf(StoreFormatException.class)
                    .hasMessageContaining("experiment exp in " + dir)
                    .hasMessageContaining("table 'objects', column 'config', row 1");
        }
    }
}
