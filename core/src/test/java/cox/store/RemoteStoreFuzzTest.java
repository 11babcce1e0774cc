package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22: a seeded pass of {@link StoreFuzzIT}'s mutations through a file system that is not
 * the default one (Jimfs, in memory). Each trial damages one file of a small store (journal only;
 * complete; store.h5 only, as Python cox writes it), reads it in READ mode locally and from a Jimfs
 * copy, and the two must agree: the same rows cell for cell, or both a cox exception (the remote
 * one naming the store's folder), never an unchecked exception. In process, so only a few trials:
 * the child-JVM campaign ({@link StoreFuzzIT}) covers hangs and allocations.
 *
 * <p>System properties: {@code cox.fuzz.seed} (default 9), {@code cox.fuzz.remoteTrials} per
 * variant (default 15).
 */
class RemoteStoreFuzzTest {
    private static final long SEED = Long.getLong("cox.fuzz.seed", 9);
    private static final int TRIALS = Integer.getInteger("cox.fuzz.remoteTrials", 15);
    private static final String EXP = "exp";

    @TempDir
    Path dir;

    enum Variant { JOURNAL_ONLY, COMPLETE, H5_ONLY }

    private Path reference(Variant v) throws IOException {
        Path storage = Files.createDirectories(dir.resolve("ref-" + v));
        Path exp = storage.resolve(EXP);
        if (v == Variant.H5_ONLY) {
            Files.createDirectories(exp);
            try (InputStream in = RemoteStoreFuzzTest.class.getResourceAsStream("/stores/cox-python-exp-0.h5")) {
                Files.copy(in, exp.resolve("store.h5"));
            }
            return storage;
        }
        try (Store s = Store.open(storage, EXP)) {
            Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR, "best", ColumnType.BOOL, "obj", ColumnType.OBJECT));
            Table meta = s.addTable("meta", Schema.of("key", ColumnType.STR, "value", ColumnType.STR));
            for (int i = 0; i < 10; i++) {
                results.appendRow(Map.of("epoch", i, "loss", i == 3 ? Double.NaN : i == 4 ? -0.0 : 1.0 / (i + 1),
                        "note", "epoch " + i + " ✓", "best", i % 4 == 0, "obj", List.of(i, "x")));
            }
            for (int i = 0; i < 3; i++) {
                meta.appendRow(Map.of("key", "k" + i, "value", "v".repeat(i + 1)));
            }
        }
        deleteTree(exp.resolve("tensorboard"));
        Files.deleteIfExists(exp.resolve(".cox.lock"));
        if (v == Variant.JOURNAL_ONLY) {
            Files.delete(exp.resolve("store.h5"));
            Files.delete(exp.resolve(".cox.checkpoint"));
        }
        Files.deleteIfExists(exp.resolve(".cox.summary"));
        return storage;
    }

    @Test
    void damagedStores_readOnJimfs_asTheyReadLocally() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int cox = 0;
        int rows = 0;
        FileTime settled = FileTime.from(Instant.now().minusSeconds(3600));
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            for (Variant v : Variant.values()) {
                Path ref = reference(v);
                List<String> names;
                try (Stream<Path> files = Files.list(ref.resolve(EXP))) {
                    names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
                }
                for (int trial = 0; trial < TRIALS; trial++) {
                    Random random = new Random(SEED * 1_000_003L + v.ordinal() * 10_007L + trial);
                    Path local = dir.resolve("trial-" + v + "-" + trial);
                    copyTree(ref, local, false);
                    String file = names.get(random.nextInt(names.size()));
                    String mutation = StoreFuzzIT.mutate(local.resolve(EXP).resolve(file), random);
                    Path remote = jimfs.getPath("/runs-" + v + "-" + trial);
                    copyTree(local, remote, true);
                    try (Stream<Path> files = Files.walk(remote)) {
                        for (Path p : files.toList()) {
                            Files.setLastModifiedTime(p, settled); // kept open between looks (cox.io.internal.ReusedInput)
                        }
                    }
                    String where = v + " trial " + trial + " (" + file + ": " + mutation + ")";
                    String[] l = FuzzWorker.open(local, EXP, Mode.READ).split("\t", -1);
                    String[] r = FuzzWorker.open(remote, EXP, Mode.READ).split("\t", -1);
                    if (r[0].equals("UNCHECKED")) {
                        disagreements.add(where + ": remote " + r[1] + ": " + decode(r[2]));
                    } else if (!l[0].equals(r[0])) {
                        disagreements.add(where + ": local " + describe(l) + ", remote " + describe(r));
                    } else if (r[0].equals("ROWS")) {
                        rows++;
                        if (!l[1].equals(r[1])) {
                            disagreements.add(where + ": different rows:\nlocal\n" + decode(l[1]) + "remote\n" + decode(r[1]));
                        }
                    } else {
                        cox++;
                        String message = decode(r[2]);
                        if (!l[1].equals(r[1]) || !message.contains(remote.resolve(EXP).toString())) {
                            disagreements.add(where + ": local " + describe(l) + ", remote " + describe(r));
                        }
                    }
                    deleteTree(local);
                }
            }
        }
        assertThat(disagreements).as("trials read differently on Jimfs (seed %d)", SEED).isEmpty();
        assertThat(rows + cox).isEqualTo(Variant.values().length * TRIALS);
        assertThat(cox).as("trials that end in a cox exception").isPositive();
    }

    /** An outcome of {@link FuzzWorker#open}, readable. */
    private static String describe(String[] outcome) {
        return outcome[0].equals("ROWS") ? "rows\n" + decode(outcome[1])
                : outcome[0] + " " + outcome[1] + ": " + decode(outcome[2]);
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to, boolean keepTimes) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (keepTimes) {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
