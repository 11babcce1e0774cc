package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 3: {@code cox diff DIR EXP EXP [EXP...]} compares two or more runs, each named by
 * its exp_id or a start of it that names one run; its columns are labelled by short starts.
 */
class DiffCommandTest {
    @TempDir
    static Path work;

    static Path runs;

    static final String A = "5e8e89ce-15ab-453f-b7d4-b24b63ec425c";
    static final String B = "5e8f0000-2850-40ef-a42c-a0487b75317d";
    static final String C = "a0f31c2e-0000-4000-8000-000000000000";



    @BeforeAll
    static void collection() throws Exception {
        runs = Files.createDirectories(work.resolve("runs"));
        CoxCommandEndToEndTest.writeRun(runs, A, 0.1, "sgd", List.of(64L), new double[] {1.0, 0.5});
        CoxCommandEndToEndTest.writeRun(runs, B, 0.01, "sgd", List.of(64L), new double[] {0.9, 0.4, 0.2});
        CoxCommandEndToEndTest.writeRun(runs, C, 0.01, "adam", List.of(64L), new double[] {0.8});
        try (Store s = Store.open(runs, C)) {
            s.addTable("extra", Schema.of("x", ColumnType.INT)).appendRow(Map.of("x", 1L));
        }
    }

    @Test
    void threeRuns_byPrefixes_differingParametersFirst_thenTheLastRowOfEachCommonTable() {
        CoxRun r = cox("diff", runs.toString(), "5e8e", "5e8f", "a0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                runs:
                  5e8e89ce  5e8e89ce-15ab-453f-b7d4-b24b63ec425c
                  5e8f0000  5e8f0000-2850-40ef-a42c-a0487b75317d
                  a0f31c2e  a0f31c2e-0000-4000-8000-000000000000

                metadata: differing parameters first
                   column     5e8e89ce  5e8f0000  a0f31c2e
                -  ---------  --------  --------  --------
                *  lr         0.1       0.01      0.01
                *  optimizer  sgd       sgd       adam
                   layers     [64]      [64]      [64]
                   seed       7         7         7

                results: last row (5e8e89ce: row 1 of 2, 5e8f0000: row 2 of 3, a0f31c2e: row 0 of 1)
                   column  5e8e89ce  5e8f0000             a0f31c2e
                -  ------  --------  -------------------  --------
                *  epoch   1         2                    0
                *  loss    0.5       0.2                  0.8
                *  acc     0.2       0.30000000000000004  0.1

                only in a0f31c2e: extra
                """);
    }

    @Test
    void twoRuns_keepTheirOutput_wholeIdsAreLabelsWhenShort() {
        Path small = work.resolve("small");
        CoxCommandEndToEndTest.writeRun(small, "a", 0.1, "sgd", List.of(1L), new double[] {1.0});
        CoxCommandEndToEndTest.writeRun(small, "b", 0.1, "adam", List.of(1L), new double[] {2.0, 1.0});
        CoxRun r = cox("diff", small.toString(), "a", "b");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("metadata: differing parameters first\n   column     a    b\n")
                .contains("*  optimizer  sgd  adam\n", "\nresults: last row (a: row 0 of 1, b: row 1 of 2)\n");
    }

    @Test
    void numbers_equalInValue_areTheSame_whateverTheirType() {
        Path typed = work.resolve("typed");
        for (String id : List.of("i", "f")) {
            try (cox.store.Store s = cox.store.Store.open(typed, id)) {
                boolean isInt = id.equals("i");
                s.addTable("metadata", cox.store.Schema.of("bs", isInt ? cox.store.ColumnType.INT : cox.store.ColumnType.FLOAT,
                        "lr", cox.store.ColumnType.FLOAT)).appendRow(java.util.Map.of("bs", isInt ? (Object) 64L : 64.0,
                        "lr", isInt ? 0.1 : 0.2));
            }
        }
        CoxRun r = cox("diff", typed.toString(), "i", "f");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).as("64 and 64.0 are one value, as --where and --group-by compare them")
                .contains("*  lr").doesNotContain("*  bs");
    }

    @Test
    void labels_areTheShortestStartOfAtLeastEightCharactersNamingOneRun() {
        List<String> all = List.of("abcdefgh1", "abcdefgh2x", "abcdefgh2y", "q", "0123456789");
        assertThat(DiffCommand.labels(List.of("abcdefgh1", "abcdefgh2x", "q", "0123456789"), all))
                .containsExactly("abcdefgh1", "abcdefgh2x", "q", "01234567");
    }

    @Test
    void ambiguousPrefix_isAUsageErrorListingTheCandidates() {
        CoxRun r = cox("diff", runs.toString(), "5e8", "a0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("cox diff: '5e8' is the start of 2 runs' exp_ids in " + runs + ": " + A + ", " + B
                + "; give more of it\nTry 'cox diff --help' for more information.\n");
    }

    @Test
    void unknownRun_isAUsageErrorNamingTheFolderAndTheId() {
        CoxRun r = cox("diff", runs.toString(), "5e8e", "zz");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("cox diff: no run 'zz' in " + runs + " (no run's exp_id is or starts with it)\n");
    }

    @Test
    void oneRunTwice_orOneRunAlone_isAUsageError() {
        CoxRun twice = cox("diff", runs.toString(), "5e8e", A);
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).startsWith("cox diff: '5e8e' and '" + A + "' name the same run: " + A + "\n");
        assertThat(cox("diff", runs.toString(), "5e8e").exit()).isEqualTo(2);
    }

    @Test
    void show_takesAPrefixToo() {
        CoxRun r = cox("show", runs.resolve("a0f").toString(), "extra");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("run " + C + " (" + runs.resolve(C) + "), closed\n");
        CoxRun ambiguous = cox("show", runs.resolve("5e8").toString());
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.err()).startsWith("cox show: '5e8' is the start of 2 runs' exp_ids in " + runs + ": ");
        CoxRun none = cox("show", runs.resolve("zz").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("cox show: no run 'zz' in " + runs + " ");
    }
}
