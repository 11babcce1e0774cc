package cox.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.tensorboard.proto.EventProtos.Event;
import cox.tensorboard.proto.HParamsProtos.DataType;
import cox.tensorboard.proto.HParamsProtos.HParamsPluginData;
import cox.tensorboard.proto.HParamsProtos.Status;
import cox.tensorboard.proto.SummaryProtos.Summary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummaryWriterTest {
    static final long SECONDS = 1795508168L;
    static final double WALL = 1795508168.25;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(SECONDS, 250_000_000), ZoneOffset.UTC);

    @TempDir Path dir;

    private SummaryWriter writer(Path logDir) {
        return new SummaryWriter(logDir, CLOCK, "testhost");
    }

    @Test
    void constructor_createsLogDirAndFileVersionEvent() {
        Path logDir = dir.resolve("a/b/tensorboard");
        try (SummaryWriter tb = writer(logDir)) {
            assertThat(tb.logDir()).isEqualTo(logDir);
            assertThat(tb.file()).isEqualTo(logDir.resolve("events.out.tfevents.1795508168.testhost"));
        }
        List<TensorBoardEvent> events = EventFileReader.readEvents(logDir.resolve("events.out.tfevents.1795508168.testhost"));
        assertThat(events).containsExactly(new TensorBoardEvent(WALL, 0, "brain.Event:2", List.of()));
    }

    @Test
    void constructor_fileExists_addsSuffixInsteadOfOverwriting() {
        try (SummaryWriter first = writer(dir); SummaryWriter second = writer(dir)) {
            assertThat(second.file()).isEqualTo(dir.resolve("events.out.tfevents.1795508168.testhost.1"));
            assertThat(first.file()).isNotEqualTo(second.file());
        }
    }

    @Test
    void constructor_systemClock_namesFileAfterTheHost() {
        try (SummaryWriter tb = new SummaryWriter(dir)) {
            assertThat(tb.file().getFileName().toString()).matches("events\\.out\\.tfevents\\.\\d{10}\\..+");
        }
    }

    @Test
    void addScalar_roundTripsExactly() {
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addScalar("results/loss", 0.1, 3);
            tb.addScalar("results/acc", Double.NaN, -2);
            tb.addScalar("results/loss", 1e300, Long.MAX_VALUE, 12.5);
            tb.addScalar("results/zero", 0.0, 0, 0.0);
        }
        assertThat(EventFileReader.readScalars(file)).containsExactly(
                new ScalarEvent("results/loss", 3, 0.1f, WALL),
                new ScalarEvent("results/acc", -2, Float.NaN, WALL),
                new ScalarEvent("results/loss", Long.MAX_VALUE, Float.POSITIVE_INFINITY, 12.5),
                new ScalarEvent("results/zero", 0, 0.0f, 0.0));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 300, -1, Long.MIN_VALUE, Long.MAX_VALUE})
    void addScalar_handEncodingEqualsProtobufJava(long step) throws IOException {
        String tag = "t".repeat((int) Math.floorMod(step, 200L)) + "x/é";
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addScalar(tag, -3.75, step, step == 0 ? 0.0 : WALL);
        }
        byte[] bytes = Files.readAllBytes(file);
        int first = 12 + (int) bytes[0] + 4;
        byte[] data = Arrays.copyOfRange(bytes, first + 12, bytes.length - 4);
        Event expected = Event.newBuilder()
                .setWallTime(step == 0 ? 0.0 : WALL)
                .setStep(step)
                .setSummary(Summaries.scalar(tag, -3.75f))
                .build();
        assertThat(data).isEqualTo(expected.toByteArray());
    }

    @Test
    void addScalar_cleansTagAsTensorboardX() {
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addScalar("//loss (train) #1", 1, 1);
            tb.addScalar("ok-tag/with.dots_é", 1, 2);
        }
        assertThat(EventFileReader.readScalars(file)).extracting(ScalarEvent::tag)
                .containsExactly("loss__train___1", "ok-tag/with.dots_é");
    }

    @Test
    void addScalar_badTag_throwsNamingIt() {
        try (SummaryWriter tb = writer(dir)) {
            assertThatThrownBy(() -> tb.addScalar(null, 1, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("tag is null");
            assertThatThrownBy(() -> tb.addScalar("", 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("tag is empty");
            assertThatThrownBy(() -> tb.addScalar("///", 1, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tag \"///\" is empty once its leading slashes are removed");
        }
    }

    @Test
    void close_isIdempotentAndLaterWritesThrowNamingTheFile() {
        SummaryWriter tb = writer(dir);
        tb.close();
        tb.close();
        String expected = "event file is closed: " + tb.file();
        assertThatThrownBy(() -> tb.addScalar("a", 1, 1)).isInstanceOf(IllegalStateException.class).hasMessage(expected);
        assertThatThrownBy(() -> tb.addText("a", "b", 1)).isInstanceOf(IllegalStateException.class).hasMessage(expected);
        assertThatThrownBy(tb::flush).isInstanceOf(IllegalStateException.class)
                .hasMessage("SummaryWriter is closed: " + tb.file());
        assertThatThrownBy(() -> tb.addScalars("m", Map.of("k", 1), 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("SummaryWriter is closed: " + tb.file());
    }

    @Test
    void flush_putsRecordsOnDiskBeforeClose() throws IOException {
        try (SummaryWriter tb = writer(dir)) {
            tb.addScalar("a", 2, 7);
            tb.flush();
            assertThat(EventFileReader.readScalars(tb.file())).containsExactly(new ScalarEvent("a", 7, 2f, WALL));
        }
    }

    @Test
    void backgroundFlusher_writesWithoutFlushWithinThreeSeconds() throws InterruptedException {
        try (SummaryWriter tb = writer(dir)) {
            tb.addScalar("a", 2, 7);
            List<ScalarEvent> seen = List.of();
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                seen = EventFileReader.readScalars(tb.file());
            }
            assertThat(seen).containsExactly(new ScalarEvent("a", 7, 2f, WALL));
        }
    }

    @Test
    void manyScalars_fromManyThreads_allArriveInOrderPerThread() throws InterruptedException {
        Path file;
        int perThread = 50_000;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                String tag = "thread" + t;
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        tb.addScalar(tag, i, i);
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        List<ScalarEvent> scalars = EventFileReader.readScalars(file);
        assertThat(scalars).hasSize(4 * perThread);
        for (int t = 0; t < 4; t++) {
            String tag = "thread" + t;
            assertThat(scalars.stream().filter(s -> s.tag().equals(tag)).mapToLong(ScalarEvent::step))
                    .containsExactlyElementsOf(Stream.iterate(0L, i -> i + 1).limit(perThread).toList());
        }
    }

    @Test
    void addScalars_writesOneFilePerKeyUnderMainTagAsTensorboardX() {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("train", 1.5);
        values.put("test", 2);
        try (SummaryWriter tb = writer(dir)) {
            tb.addScalars("loss", values, 4);
            tb.addScalars("loss", Map.of("train", 0.5), 5);
        }
        Path train = dir.resolve("loss/train/events.out.tfevents.1795508168.testhost");
        Path test = dir.resolve("loss/test/events.out.tfevents.1795508168.testhost");
        assertThat(EventFileReader.readScalars(train))
                .containsExactly(new ScalarEvent("loss", 4, 1.5f, WALL), new ScalarEvent("loss", 5, 0.5f, WALL));
        assertThat(EventFileReader.readScalars(test)).containsExactly(new ScalarEvent("loss", 4, 2f, WALL));
        assertThat(EventFileReader.readEvents(train).get(0).fileVersion()).isEqualTo("brain.Event:2");
    }

    @Test
    void addScalars_keyLeavingLogDir_throws() {
        try (SummaryWriter tb = writer(dir.resolve("tb"))) {
            assertThatThrownBy(() -> tb.addScalars("loss", Map.of("../../x", 1), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("add_scalars \"loss\", key \"../../x\": folder ");
            assertThatThrownBy(() -> tb.addScalars("loss", Map.of("", 1), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("add_scalars \"loss\": a key is empty");
        }
    }

    @Test
    void addHistogram_roundTripsTensorboardXBuckets() {
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addHistogram("weights", new double[] {0.0, 1.0, 1.0, -0.0}, 9);
        }
        TensorBoardEvent event = EventFileReader.readEvents(file).get(1);
        assertThat(event.step()).isEqualTo(9);
        assertThat(event.wallTime()).isEqualTo(WALL);
        SummaryValue.Histogram h = (SummaryValue.Histogram) event.values().get(0);
        assertThat(h.tag()).isEqualTo("weights");
        assertThat(h.min()).isEqualTo(0.0);
        assertThat(h.max()).isEqualTo(1.0);
        assertThat(h.num()).isEqualTo(4.0);
        assertThat(h.sum()).isEqualTo(2.0);
        assertThat(h.sumSquares()).isEqualTo(2.0);
        List<Double> limits = h.bucketLimits();
        List<Double> counts = h.bucketCounts();
        assertThat(limits).hasSameSizeAs(counts);
        // an empty bucket ending at 0 (the data's left edge), then [0, 1e-12) holding both zeros
        assertThat(limits.subList(0, 2)).containsExactly(0.0, 1e-12);
        assertThat(counts.subList(0, 2)).containsExactly(0.0, 2.0);
        // the last bucket holds the ones: its left edge <= 1 < its right edge
        assertThat(limits.get(limits.size() - 2)).isLessThanOrEqualTo(1.0);
        assertThat(limits.get(limits.size() - 1)).isGreaterThan(1.0);
        assertThat(counts.get(counts.size() - 1)).isEqualTo(2.0);
        assertThat(counts.subList(2, counts.size() - 1)).containsOnly(0.0);
        assertThat(limits).isSorted();
    }

    @Test
    void defaultBinEdges_areTensorboardXs() {
        double[] edges = Summaries.DEFAULT_BIN_EDGES;
        int k = edges.length / 2;
        assertThat(edges.length % 2).isEqualTo(1);
        assertThat(edges[k]).isEqualTo(0.0);
        assertThat(edges[k + 1]).isEqualTo(1e-12);
        assertThat(edges[k + 2]).isEqualTo(1e-12 * 1.1);
        assertThat(edges[k - 1]).isEqualTo(-1e-12);
        assertThat(edges[edges.length - 1]).isLessThan(1e20).isGreaterThan(1e20 / 1.1);
        assertThat(edges[0]).isEqualTo(-edges[edges.length - 1]);
        assertThat(edges).isSorted();
    }

    @Test
    void addHistogram_floats_widenedAndSmallestBucketStartsAtFirst() {
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addHistogram("f", new float[] {-2.5f, 3.0f}, 1);
        }
        SummaryValue.Histogram h = (SummaryValue.Histogram) EventFileReader.readEvents(file).get(1).values().get(0);
        assertThat(h.min()).isEqualTo(-2.5);
        assertThat(h.max()).isEqualTo(3.0);
        assertThat(h.sum()).isEqualTo(0.5);
        assertThat(h.sumSquares()).isEqualTo(15.25);
        assertThat(h.bucketCounts().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(2.0);
        assertThat(h.bucketCounts().get(0)).isEqualTo(0.0);
        assertThat(h.bucketLimits().get(0)).isLessThanOrEqualTo(-2.5);
        assertThat(h.bucketLimits().get(1)).isGreaterThan(-2.5);
    }

    @Test
    void addHistogram_badValues_throwNamingThem() {
        try (SummaryWriter tb = writer(dir)) {
            assertThatThrownBy(() -> tb.addHistogram("h", new double[0], 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("histogram \"h\" has no values");
            assertThatThrownBy(() -> tb.addHistogram("h", new double[] {1, Double.NaN}, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("histogram \"h\": values[1] is NaN; histogram values must be finite");
            assertThatThrownBy(() -> tb.addHistogram("h", new double[] {1e21}, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("histogram \"h\": every value lies outside ±");
            assertThatThrownBy(() -> tb.addHistogram("h", (double[]) null, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("values is null");
        }
    }

    @Test
    void numpySum_matchesPairwiseSummationNotNaiveLoop() {
        // 1e16 + 1 + 1 ... : naive left-to-right summation loses every 1, numpy's pairwise keeps some
        double[] values = new double[200];
        Arrays.fill(values, 1.0);
        values[0] = 1e16;
        double naive = 0;
        for (double v : values) {
            naive += v;
        }
        assertThat(naive).isEqualTo(1e16);
        // numpy 1.24: a = np.ones(200); a[0] = 1e16; a.sum() == 1.0000000000000188e+16
        assertThat(Summaries.numpySum(values, 0, values.length)).isEqualTo(1e16 + 188);
    }

    @Test
    void addText_roundTripsAsTextPluginTensor() {
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addText("notes", "héllo **world**", 2);
        }
        TensorBoardEvent event = EventFileReader.readEvents(file).get(1);
        assertThat(event).isEqualTo(new TensorBoardEvent(WALL, 2, null,
                List.of(new SummaryValue.Text("notes/text_summary", "text", "héllo **world**"))));
    }

    @Test
    void addImage_roundTripsPng() throws IOException {
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(2, 1, 0x123456);
        BufferedImage gray = new BufferedImage(4, 5, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80ff0000);
        Path file;
        try (SummaryWriter tb = writer(dir)) {
            file = tb.file();
            tb.addImage("img/rgb", rgb, 1);
            tb.addImage("img/gray", gray, 2);
            tb.addImage("img/argb", argb, 3);
        }
        List<TensorBoardEvent> events = EventFileReader.readEvents(file);
        SummaryValue.Image a = (SummaryValue.Image) events.get(1).values().get(0);
        SummaryValue.Image b = (SummaryValue.Image) events.get(2).values().get(0);
        SummaryValue.Image c = (SummaryValue.Image) events.get(3).values().get(0);
        assertThat(List.of(a.tag(), a.pluginName(), a.height(), a.width(), a.colorspace()))
                .containsExactly("img/rgb", "images", 2, 3, 3);
        assertThat(List.of(b.height(), b.width(), b.colorspace())).containsExactly(5, 4, 1);
        assertThat(c.colorspace()).isEqualTo(4);
        assertThat(Arrays.copyOf(a.encoded(), 8))
                .containsExactly(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(a.encoded()));
        assertThat(decoded.getRGB(2, 1) & 0xffffff).isEqualTo(0x123456);
        assertThat(ImageIO.read(new ByteArrayInputStream(c.encoded())).getRGB(0, 0)).isEqualTo(0x80ff0000);
    }

    @Test
    void addHparams_writesPluginSummariesAndMetricsInNamedFolder() throws Exception {
        Map<String, Object> hparams = new LinkedHashMap<>();
        hparams.put("lr", 0.1);
        hparams.put("batch", 32);
        hparams.put("optimizer", "sgd");
        hparams.put("nesterov", true);
        hparams.put("skipped", null);
        hparams.put("odd", List.of(1));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("hparam/accuracy", 0.75);
        metrics.put("hparam/loss", 0.5);
        try (SummaryWriter tb = writer(dir)) {
            tb.addHparams(hparams, metrics);
        }
        Path session = dir.resolve("1795508168.25");
        List<TensorBoardEvent> events =
                EventFileReader.readEvents(session.resolve("events.out.tfevents.1795508168.testhost"));
        assertThat(events).hasSize(6);
        assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
        List<SummaryValue> values = events.subList(1, 4).stream().map(e -> e.values().get(0)).toList();
        assertThat(values).extracting(SummaryValue::tag).containsExactly(
                "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info");
        assertThat(values).extracting(SummaryValue::pluginName).containsOnly("hparams");
        HParamsPluginData experiment = HParamsPluginData.parseFrom(((SummaryValue.Other) values.get(0)).pluginContent());
        assertThat(experiment.getVersion()).isEqualTo(0);
        assertThat(experiment.getExperiment().getHparamInfosList())
                .extracting(i -> i.getName() + ":" + i.getType())
                .containsExactly("lr:" + DataType.DATA_TYPE_FLOAT64, "batch:" + DataType.DATA_TYPE_FLOAT64,
                        "optimizer:" + DataType.DATA_TYPE_STRING, "nesterov:" + DataType.DATA_TYPE_BOOL,
                        "odd:" + DataType.DATA_TYPE_UNSET);
        assertThat(experiment.getExperiment().getMetricInfosList()).extracting(m -> m.getName().getTag())
                .containsExactly("hparam/accuracy", "hparam/loss");
        HParamsPluginData start = HParamsPluginData.parseFrom(((SummaryValue.Other) values.get(1)).pluginContent());
        var hp = start.getSessionStartInfo().getHparamsMap();
        assertThat(hp.keySet()).containsExactlyInAnyOrder("lr", "batch", "optimizer", "nesterov");
        assertThat(hp.get("lr").getNumberValue()).isEqualTo(0.1);
        assertThat(hp.get("batch").getNumberValue()).isEqualTo(32.0);
        assertThat(hp.get("optimizer").getStringValue()).isEqualTo("sgd");
        assertThat(hp.get("nesterov").getBoolValue()).isTrue();
        HParamsPluginData end = HParamsPluginData.parseFrom(((SummaryValue.Other) values.get(2)).pluginContent());
        assertThat(end.getSessionEndInfo().getStatus()).isEqualTo(Status.STATUS_SUCCESS);
        assertThat(events.subList(4, 6)).containsExactly(
                new TensorBoardEvent(WALL, 0, null, List.of(new SummaryValue.Scalar("hparam/accuracy", "", 0.75f))),
                new TensorBoardEvent(WALL, 0, null, List.of(new SummaryValue.Scalar("hparam/loss", "", 0.5f))));
    }

    @Test
    void addHparams_explicitName_andEscapingNameThrows() {
        try (SummaryWriter tb = writer(dir.resolve("tb"))) {
            tb.addHparams(Map.of("lr", 1), Map.of(), "run-1");
            assertThat(dir.resolve("tb/run-1/events.out.tfevents.1795508168.testhost")).exists();
            assertThatThrownBy(() -> tb.addHparams(Map.of(), Map.of(), "../../x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("add_hparams: folder \"../../x\" is not inside ");
            Map<String, Double> nullMetric = new LinkedHashMap<>();
            nullMetric.put("m", null);
            assertThatThrownBy(() -> tb.addHparams(Map.of(), nullMetric))
                    .isInstanceOf(NullPointerException.class).hasMessage("metric \"m\" is null");
        }
    }

    @Test
    void pythonFloatString_matchesPythonStr() {
        assertThat(SummaryWriter.pythonFloatString(1795508168.25)).isEqualTo("1795508168.25");
        assertThat(SummaryWriter.pythonFloatString(1795508168.0)).isEqualTo("1795508168.0");
        assertThat(SummaryWriter.pythonFloatString(1795508168.3631368)).isEqualTo("1795508168.3631368");
    }

    @Test
    void summaryScalar_isTheMessageTensorboardXBuilds() {
        Summary s = Summaries.scalar("a", 1f);
        assertThat(s.getValueCount()).isEqualTo(1);
        assertThat(s.getValue(0).getSimpleValue()).isEqualTo(1f);
    }
}
