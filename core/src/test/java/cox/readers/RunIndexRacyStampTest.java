package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's modification time has a resolution (a clock tick of a few milliseconds on Linux, 1 s
 * or 2 s on some file systems), so a file can change twice with the same time and size: a
 * writer closing a store replaces its checkpoint ("consistent") and again ("closed") within
 * milliseconds. A stamp taken between the two cannot tell them apart, so what the run index
 * learned then must not outlive that tick (as git's "racily clean" index entries are checked
 * again). Simulated here without timing: both checkpoints get the same size and time, a time the
 * clock has not reached yet.
 */
class RunIndexRacyStampTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    /** The checkpoint's bytes with its closed flag set to {@code closed} (format 3: the flag after the consistent byte). */
    private static byte[] withClosedFlag(byte[] checkpoint, boolean closed) {
        byte[] out = checkpoint.clone();
        out[13] = (byte) (closed ? 1 : 0);
        CRC32C crc = new CRC32C();
        crc.update(out, 12, out.length - 12);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(8, (int) crc.getValue());
        return out;
    }

    @Test
    void aCheckpointReplacedWithinOneTickOfTheFileClock_doesNotLeaveAStaleStatusInTheIndex() throws Exception {
        try (Store s = Store.open(dir, "run")) {
            s.addTable("results", Schema.of("loss", ColumnType.FLOAT)).appendRow(Map.of("loss", 0.5));
        }
        Path checkpoint = dir.resolve("run").resolve(".cox.checkpoint");
        byte[] closed = Files.readAllBytes(checkpoint);
        byte[] open = withClosedFlag(closed, false);
        assertThat(withClosedFlag(open, true)).isEqualTo(closed);
        FileTime tick = FileTime.from(Instant.now().plus(Duration.ofDays(1)));

        // a command lists the runs between the writer's two last checkpoints
        Files.write(checkpoint, open);
        Files.setLastModifiedTime(checkpoint, tick);
        try (CollectionReader reader = CollectionReader.builder(dir).runIndex(RunIndex.load(cache, dir)).build()) {
            assertThat(reader.runs().get(0).status()).isEqualTo(RunStatus.INTERRUPTED);
        }
        // the writer's closing checkpoint, in the same tick
        Files.write(checkpoint, closed);
        Files.setLastModifiedTime(checkpoint, tick);
        try (CollectionReader exact = CollectionReader.builder(dir).useSummaries(false).build();
                CollectionReader fast = CollectionReader.builder(dir).runIndex(RunIndex.load(cache, dir)).build()) {
            assertThat(exact.runs().get(0).status()).isEqualTo(RunStatus.CLOSED);
            assertThat(fast.runs()).isEqualTo(exact.runs());
        }
    }
}
