package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.store.TrustChecks.Absent;
import cox.store.TrustChecks.FewerRows;
import cox.store.TrustChecks.Held;
import cox.store.TrustChecks.Missing;
import cox.store.TrustChecks.OtherColumns;
import cox.store.TrustChecks.Plausible;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks READ mode and a writer opening a store share (issue 18, item 2): what each finds in a
 * real store.h5, and the two phrasings of a mismatch (READ mode's warning names the file itself; a
 * writer's rebuild reason says "store.h5").
 */
class TrustChecksTest {
    @TempDir
    Path dir;

    private static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT);

    /** A closed store whose store.h5 holds 4 rows of {@code results}. */
    private Path storeH5() {
        try (Store s = Store.open(dir, "exp")) {
            Table results = s.addTable("results", RESULTS);
            for (int i = 0; i < 4; i++) {
                results.appendRow(Map.of("epoch", i, "loss", i * 0.5));
            }
            return s.path().resolve("store.h5");
        }
    }

    @Test
    void compare_findsWhatStoreH5HoldsOfATable() {
        Path file = storeH5();
        TableDefinition results = new TableDefinition(0, "results", RESULTS);
        try (StoreH5 h5 = StoreH5.open(file, false)) {
            assertThat(TrustChecks.compare(h5, results, 4)).isEqualTo(new Held(4));
            assertThat(TrustChecks.compare(h5, results, 3)).isEqualTo(new Held(4));
            assertThat(TrustChecks.compare(h5, results, 5)).isEqualTo(new FewerRows("results", 4, 5));
            TableDefinition other = new TableDefinition(0, "results", Schema.of("epoch", ColumnType.FLOAT));
            assertThat(TrustChecks.compare(h5, other, 4))
                    .isEqualTo(new OtherColumns("results", RESULTS, other.schema()));
            TableDefinition gone = new TableDefinition(1, "gone", RESULTS);
            assertThat(TrustChecks.compare(h5, gone, 0)).isEqualTo(new Absent());
            assertThat(TrustChecks.compare(h5, gone, 2)).isEqualTo(new Missing("gone", 2));
        }
    }

    @Test
    void mismatch_isPhrasedWithAndWithoutStoreH5() {
        assertThat(new Missing("t", 3).why(false)).isEqualTo("table 't' is missing, where the checkpoint records 3 rows");
        assertThat(new Missing("t", 3).why(true))
                .isEqualTo("table 't' is missing from store.h5, where the checkpoint records 3 rows");
        Schema journal = Schema.of("a", ColumnType.INT);
        Schema found = Schema.of("a", ColumnType.STR);
        assertThat(new OtherColumns("t", found, journal).why(false))
                .isEqualTo("table 't' has the columns " + found + " where the journal has " + journal);
        assertThat(new OtherColumns("t", found, journal).why(true))
                .isEqualTo("table 't' in store.h5 has the columns " + found + " where the journal has " + journal);
        assertThat(new FewerRows("t", 1, 2).why(false)).isEqualTo("table 't' has 1 rows, fewer than the 2 the checkpoint records");
        assertThat(new FewerRows("t", 1, 2).why(true))
                .isEqualTo("table 't' in store.h5 has 1 rows, fewer than the 2 the checkpoint records");
    }

    @Test
    void rowCounts_ofASoundFile_arePlausible() {
        Path file = storeH5();
        try (StoreH5 h5 = StoreH5.open(file, false)) {
            assertThat(TrustChecks.rowCounts(h5, file)).isEqualTo(new Plausible());
            TrustChecks.checkReadable(h5, new TableDefinition(0, "results", RESULTS), 0, 4);
            assertThatThrownBy(() -> TrustChecks.checkReadable(h5, new TableDefinition(0, "results", RESULTS), 2, 4))
                    .isInstanceOf(StoreFormatException.class).hasMessageContaining("table 'results' in " + file);
        }
    }

    @Test
    void importCap_isTheLargerOfAFloorAndAMultiple_saturating() {
        assertThat(TrustChecks.importCap(0)).isEqualTo(10_000);
        assertThat(TrustChecks.importCap(5_000)).isEqualTo(50_000);
        assertThat(TrustChecks.importCap(Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
    }
}
