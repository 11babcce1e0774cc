package cox.tensorboard;

import cox.exceptions.CoxIOException;
import cox.tensorboard.proto.SummaryProtos.Summary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a TensorBoard log: the Java counterpart of tensorboardX's {@code SummaryWriter},
 * which Python cox exposes as {@code store.tensorboard}. The files are what tensorboardX
 * writes, so TensorBoard, tensorboardX and cox read them.
 *
 * <pre>{@code
 * try (SummaryWriter tb = new SummaryWriter(Path.of("runs/exp/tensorboard"))) {
 *   tb.addScalar("results/loss", 0.25, 3);
 * }
 * }</pre>
 *
 * <p>The writer creates {@code logDir} and one event file in it,
 * {@code events.out.tfevents.<unix-seconds>.<hostname>}, whose first record is the
 * file-version event. Events are framed into memory and handed to the OS by a shared daemon
 * thread about every second, when a megabyte has accumulated, and on {@link #flush()} and
 * {@link #close()}: a killed process loses at most the last second and leaves at most a
 * partial last record, which readers skip. {@link #addScalar(String, double, long)} costs
 * well under a microsecond: no system call, no allocation once its tag has been seen.
 *
 * <p>Arguments as tensorboardX takes them: any step (negative too), any value (NaN and
 * infinities too) for scalars; tags are cleaned as tensorboardX's {@code _clean_tag} does
 * (characters other than letters, digits, {@code _ - / .} become {@code _}; leading slashes
 * go). A null tag is a {@link NullPointerException}, an empty one an
 * {@link IllegalArgumentException}; using a closed writer is an {@link IllegalStateException}
 * naming its file; a failed write is an {@link CoxIOException} naming the file.
 *
 * <p>Thread-safe: any number of threads may add to one writer; events from one thread keep
 * their order.
 */
public final class SummaryWriter implements AutoCloseable {
    private static final int TAG_CACHE_LIMIT = 4096;

    private final Path logDir;
    private final Clock clock;
    private final String hostname;
    private final EventFileWriter main;
    /** add_scalars' writers, one per {@code logDir/mainTag/key}. */
    private final Map<Path, EventFileWriter> scalarsWriters = new LinkedHashMap<>();
    /** Cleaned tag as UTF-8 per tag given, so a repeated addScalar allocates nothing. */
    private final ConcurrentHashMap<String, byte[]> tagBytes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Opens a writer that stamps events with the system clock. Mirrors tensorboardX's
     * {@code SummaryWriter(logdir)}.
     *
     * @param logDir the folder for the event file; created if missing
     * @throws NullPointerException if {@code logDir} is null
     * @throws CoxIOException if the folder or file cannot be created
     */
    public SummaryWriter(Path logDir) {
        this(logDir, Clock.systemUTC());
    }

    /**
     * Opens a writer that takes wall times (in the events and the file name) from
     * {@code clock}, so tests see exact values.
     *
     * @param logDir the folder for the event file; created if missing
     * @param clock the source of wall times
     * @throws NullPointerException if an argument is null
     * @throws CoxIOException if the folder or file cannot be created
     */
    public SummaryWriter(Path logDir, Clock clock) {
        this(logDir, clock, localHostname());
    }

    SummaryWriter(Path logDir, Clock clock, String hostname) {
        this.logDir = Objects.requireNonNull(logDir, "logDir is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.hostname = hostname;
        this.main = EventFileWriter.create(logDir, now(), hostname);
    }

    /**
     * The folder this writer writes to.
     *
     * @return the {@code logDir} given to the constructor (tensorboardX's {@code logdir})
     */
    public Path logDir() {
        return logDir;
    }

    /**
     * The event file this writer writes to (not those of {@link #addScalars} or {@link #addHparams}).
     *
     * @return {@code logDir/events.out.tfevents.<unix-seconds>.<hostname>}
     */
    public Path file() {
        return main.file();
    }

    /**
     * Logs a scalar stamped with the clock's time; tensorboardX's
     * {@code add_scalar(tag, scalar_value, global_step)}. The value is stored as a 32-bit
     * float ({@code simple_value}), as tensorboardX stores it.
     *
     * @param tag the series name, e.g. {@code results/loss}; cleaned as tensorboardX does
     * @param value the value; NaN and infinities are written as they are
     * @param step the global step; any value
     * @throws NullPointerException if {@code tag} is null
     * @throws IllegalArgumentException if {@code tag} is empty
     * @throws IllegalStateException if the writer is closed
     */
    public void addScalar(String tag, double value, long step) {
        addScalar(tag, value, step, now());
    }

    /**
     * Logs a scalar with the given wall time; tensorboardX's
     * {@code add_scalar(tag, scalar_value, global_step, walltime)}.
     *
     * @param tag the series name; cleaned as tensorboardX does
     * @param value the value; NaN and infinities are written as they are
     * @param step the global step; any value
     * @param wallTime seconds since the epoch
     * @throws NullPointerException if {@code tag} is null
     * @throws IllegalArgumentException if {@code tag} is empty
     * @throws IllegalStateException if the writer is closed
     */
    public void addScalar(String tag, double value, long step, double wallTime) {
        byte[] tagUtf8 = tagBytes.get(tag == null ? "" : tag);
        if (tagUtf8 == null) {
            tagUtf8 = Summaries.cleanTag(tag).getBytes(StandardCharsets.UTF_8);
            if (tagBytes.size() < TAG_CACHE_LIMIT) {
                tagBytes.put(tag, tagUtf8);
            }
        }
        main.writeScalar(tagUtf8, (float) value, step, wallTime);
    }

    /**
     * Logs several scalars into one chart, as tensorboardX's
     * {@code add_scalars(main_tag, tag_scalar_dict, global_step)} does: the value of key
     * {@code k} goes, with tag {@code mainTag}, to its own event file in
     * {@code logDir/mainTag/k/} (tensorboardX 2.6.4 and later join the folders with the path
     * separator, so a {@code /} in either makes nested folders). Those files stay open until
     * this writer is closed. All values share one wall time.
     *
     * @param mainTag the chart's tag; also the first folder
     * @param values the series, by key; the second folder
     * @param step the global step
     * @throws NullPointerException if an argument, a key or a value is null
     * @throws IllegalArgumentException if {@code mainTag} or a key is empty or would leave {@code logDir}
     * @throws IllegalStateException if the writer is closed
     */
    public void addScalars(String mainTag, Map<String, ? extends Number> values, long step) {
        String tag = Summaries.cleanTag(mainTag);
        Objects.requireNonNull(values, "values is null");
        double wallTime = now();
        byte[] tagUtf8 = tag.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                throw new NullPointerException("add_scalars \"" + mainTag + "\": a key is null");
            }
            if (e.getValue() == null) {
                throw new NullPointerException("add_scalars \"" + mainTag + "\": value of \"" + key + "\" is null");
            }
            scalarsWriter(mainTag, key).writeScalar(tagUtf8, e.getValue().floatValue(), step, wallTime);
        }
    }

    private EventFileWriter scalarsWriter(String mainTag, String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("add_scalars \"" + mainTag + "\": a key is empty");
        }
        Path base = logDir.toAbsolutePath().normalize();
        Path dir = base.resolve(mainTag).resolve(key).normalize();
        if (!dir.startsWith(base) || dir.equals(base)) {
            throw new IllegalArgumentException("add_scalars \"" + mainTag + "\", key \"" + key
                    + "\": folder " + dir + " is not inside " + base);
        }
        synchronized (scalarsWriters) {
            checkOpen();
            EventFileWriter writer = scalarsWriters.get(dir);
            if (writer == null) {
                writer = EventFileWriter.create(dir, now(), hostname);
                scalarsWriters.put(dir, writer);
            }
            return writer;
        }
    }

    /**
     * Logs a histogram of {@code values}; tensorboardX's {@code add_histogram(tag, values,
     * global_step)} with its default {@code bins='tensorflow'}: exponential buckets
     * ±1e-12·1.1<sup>k</sup> up to 1e20 and 0, trimmed to those around the data.
     *
     * @param tag the series name; cleaned as tensorboardX does
     * @param values the values; at least one, all finite
     * @param step the global step
     * @throws NullPointerException if {@code tag} or {@code values} is null
     * @throws IllegalArgumentException if {@code tag} or {@code values} is empty, a value is
     *     NaN or infinite, or every value lies beyond ±1e20
     * @throws IllegalStateException if the writer is closed
     */
    public void addHistogram(String tag, double[] values, long step) {
        String clean = Summaries.cleanTag(tag);
        Objects.requireNonNull(values, "values is null");
        write(Summaries.histogram(tag, clean, values), step);
    }

    /**
     * Logs a histogram of {@code values}, widened to double as tensorboardX's
     * {@code values.astype(float)} does; see {@link #addHistogram(String, double[], long)}.
     *
     * @param tag the series name; cleaned as tensorboardX does
     * @param values the values; at least one, all finite
     * @param step the global step
     * @throws NullPointerException if {@code tag} or {@code values} is null
     * @throws IllegalArgumentException if {@code tag} or {@code values} is empty, a value is
     *     NaN or infinite, or every value lies beyond ±1e20
     * @throws IllegalStateException if the writer is closed
     */
    public void addHistogram(String tag, float[] values, long step) {
        Objects.requireNonNull(values, "values is null");
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        addHistogram(tag, wide, step);
    }

    /**
     * Logs a text; tensorboardX's {@code add_text(tag, text_string, global_step)}: a string
     * tensor of plugin {@code "text"} under tag {@code tag + "/text_summary"} (the tag is not
     * cleaned, as in tensorboardX).
     *
     * @param tag the series name
     * @param text the text (markdown in TensorBoard); may be empty
     * @param step the global step
     * @throws NullPointerException if {@code tag} or {@code text} is null
     * @throws IllegalArgumentException if {@code tag} is empty
     * @throws IllegalStateException if the writer is closed
     */
    public void addText(String tag, String text, long step) {
        Summaries.checkTag(tag);
        Objects.requireNonNull(text, "text is null");
        write(Summaries.text(tag, text), step);
    }

    /**
     * Logs an image; tensorboardX's {@code add_image(tag, img_tensor, global_step)}: PNG
     * bytes (from {@link javax.imageio.ImageIO}), height, width and the channel count as
     * colorspace: 1 for {@code TYPE_BYTE_GRAY}, 4 for images with alpha, 3 otherwise
     * (other types are redrawn as RGB or ARGB first).
     *
     * @param tag the series name; cleaned as tensorboardX does
     * @param image the image
     * @param step the global step
     * @throws NullPointerException if {@code tag} or {@code image} is null
     * @throws IllegalArgumentException if {@code tag} is empty
     * @throws IllegalStateException if the writer is closed
     */
    public void addImage(String tag, BufferedImage image, long step) {
        String clean = Summaries.cleanTag(tag);
        Objects.requireNonNull(image, "image is null");
        write(Summaries.image(tag, clean, image), step);
    }

    /**
     * Logs one hyper-parameter session, as tensorboardX's
     * {@code add_hparams(hparam_dict, metric_dict)} does: in a new folder
     * {@code logDir/<seconds>} (Python's {@code str(time.time())} of the clock's time) an event
     * file with the HParams plugin's experiment, session-start and session-end (success)
     * summaries, then each metric as a scalar at step 0. Strings become string hparams,
     * booleans bool hparams, other numbers float64 hparams; null values are skipped; other
     * types are listed with type UNSET and no value.
     *
     * @param hparams hyper-parameters by name, in the order to list them
     * @param metrics metric values by tag
     * @throws NullPointerException if a map, a name, or a metric value is null
     * @throws IllegalStateException if the writer is closed
     */
    public void addHparams(Map<String, ?> hparams, Map<String, Double> metrics) {
        addHparams(hparams, metrics, null);
    }

    /**
     * Logs one hyper-parameter session into {@code logDir/name}; tensorboardX's
     * {@code add_hparams(hparam_dict, metric_dict, name=name)}. See
     * {@link #addHparams(Map, Map)}.
     *
     * @param hparams hyper-parameters by name
     * @param metrics metric values by tag
     * @param name the session's folder; {@code null} or empty for Python's {@code str(time.time())}
     * @throws NullPointerException if a map, a name, or a metric value is null
     * @throws IllegalArgumentException if {@code name} would leave {@code logDir}
     * @throws IllegalStateException if the writer is closed
     */
    public void addHparams(Map<String, ?> hparams, Map<String, Double> metrics, String name) {
        Objects.requireNonNull(hparams, "hparams is null");
        Objects.requireNonNull(metrics, "metrics is null");
        checkOpen();
        List<Summary> summaries = Summaries.hparams(hparams, metrics);
        double wallTime = now();
        String folder = name == null || name.isEmpty() ? pythonFloatString(wallTime) : name;
        Path base = logDir.toAbsolutePath().normalize();
        Path dir = base.resolve(folder).normalize();
        if (!dir.startsWith(base) || dir.equals(base)) {
            throw new IllegalArgumentException("add_hparams: folder \"" + folder + "\" is not inside " + base);
        }
        try (EventFileWriter session = EventFileWriter.create(dir, wallTime, hostname)) {
            for (Summary summary : summaries) {
                session.writeRecord(EventEncoding.summaryEvent(summary, 0, wallTime));
            }
            for (Map.Entry<String, Double> metric : metrics.entrySet()) {
                byte[] tag = Summaries.cleanTag(metric.getKey()).getBytes(StandardCharsets.UTF_8);
                session.writeScalar(tag, metric.getValue().floatValue(), 0, now());
            }
        }
    }

    /** Python's {@code str(float)}: shortest digits, plain notation, at least one decimal. */
    static String pythonFloatString(double seconds) {
        String plain = new BigDecimal(Double.toString(seconds)).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private void write(Summary summary, long step) {
        main.writeRecord(EventEncoding.summaryEvent(summary, step, now()));
    }

    /**
     * Hands every buffered event of this writer (and its {@code addScalars} files) to the OS,
     * as tensorboardX's {@code flush()}; it does not fsync.
     *
     * @throws IllegalStateException if the writer is closed
     * @throws CoxIOException if a write fails
     */
    public void flush() {
        checkOpen();
        main.flush();
        for (EventFileWriter writer : scalarsSnapshot()) {
            writer.flush();
        }
    }

    /**
     * Flushes and closes every file of this writer; tensorboardX's {@code close()}.
     * Idempotent: a second call does nothing.
     *
     * @throws CoxIOException if a write fails
     */
    @Override
    public void close() {
        List<EventFileWriter> writers;
        synchronized (scalarsWriters) {
            if (closed) {
                return;
            }
            closed = true;
            writers = new ArrayList<>(scalarsWriters.values());
        }
        RuntimeException failure = null;
        writers.add(0, main);
        for (EventFileWriter writer : writers) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private List<EventFileWriter> scalarsSnapshot() {
        synchronized (scalarsWriters) {
            return new ArrayList<>(scalarsWriters.values());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("SummaryWriter is closed: " + main.file());
        }
    }

    private double now() {
        Instant t = clock.instant();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** What Python's {@code socket.gethostname()} returns, as tensorboardX puts it in file names. */
    private static String localHostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
