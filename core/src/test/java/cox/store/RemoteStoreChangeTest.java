package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, review finding 1: a remote store.h5 larger than one range, kept open between looks,
 * that is rewritten in place between two reads is read as one version of it, never a mix of the
 * ranges kept from the old one and those fetched from the new one.
 */
class RemoteStoreChangeTest {
    @TempDir
    Path dir;

    /** A store.h5 alone (as Python cox leaves one: no journal), of {@code rows} rows whose losses are {@code i * factor}. */
    private Path h5Only(String id, int rows, double factor) throws IOException {
        Path runs = Files.createDirectories(dir.resolve("runs-" + id));
        String wide = "ü".repeat(30);
        try (Store s = Store.open(runs, "exp")) {
            Table t = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR));
            for (int i = 0; i < rows; i++) {
                t.appendRow(Map.of("epoch", i, "loss", i * factor, "note", wide + (i % 10)));
            }
        }
        Path only = Files.createDirectories(dir.resolve("h5-" + id).resolve("exp"));
        Files.copy(runs.resolve("exp/store.h5"), only.resolve("store.h5"));
        return only.getParent();
    }

    private static List<List<Object>> rows(DataFrame df) {
        List<List<Object>> out = new ArrayList<>();
        for (int r = 0; r < df.height(); r++) {
            List<Object> row = new ArrayList<>();
            for (String c : df.getColumnsIndex().toArray()) {
                row.add(df.getColumn(c).get(r));
            }
            out.add(row);
        }
        return out;
    }

    private static List<List<Object>> localRows(Path runs) {
        try (Store s = Store.open(runs, "exp", Mode.READ)) {
            return rows(s.table("results").df());
        }
    }

    @Test
    void storeH5RewrittenInPlaceBetweenTwoReads_isReadAsOneVersion_neverAMix() throws Exception {
        int rows = 80_000;
        Path oldRuns = h5Only("old", rows, 0.5);
        Path newRuns = h5Only("new", rows, 0.25);
        byte[] oldBytes = Files.readAllBytes(oldRuns.resolve("exp/store.h5"));
        byte[] newBytes = Files.readAllBytes(newRuns.resolve("exp/store.h5"));
        assertThat(oldBytes.length).as("store.h5's size").isGreaterThan(PositionalInputs.RANGE + 1)
                .isEqualTo(newBytes.length);
        // the file as it is after one range (the second) is rewritten in place
        int from = PositionalInputs.RANGE;
        int to = Math.min(2 * PositionalInputs.RANGE, oldBytes.length);
        byte[] rewritten = oldBytes.clone();
        System.arraycopy(newBytes, from, rewritten, from, to - from);
        assertThat(Arrays.equals(rewritten, oldBytes)).as("the rewritten range differs").isFalse();
        Path rewrittenRuns = Files.createDirectories(dir.resolve("rewritten/exp")).getParent();
        Files.write(rewrittenRuns.resolve("exp/store.h5"), rewritten);
        List<List<Object>> oldAnswer = localRows(oldRuns);
        List<List<Object>> newAnswer = localRows(rewrittenRuns);
        assertThat(newAnswer).isNotEqualTo(oldAnswer);

        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path remote = Files.createDirectories(jimfs.getPath("/runs/exp")).getParent();
            Path h5 = remote.resolve("exp/store.h5");
            Files.write(h5, oldBytes);
            Files.setLastModifiedTime(h5, FileTime.from(Instant.now().minusSeconds(3600))); // settled: kept open
            try (Store s = Store.open(remote, "exp", Mode.READ)) {
                assertThat(rows(s.table("results").df())).as("first read").isEqualTo(oldAnswer);
                // rewritten in place, as an object store's object replaced between two range requests
                try (SeekableByteChannel ch = Files.newByteChannel(h5, StandardOpenOption.WRITE)) {
                    ch.position(from);
                    ch.write(ByteBuffer.wrap(rewritten, from, to - from));
                }
                List<List<Object>> second = rows(s.table("results").df());
                assertThat(second.equals(oldAnswer) || second.equals(newAnswer))
                        .as("the second read is the old or the new file's rows, not a mix").isTrue();
                assertThat(second).as("the second read, after the file changed").isEqualTo(newAnswer);
            }
        }
    }
}
