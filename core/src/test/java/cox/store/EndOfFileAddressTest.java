package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreRecoveryException;
import cox.testing.H5Superblock;
import cox.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17, finding 2: a flipped end-of-file address in store.h5's superblock beside an intact
 * journal. The next writer extended the file to the claimed address (3.5 GB, 64 GiB, 1 TiB of
 * apparent size), or from 2^44 up could not open the store at all. Now a writer never trusts an
 * end-of-file address beyond the file: it rebuilds store.h5 from the journal, and every file of the
 * store stays about as large as its data; READ answers every row. A store without a journal (Python
 * cox's) cannot be rebuilt: the writer refuses it, naming the file, and leaves it as it is.
 */
class EndOfFileAddressTest {
    @TempDir
    Path dir;

    private static long claim(String spec, long fileSize) {
        return spec.startsWith("+") ? fileSize + Long.parseLong(spec.substring(1)) : Long.parseLong(spec);
    }

    /** Every file under {@code folder} by its apparent size (Files.size, not disk use). */
    private static Map<String, Long> sizes(Path folder) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) {
                    out.put(folder.relativize(p).toString(), Files.size(p));
                }
            }
        }
        return out;
    }

    private static void assertSmall(Path folder, long bound) throws IOException {
        Map<String, Long> sizes = sizes(folder);
        assertThat(sizes.values()).as("apparent sizes of the files of %s: %s", folder, sizes)
                .allSatisfy(size -> assertThat(size).isLessThan(bound));
    }

    private static String dump(Path storage, String expId, Mode mode) {
        try (Store s = Store.open(storage, expId, mode)) {
            return FuzzWorker.dump(s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+3500000000", "68719476736", "1099511627776", "17592186044416", "9223372036854775807"})
    void flippedEndOfFileAddress_besideAJournal_isRebuiltFromTheJournal_andNoFileGrows(String spec) throws IOException {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "note",
                    ColumnType.STR));
            for (int i = 0; i < 10; i++) {
                results.appendRow(Map.of("epoch", i, "loss", i * 0.5, "note", "n" + i));
            }
            exp = s.path();
        }
        Path h5 = exp.resolve("store.h5");
        String before = dump(dir, "exp", Mode.READ);
        long folderBefore = sizes(exp).values().stream().mapToLong(Long::longValue).sum();
        long claimed = claim(spec, Files.size(h5));
        H5Superblock.setEndOfFile(h5, claimed);
        assertThat(H5Superblock.endOfFile(h5)).isEqualTo(claimed);

        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (LogCapture log = new LogCapture()) {
                assertThat(dump(dir, "exp", Mode.READ)).isEqualTo(before);
                try (Store s = Store.open(dir, "exp")) {
                    s.table("results").appendRow(Map.of("epoch", 10, "loss", 5.0, "note", "n10"));
                }
                assertThat(log.text()).contains("rebuilding " + h5 + " from the journal")
                        .contains("end-of-file address " + Long.toUnsignedString(claimed));
            }
        });
        long bound = 4 * folderBefore + (1 << 20);
        assertSmall(exp, bound);
        assertThat(H5Superblock.endOfFile(exp.resolve("store.h5.set-aside"))).as("set aside as it was").isEqualTo(claimed);
        assertThat(H5Superblock.endOfFile(h5)).isEqualTo(Files.size(h5));
        String after = dump(dir, "exp", Mode.READ);
        assertThat(after).isEqualTo(before.replace("nrows=10", "nrows=11") + " 10|d4014000000000000|sn10|\n");
        // a second writer finds nothing to mend
        try (Store s = Store.open(dir, "exp")) {
            assertThat(s.table("results").nrows()).isEqualTo(11);
        }
        assertSmall(exp, bound);
        assertThat(dump(dir, "exp", Mode.READ)).isEqualTo(after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+3500000000", "68719476736", "1099511627776", "17592186044416", "9223372036854775807"})
    void flippedEndOfFileAddress_inAPythonCoxStore_isRefusedForWriting_andReadAsItIs(String spec) throws IOException {
        Path exp = Files.createDirectories(dir.resolve("exp"));
        Path h5 = exp.resolve("store.h5");
        try (InputStream in = EndOfFileAddressTest.class.getResourceAsStream("/stores/cox-python-exp-0.h5")) {
            Files.copy(in, h5);
        }
        String before = dump(dir, "exp", Mode.READ);
        long size = Files.size(h5);
        long claimed = claim(spec, size);
        H5Superblock.setEndOfFile(h5, claimed);
        byte[] damaged = Files.readAllBytes(h5);

        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            assertThatThrownBy(() -> Store.open(dir, "exp").close())
                    .isInstanceOf(StoreRecoveryException.class)
                    .hasMessageContaining(h5.toString())
                    .hasMessageContaining("end-of-file address " + Long.toUnsignedString(claimed))
                    .hasMessageContaining("there is no journal");
        });
        assertThat(Files.readAllBytes(h5)).as("left as it was").isEqualTo(damaged);
        assertSmall(exp, 4 * size + (1 << 20));
        assertThat(dump(dir, "exp", Mode.READ)).isEqualTo(before);
    }
}
