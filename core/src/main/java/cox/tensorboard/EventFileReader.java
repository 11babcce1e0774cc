package cox.tensorboard;

import cox.exceptions.CoxIOException;
import com.google.protobuf.InvalidProtocolBufferException;
import cox.exceptions.EventFileException;
import cox.tensorboard.proto.EventProtos.Event;
import cox.tensorboard.proto.SummaryProtos.Summary;
import cox.tensorboard.proto.TensorProtos.DataType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Reads the events of one TensorBoard event file, as TensorBoard's and tensorboardX's
 * {@code EventFileLoader}/{@code event_file_loader} do, checking both CRCs of every record.
 *
 * <pre>{@code
 * try (EventFileReader reader = new EventFileReader(file)) {
 *   for (TensorBoardEvent event : reader) { ... }
 * }
 * List<ScalarEvent> scalars = EventFileReader.readScalars(file);
 * }</pre>
 *
 * <p>A truncated last record (a partial length, CRC or data, as a writer that is still
 * running or was killed leaves) ends the iteration without error, so a file can be read
 * while it is being written. A record whose CRC does not match raises
 * {@link EventFileException}, whose message names the file, the record's byte offset
 * and {@code actual 0x… != expected 0x…}. I/O errors are {@link CoxIOException}s.
 *
 * <p>Not thread-safe: one thread reads a reader. {@link #iterator()} may be called once.
 */
public final class EventFileReader implements AutoCloseable, Iterable<TensorBoardEvent> {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[RecordFraming.HEADER_BYTES];
    private final byte[] footer = new byte[RecordFraming.FOOTER_BYTES];
    private long offset;
    private boolean iterated;
    private boolean closed;

    /**
     * Opens {@code file} for reading.
     *
     * @param file an event file ({@code events.out.tfevents.*})
     * @throws NullPointerException if {@code file} is null
     * @throws CoxIOException if the file cannot be opened, or is not a regular file (following
     *     symbolic links): a FIFO, socket, device or folder is refused without being opened, since
     *     opening or reading a FIFO waits for a writer that may never come
     */
    public EventFileReader(Path file) {
        if (file == null) {
            throw new NullPointerException("file is null");
        }
        this.file = file;
        requireRegularFile(file);
        try {
            this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new CoxIOException("cannot open event file " + file + ": " + e, e);
        }
    }

    /** Refuses a FIFO, socket, device or folder before anything opens it (issue 17: a FIFO hung cox serve). */
    private static void requireRegularFile(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new CoxIOException("cannot open event file " + file + ": " + e, e);
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a folder" : "a FIFO, socket or device";
            throw new CoxIOException("event file " + file + " is " + kind + ", not a regular file; it is not opened "
                    + "(reading a FIFO would wait for a writer forever)", null);
        }
    }

    /**
     * Reads every event of {@code file}.
     *
     * @param file an event file
     * @return its events in file order
     * @throws EventFileException if a record's CRC does not match
     * @throws CoxIOException if the file cannot be read
     */
    public static List<TensorBoardEvent> readEvents(Path file) {
        List<TensorBoardEvent> events = new ArrayList<>();
        try (EventFileReader reader = new EventFileReader(file)) {
            reader.forEach(events::add);
        }
        return events;
    }

    /**
     * Reads the scalars ({@code simple_value}s) of {@code file}, as written by
     * {@code add_scalar} in tensorboardX or cox4j; other values are skipped.
     *
     * @param file an event file
     * @return one entry per scalar value, in file order
     * @throws EventFileException if a record's CRC does not match
     * @throws CoxIOException if the file cannot be read
     */
    public static List<ScalarEvent> readScalars(Path file) {
        List<ScalarEvent> scalars = new ArrayList<>();
        for (TensorBoardEvent event : readEvents(file)) {
            for (SummaryValue value : event.values()) {
                if (value instanceof SummaryValue.Scalar scalar) {
                    scalars.add(new ScalarEvent(scalar.tag(), event.step(), scalar.value(), event.wallTime()));
                }
            }
        }
        return scalars;
    }

    /**
     * The file this reader reads.
     *
     * @return the path given to the constructor
     */
    public Path file() {
        return file;
    }

    /**
     * The byte offset of the next record to read.
     *
     * @return bytes of whole records read so far
     */
    public long offset() {
        return offset;
    }

    /**
     * Reads the next event.
     *
     * @return the next event, or {@code null} at the end of the file or at a truncated last record
     * @throws EventFileException if the record's CRC does not match
     * @throws IllegalStateException if the reader is closed
     * @throws CoxIOException if the file cannot be read
     */
    public TensorBoardEvent next() {
        if (closed) {
            throw new IllegalStateException("event file reader is closed: " + file);
        }
        try {
            if (readFully(header, header.length) < header.length) {
                return null;
            }
            long length = (long) LONG_LE.get(header, 0);
            check("length CRC", RecordFraming.maskedCrc(crc, header, 0, 8), (int) INT_LE.get(header, 8));
            if (length < 0 || length > Integer.MAX_VALUE - 16) {
                throw corrupt("record length " + Long.toUnsignedString(length) + " is too large", null);
            }
            byte[] data = new byte[(int) length];
            if (readFully(data, data.length) < data.length || readFully(footer, footer.length) < footer.length) {
                return null;
            }
            check("data CRC", RecordFraming.maskedCrc(crc, data, 0, data.length), (int) INT_LE.get(footer, 0));
            Event event;
            try {
                event = Event.parseFrom(data);
            } catch (InvalidProtocolBufferException e) {
                throw corrupt("record is not an Event: " + e.getMessage(), e);
            }
            offset += RecordFraming.HEADER_BYTES + length + RecordFraming.FOOTER_BYTES;
            return toEvent(event);
        } catch (IOException e) {
            throw new CoxIOException("cannot read event file " + file + " at offset " + offset + ": " + e, e);
        }
    }

    private void check(String what, int actual, int expected) {
        if (actual != expected) {
            throw corrupt(String.format("bad %s: actual 0x%08x != expected 0x%08x", what, actual, expected), null);
        }
    }

    private EventFileException corrupt(String what, Throwable cause) {
        return new EventFileException(file, offset,
                "corrupt event file " + file + " at offset " + offset + ": " + what, cause);
    }

    private int readFully(byte[] into, int length) throws IOException {
        int n = 0;
        while (n < length) {
            int r = in.read(into, n, length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /**
     * Iterates the remaining events; see {@link #next()} for what ends the iteration and
     * what it throws.
     *
     * @return an iterator over this reader's events
     * @throws IllegalStateException if called a second time
     */
    @Override
    public Iterator<TensorBoardEvent> iterator() {
        if (iterated) {
            throw new IllegalStateException("an EventFileReader iterates once: " + file);
        }
        iterated = true;
        return new Iterator<>() {
            private TensorBoardEvent ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    ahead = EventFileReader.this.next();
                }
                return ahead != null;
            }

            @Override
            public TensorBoardEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more events in " + file);
                }
                TensorBoardEvent event = ahead;
                ahead = null;
                return event;
            }
        };
    }

    /** Closes the file; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw new CoxIOException("cannot close event file " + file + ": " + e, e);
        }
    }

    private static TensorBoardEvent toEvent(Event event) {
        List<SummaryValue> values = new ArrayList<>();
        if (event.hasSummary()) {
            for (Summary.Value value : event.getSummary().getValueList()) {
                values.add(toValue(value));
            }
        }
        String fileVersion = event.getWhatCase() == Event.WhatCase.FILE_VERSION ? event.getFileVersion() : null;
        return new TensorBoardEvent(event.getWallTime(), event.getStep(), fileVersion, values);
    }

    private static SummaryValue toValue(Summary.Value value) {
        String tag = value.getTag();
        String plugin = value.getMetadata().getPluginData().getPluginName();
        switch (value.getValueCase()) {
            case SIMPLE_VALUE:
                return new SummaryValue.Scalar(tag, plugin, value.getSimpleValue());
            case HISTO:
                var h = value.getHisto();
                return new SummaryValue.Histogram(tag, plugin, h.getMin(), h.getMax(), h.getNum(), h.getSum(),
                        h.getSumSquares(), h.getBucketLimitList(), h.getBucketList());
            case IMAGE:
                var i = value.getImage();
                return new SummaryValue.Image(tag, plugin, i.getHeight(), i.getWidth(), i.getColorspace(),
                        i.getEncodedImageString().toByteArray());
            case TENSOR:
                var t = value.getTensor();
                if (t.getDtype() == DataType.DT_STRING && t.getStringValCount() > 0) {
                    return new SummaryValue.Text(tag, plugin, t.getStringVal(0).toString(StandardCharsets.UTF_8));
                }
                break;
            default:
                break;
        }
        return new SummaryValue.Other(tag, plugin, value.getMetadata().getPluginData().getContent().toByteArray());
    }
}
