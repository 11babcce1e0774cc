package cox.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The file kept open between looks: reused only while settled and unchanged; a change within a look is seen. */
class ReusedInputTest {
    private static final int RANGE = PositionalInputs.RANGE;

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte at(PositionalInput in, long position) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1);
        in.readFully(position, b);
        return b.get(0);
    }

    @Test
    void aRangeRewrittenWithinALook_isSeen_andTheNextLookReadsTheNewFile() throws Exception {
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path f = jimfs.getPath("/store.h5");
            Files.write(f, filled(2 * RANGE + 10, 1));
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(3600)));
            try (ReusedInput reused = new ReusedInput(f)) {
                PositionalInput look = reused.open();
                assertThat(at(look, 0)).isEqualTo((byte) 1); // the first range is kept
                try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(filled(2 * RANGE + 10, 2)));
                }
                // the look now mixes the kept range (old) with a range fetched after the change (new) ...
                assertThat(at(look, 0)).isEqualTo((byte) 1);
                assertThat(at(look, RANGE + 5)).isEqualTo((byte) 2);
                // ... which the end-of-look check sees
                assertThat(reused.unchanged(look)).isFalse();
                look.close();
                try (PositionalInput again = reused.open()) {
                    assertThat(at(again, 0)).isEqualTo((byte) 2);
                    assertThat(at(again, RANGE + 5)).isEqualTo((byte) 2);
                    assertThat(reused.unchanged(again)).isTrue();
                }
            }
        }
    }

    @Test
    void aSettledUnchangedFile_isReused() throws Exception {
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path old = jimfs.getPath("/old");
            Files.write(old, filled(100, 1));
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
            try (ReusedInput reused = new ReusedInput(old)) {
                long before = PositionalInputs.rangeRequests();
                for (int look = 0; look < 3; look++) {
                    try (PositionalInput in = reused.open()) {
                        at(in, 50);
                    }
                }
                assertThat(PositionalInputs.rangeRequests() - before).as("range requests").isEqualTo(1);
            }
        }
    }

    @Test
    void settling_withoutAnyClockButThisJvms() {
        long seen = System.nanoTime();
        assertThat(Settling.sinceFirstSeen(seen, seen + Settling.TICK_NANOS - 1)).isFalse();
        assertThat(Settling.sinceFirstSeen(seen, seen + Settling.TICK_NANOS)).isTrue();
    }

    @Test
    void aClosedReader_refusesToOpen() throws Exception {
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path f = jimfs.getPath("/f");
            Files.write(f, filled(10, 1));
            ReusedInput reused = new ReusedInput(f);
            reused.close();
            assertThatThrownBy(reused::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("jimfs");
        }
    }
}
