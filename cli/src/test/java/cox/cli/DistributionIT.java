package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution {@code mvn package} makes, {@code target/cox4j-VERSION.zip}, unpacked as a user
 * does and run through its {@code bin/cox} with only the test's Java runtime ({@code JAVA_HOME}):
 * the version, {@code demo} and {@code ls}, and the class-data-sharing archive {@code bin/cox}
 * keeps in the cache folder ({@code XDG_CACHE_HOME}, here a temporary folder).
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "bin/cox is a POSIX shell script; bin/cox.bat is for Windows")
class DistributionIT {
    private static final String VERSION = System.getProperty("cox.version");

    @TempDir
    static Path tmp;

    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void unpack() throws IOException {
        String dist = System.getProperty("cox.dist");
        assertThat(dist).as("system property cox.dist (set by failsafe: the zip mvn package made)").isNotNull();
        Path zip = Path.of(dist);
        assertThat(zip).as("run mvn package first").exists();
        unzip(zip, tmp.resolve("unpacked"));
        home = tmp.resolve("unpacked").resolve("cox4j-" + VERSION);
        env = Map.of("JAVA_HOME", System.getProperty("java.home"), "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "JAVA_OPTS", "-Xmx512m");
    }

    private static CliProcess.Result cox(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/cox").toString()));
        cmd.addAll(List.of(args));
        return CliProcess.run(tmp, env, cmd);
    }

    private static List<Path> archives() throws IOException {
        Path dir = tmp.resolve("cache/cox4j");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void zip_holdsTheScriptsAndTheRuntimeJarsOnly() throws IOException {
        assertThat(home.resolve("bin/cox")).isExecutable();
        assertThat(Files.readString(home.resolve("bin/cox.bat"))).contains("\r\n").contains("cox.cli.CoxCommand");
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).allMatch(n -> n.endsWith(".jar"))
                .contains("cox4j-cli-" + VERSION + ".jar", "cox4j-core-" + VERSION + ".jar", "cox4j-web-" + VERSION + ".jar")
                .anyMatch(n -> n.startsWith("picocli-")).anyMatch(n -> n.startsWith("duckdb_jdbc-"))
                .noneMatch(n -> n.startsWith("spark-") || n.startsWith("junit-") || n.startsWith("assertj-")
                        || n.startsWith("archunit") || n.contains("-tests"));
    }

    @Test
    void binCox_version_demo_ls_andTheArchiveItMakesOnFirstUse() throws IOException {
        CliProcess.Result version = cox("--version");
        assertThat(version.exit()).as("%s", version).isZero();
        assertThat(version.out()).startsWith("cox4j " + VERSION + "\n");
        assertThat(version.err()).isEmpty();

        CliProcess.Result demo = cox("demo", "sweep");
        assertThat(demo.exit()).as("%s", demo).isZero();
        assertThat(demo.out()).contains("Logging 18 runs into " + tmp.resolve("sweep"));
        assertThat(archives()).as("the archive demo saved").hasSize(1);

        CliProcess.Result ls = cox("ls", "sweep");
        assertThat(ls.exit()).as("%s", ls).isZero();
        assertThat(ls.err()).isEmpty();
        List<String> lines = ls.out().lines().toList();
        assertThat(lines.get(0)).startsWith("exp_id").contains("status");
        assertThat(lines.stream().filter(l -> l.endsWith(" closed"))).hasSize(18);

        // a cut-short archive (JDK 17 would crash on it) is passed over, and replaced
        Path archive = archives().get(0);
        byte[] head = new byte[4096];
        try (InputStream in = Files.newInputStream(archive)) {
            assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        }
        Files.delete(archive);
        Files.write(archive, head);
        CliProcess.Result again = cox("ls", "sweep");
        assertThat(again.exit()).as("%s", again).isZero();
        assertThat(again.out()).isEqualTo(ls.out());
        assertThat(again.err()).isEmpty();
        assertThat(archives()).hasSize(1).doesNotContain(archive);
        assertThat(tmp).isDirectoryNotContaining("glob:**/hs_err_pid*");
    }

    /** Unpacks {@code zip} into {@code to} as unzip does, with each file's Unix permissions. */
    private static void unzip(Path zip, Path to) throws IOException {
        Map<String, Integer> modes = unixModes(zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                Path out = to.resolve(entry.getName()).normalize();
                assertThat(out.startsWith(to)).as("%s inside the folder", entry.getName()).isTrue();
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                Integer mode = modes.get(entry.getName());
                if (mode != null && mode != 0) {
                    Files.setPosixFilePermissions(out, permissions(mode));
                }
            }
        }
    }

    /** Each entry's Unix mode, from the upper half of the external attributes in the zip's central directory. */
    private static Map<String, Integer> unixModes(Path zip) throws IOException {
        try (FileChannel ch = FileChannel.open(zip)) {
            int tail = (int) Math.min(ch.size(), 22 + 65_535);
            ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(end, ch.size() - tail);
            int eocd = tail - 22;
            while (eocd >= 0 && end.getInt(eocd) != 0x06054b50) {
                eocd--;
            }
            assertThat(eocd).as("end of central directory record").isNotNegative();
            int entries = Short.toUnsignedInt(end.getShort(eocd + 10));
            ByteBuffer dir = ByteBuffer.allocate(end.getInt(eocd + 12)).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(dir, Integer.toUnsignedLong(end.getInt(eocd + 16)));
            Map<String, Integer> modes = new HashMap<>();
            int at = 0;
            for (int i = 0; i < entries; i++) {
                assertThat(dir.getInt(at)).as("central directory header %d", i).isEqualTo(0x02014b50);
                int nameLength = Short.toUnsignedInt(dir.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(dir.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(dir.getShort(at + 32));
                String name = new String(dir.array(), at + 46, nameLength, StandardCharsets.UTF_8);
                modes.put(name, dir.getInt(at + 38) >>> 16 & 0777);
                at += 46 + nameLength + extraLength + commentLength;
            }
            return modes;
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, bit 8 down to 0
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < all.length; i++) {
            if ((mode & 1 << (8 - i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }
}
