package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.testing.Interop;
import cox.testing.Python;
import cox.torch.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores written by the real Python cox, from ../shared/fixtures/cox-python when it exists. */
class CoxPythonStoresTest {
    static final Path FIXTURES = Path.of("../../shared/fixtures/cox-python");
    static final double[] RATES = {0.1, 0.01, 0.001};
    static final String[] OPTIMIZERS = {"sgd", "adam", "adamw"};

    @TempDir
    Path dir;

    @Test
    void everyFixture_readsExactly() {
        assumeTrue(Files.isDirectory(FIXTURES), "no ../shared/fixtures/cox-python beside the project");
        for (int e = 0; e < 3; e++) {
            try (Store s = Store.open(FIXTURES, "exp-" + e, Mode.READ)) {
                assertThat(s.keys()).containsExactlyInAnyOrder("metadata", "objects", "results", "special");
                Table meta = s.table("metadata");
                assertThat(meta.schema()).isEqualTo(Schema.of("lr", ColumnType.FLOAT, "epochs", ColumnType.INT,
                        "optimizer", ColumnType.STR, "nesterov", ColumnType.BOOL));
                DataFrame m = meta.df();
                assertThat(m.getColumn("lr").toList()).containsExactly(RATES[e]);
                assertThat(m.getColumn("epochs").toList()).containsExactly(20L);
                assertThat(m.getColumn("optimizer").toList()).containsExactly(OPTIMIZERS[e]);
                assertThat(m.getColumn("nesterov").toList()).containsExactly(e != 1);

                DataFrame r = s.table("results").df();
                assertThat(r.height()).isEqualTo(20);
                for (int step = 0; step < 20; step++) {
                    assertThat(r.getColumn("epoch").get(step)).isEqualTo((long) step);
                    assertThat((Double) r.getColumn("loss").get(step)).isCloseTo(Math.exp(-RATES[e] * step),
                            org.assertj.core.data.Offset.offset(1e-15));
                    assertThat(r.getColumn("phase").get(step)).isEqualTo(step % 3 == 0 ? "validation-long-name" : "train");
                }

                DataFrame sp = s.table("special").df();
                assertThat(Double.doubleToRawLongBits((Double) sp.getColumn("x").get(0))).isEqualTo(Long.MIN_VALUE);
                assertThat((Double) sp.getColumn("x").get(1)).isNaN();
                assertThat(sp.getColumn("x").get(2)).isEqualTo(Double.POSITIVE_INFINITY);
                assertThat(sp.getColumn("label").toList()).containsExactly("a".repeat(50), "ünïcødé ✓", "");

                Table objects = s.table("objects");
                assertThat(objects.schema()).isEqualTo(Schema.of("obj", Store.OBJECT, "pick", Store.PICKLE,
                        "state", Store.PYTORCH_STATE));
                DataFrame o = objects.df();
                Object obj = objects.getObject((String) o.getColumn("obj").get(0));
                assertThat(obj).isInstanceOf(Map.class);
                assertThat(((Map<?, ?>) obj).get("layers")).isEqualTo(List.of(64L, 32L));
                assertThat(objects.getPickle((String) o.getColumn("pick").get(0))).isNotNull();
                StateDict state = objects.getStateDict((String) o.getColumn("state").get(0));
                assertThat(state).isNotEmpty();
            }
        }
    }

    @Test
    void appendingToACoxStore_keepsItsRows() throws IOException {
        assumeTrue(Files.isDirectory(FIXTURES), "no ../shared/fixtures/cox-python beside the project");
        copy(FIXTURES.resolve("exp-0"), dir.resolve("exp-0"));
        try (Store s = Store.open(dir, "exp-0")) {
            s.table("results").appendRow(Map.of("epoch", 20, "loss", 0.1, "acc", 1.0, "phase", "java"));
            assertThat(s.table("results").nrows()).isEqualTo(21);
        }
        try (Store s = Store.open(dir, "exp-0", Mode.READ)) {
            DataFrame r = s.table("results").df();
            assertThat(r.height()).isEqualTo(21);
            assertThat(r.getColumn("phase").get(20)).isEqualTo("java");
            assertThat(r.getColumn("phase").get(0)).isEqualTo("validation-long-name");
        }
    }

    @Test
    @Interop
    void pandas_readsACoxStoreWeAppendedTo() throws IOException {
        assumeTrue(Files.isDirectory(FIXTURES), "no ../shared/fixtures/cox-python beside the project");
        copy(FIXTURES.resolve("exp-1"), dir.resolve("exp-1"));
        try (Store s = Store.open(dir, "exp-1")) {
            s.table("special").appendRow(Map.of("x", 2.5, "label", "a label longer than fifty bytes, so the block widens"));
        }
        String out = Python.run("import sys, pandas as pd\ndf = pd.read_hdf(sys.argv[1], 'special')\n"
                + "print(df['x'].tolist(), df['label'].tolist())", dir.resolve("exp-1/store.h5").toString());
        assertThat(out.strip()).isEqualTo("[-0.0, nan, inf, 2.5] ['" + "a".repeat(50)
                + "', 'ünïcødé ✓', '', 'a label longer than fifty bytes, so the block widens']");
    }

    /**
     * h5dump -A of the "results" table cox4j writes equals that of the table Python cox wrote,
     * attribute for attribute (names, types, dataspaces, string padding and character sets), but
     * for the string sizes and the row count; pandas' optional index (_i_table) is left out.
     */
    @Test
    @Interop
    void h5dump_ourTableHasCoxsAttributes() throws Exception {
        assumeTrue(Files.isDirectory(FIXTURES), "no ../shared/fixtures/cox-python beside the project");
        Path ours;
        try (Store s = Store.open(dir, "exp")) {
            ours = s.path().resolve("store.h5");
            s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT,
                    "phase", ColumnType.STR)).appendRow(Map.of("epoch", 0, "loss", 1.0, "acc", 0.0, "phase", "train"));
        }
        assertThat(h5Structure(ours)).hasSizeGreaterThan(100).isEqualTo(h5Structure(FIXTURES.resolve("exp-0/store.h5")));
    }

    private static List<String> h5Structure(Path file) throws Exception {
        Process p = new ProcessBuilder("h5dump", "-A", file.toString()).redirectErrorStream(true).start();
        List<String> lines = List.of(new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .split("\n"));
        assertThat(p.waitFor()).as("h5dump -A %s", file).isZero();
        List<String> out = new java.util.ArrayList<>();
        int skipBelow = -1;
        java.util.regex.Pattern node = java.util.regex.Pattern.compile("^(\\s*)(GROUP|DATASET|ATTRIBUTE) \"([^\"]+)\"");
        java.util.regex.Pattern detail = java.util.regex.Pattern.compile("^(\\s*)(DATATYPE|DATASPACE|STRPAD|CSET)\\s+(.*?);?$");
        for (String line : lines) {
            java.util.regex.Matcher m = node.matcher(line);
            java.util.regex.Matcher d = detail.matcher(line);
            int indent = line.length() - line.stripLeading().length();
            if (skipBelow >= 0 && indent > skipBelow) {
                continue;
            }
            skipBelow = -1;
            if (m.find()) {
                String name = m.group(3);
                if (m.group(2).equals("GROUP") && !name.equals("/") && !name.equals("results")) {
                    skipBelow = indent; // pandas' _i_table index and the fixture's other tables
                    continue;
                }
                out.add(indent + " " + m.group(2) + " " + name);
            } else if (d.find()) {
                out.add(indent + " " + d.group(2) + " " + d.group(3).replaceAll("\\( \\d+ \\)", "( n )"));
            }
        }
        return out;
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
