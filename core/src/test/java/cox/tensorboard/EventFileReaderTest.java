package cox.tensorboard;

import cox.exceptions.EventFileException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventFileReaderTest {
    /** The fixtures Python cox wrote, relative to module {@code core}, where Maven runs tests. */
    static final Path SHARED_FIXTURES = Path.of("../../shared/fixtures/cox-python");

    @TempDir Path dir;

    /** Issue 17, finding 7: a FIFO named like an event file hung every reader; it is refused unopened. */
    @Test
    void fifo_isRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("events.out.tfevents.1700000000.host");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> assertThatThrownBy(() -> EventFileReader.readScalars(fifo))
                        .isInstanceOf(cox.exceptions.CoxIOException.class)
                        .hasMessage("event file " + fifo + " is a FIFO, socket or device, not a regular file; it is not opened "
                                + "(reading a FIFO would wait for a writer forever)"));
        Path link = dir.resolve("events.out.tfevents.link");
        Files.createSymbolicLink(link, fifo);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> assertThatThrownBy(() -> new EventFileReader(link)).hasMessageContaining("is a FIFO, socket or device"));
        Path folder = Files.createDirectory(dir.resolve("events.out.tfevents.folder"));
        assertThatThrownBy(() -> new EventFileReader(folder)).hasMessageContaining("is a folder, not a regular file");
    }

    /** A file of the version event and two scalars; returns its bytes. */
    private byte[] twoScalars(Path logDir) throws IOException {
        Path file;
        try (SummaryWriter tb = new SummaryWriter(logDir, SummaryWriterTest.CLOCK, "testhost")) {
            file = tb.file();
            tb.addScalar("a", 1, 1);
            tb.addScalar("b", 2, 2);
        }
        return Files.readAllBytes(file);
    }

    @Test
    void truncatedLastRecord_atEveryLength_endsCleanly() throws IOException {
        byte[] whole = twoScalars(dir);
        List<ScalarEvent> all = EventFileReader.readScalars(Files.write(dir.resolve("whole"), whole));
        assertThat(all).hasSize(2);
        int lastRecord = lastRecordOffset(whole);
        for (int cut = lastRecord; cut < whole.length; cut++) {
            Path file = Files.write(dir.resolve("cut" + cut), Arrays.copyOf(whole, cut));
            try (EventFileReader reader = new EventFileReader(file)) {
                List<TensorBoardEvent> events = new ArrayList<>();
                reader.forEach(events::add);
                assertThat(events).as("cut at %d", cut).hasSize(2);
                assertThat(reader.offset()).isEqualTo(lastRecord);
            }
            assertThat(EventFileReader.readScalars(file)).as("cut at %d", cut).containsExactly(all.get(0));
        }
    }

    @Test
    void everyDamagedByte_isEventsOrAnEventFileException() throws IOException {
        byte[] whole = twoScalars(dir.resolve("logs"));
        Path file = dir.resolve("damaged");
        int failed = 0;
        for (int i = 0; i < whole.length; i++) {
            byte[] bad = whole.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            try {
                EventFileReader.readEvents(file);
            } catch (EventFileException e) {
                assertThat(e.getMessage()).as("byte %d", i).startsWith("corrupt event file " + file + " at offset ");
                failed++;
            } catch (RuntimeException e) {
                throw new AssertionError("byte " + i + ": " + e, e);
            }
        }
        // every byte is under a CRC: a flip anywhere but in a length that cuts the file short is seen
        assertThat(failed).isGreaterThan(whole.length / 2);
    }

    @Test
    void emptyFile_hasNoEvents() throws IOException {
        assertThat(EventFileReader.readEvents(Files.write(dir.resolve("empty"), new byte[0]))).isEmpty();
    }

    private static int lastRecordOffset(byte[] bytes) {
        int offset = 0;
        int last = 0;
        while (offset < bytes.length) {
            last = offset;
            long length = 0;
            for (int i = 7; i >= 0; i--) {
                length = (length << 8) | (bytes[offset + i] & 0xff);
            }
            offset += 12 + (int) length + 4;
        }
        return last;
    }

    @ParameterizedTest(name = "flip in {0}")
    @CsvSource({
            "length, 0, length CRC",
            "length CRC, 9, length CRC",
            "data, 14, data CRC",
            "data CRC, -2, data CRC"})
    void bitFlip_raisesCrcErrorNamingFileAndOffset(String where, int at, String check) throws IOException {
        byte[] bytes = twoScalars(dir);
        int record = lastRecordOffset(bytes);
        int index = at >= 0 ? record + at : bytes.length + at;
        byte[] intact = bytes.clone();
        bytes[index] ^= 0x10;
        Path file = Files.write(dir.resolve("flipped"), bytes);
        int expected;
        int actual;
        if (check.equals("length CRC")) {
            expected = intInt(bytes, record + 8);
            actual = RecordFraming.maskedCrc(new java.util.zip.CRC32C(), bytes, record, 8);
        } else {
            expected = intInt(bytes, bytes.length - 4);
            actual = RecordFraming.maskedCrc(new java.util.zip.CRC32C(), bytes, record + 12, bytes.length - 4 - record - 12);
        }
        assertThat(actual).isNotEqualTo(expected);
        try (EventFileReader reader = new EventFileReader(file)) {
            Iterator<TensorBoardEvent> events = reader.iterator();
            assertThat(events.next().fileVersion()).isEqualTo("brain.Event:2");
            assertThat(events.next().step()).isEqualTo(1);
            assertThatThrownBy(events::next)
                    .isInstanceOf(EventFileException.class)
                    .hasMessage("corrupt event file %s at offset %d: bad %s: actual 0x%08x != expected 0x%08x",
                            file, record, check, actual, expected)
                    .satisfies(e -> {
                        assertThat(((EventFileException) e).file()).isEqualTo(file);
                        assertThat(((EventFileException) e).offset()).isEqualTo(record);
                    });
        }
        assertThat(EventFileReader.readScalars(Files.write(dir.resolve("intact"), intact))).hasSize(2);
    }

    private static int intInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    @Test
    void iterator_secondCall_throws_andClosedReader_throws() throws IOException {
        Path file = Files.write(dir.resolve("f"), twoScalars(dir.resolve("tb")));
        EventFileReader reader = new EventFileReader(file);
        reader.iterator();
        assertThatThrownBy(reader::iterator).isInstanceOf(IllegalStateException.class)
                .hasMessage("an EventFileReader iterates once: " + file);
        reader.close();
        reader.close();
        assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class)
                .hasMessage("event file reader is closed: " + file);
    }

    @Test
    void missingFile_throwsNamingIt() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> new EventFileReader(missing))
                .isInstanceOf(cox.exceptions.CoxIOException.class)
                .hasMessageStartingWith("cannot open event file " + missing);
    }

    @Test
    void readsWhileWriterIsOpen() {
        try (SummaryWriter tb = new SummaryWriter(dir, SummaryWriterTest.CLOCK, "testhost")) {
            tb.addScalar("a", 1, 1);
            tb.flush();
            tb.addScalar("a", 2, 2);
            assertThat(EventFileReader.readScalars(tb.file())).extracting(ScalarEvent::step).containsExactly(1L);
            tb.flush();
            assertThat(EventFileReader.readScalars(tb.file())).extracting(ScalarEvent::step).containsExactly(1L, 2L);
        }
    }

    /** What cox wrote for experiment k: loss = exp(-rate·step), acc = 0.05·step, steps 0..19. */
    private static void assertCoxFixture(Path file, double rate) {
        List<TensorBoardEvent> events = EventFileReader.readEvents(file);
        assertThat(events).hasSize(41);
        assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
        assertThat(events.get(0).step()).isZero();
        assertThat(events.get(0).wallTime()).isBetween(1795508168.0, 1795508169.0);
        List<ScalarEvent> scalars = EventFileReader.readScalars(file);
        assertThat(scalars).hasSize(40);
        for (int step = 0; step < 20; step++) {
            ScalarEvent loss = scalars.get(2 * step);
            ScalarEvent acc = scalars.get(2 * step + 1);
            assertThat(loss.tag()).isEqualTo("results/loss");
            assertThat(loss.step()).isEqualTo(step);
            assertThat(loss.value()).as("loss at %d", step).isEqualTo((float) Math.exp(-rate * step));
            assertThat(acc.tag()).isEqualTo("results/acc");
            assertThat(acc.step()).isEqualTo(step);
            assertThat(acc.value()).as("acc at %d", step).isEqualTo((float) (0.05 * step));
            assertThat(loss.wallTime()).isBetween(1795508168.0, 1795508169.0);
            assertThat(acc.wallTime()).isGreaterThanOrEqualTo(loss.wallTime());
        }
    }

    @Test
    void committedCoxFixture_readsExactly() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/tensorboard/cox-python-exp-0/events.out.tfevents.1795508168.host").toURI());
        assertCoxFixture(file, 0.1);
        assertThat(EventFileReader.readScalars(file).get(2)).isEqualTo(
                new ScalarEvent("results/loss", 1, 0.904837429523468f, 1795508168.3795395));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void sharedCoxFixtures_readExactly(int k) throws IOException {
        Path folder = SHARED_FIXTURES.resolve("exp-" + k + "/tensorboard");
        assumeTrue(Files.isDirectory(folder), "shared fixtures not present: " + folder.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
        assertThat(files).hasSize(1);
        assertCoxFixture(files.get(0), new double[] {0.1, 0.01, 0.001}[k]);
    }
}
