package cox.tensorboard;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One event file: frames records into an in-memory buffer and hands the buffer to the OS
 * on {@link #flush()}, on {@link #close()}, when it grows past {@link #FLUSH_BYTES}, and
 * from a shared daemon thread every {@link #FLUSH_PERIOD_MILLIS} ms. Only whole records
 * are ever buffered, so a killed process leaves at most a partial last record.
 *
 * <p>Thread-safe. Lock order: {@code ioLock} before {@code this}.
 */
final class EventFileWriter implements AutoCloseable {
    static final long FLUSH_PERIOD_MILLIS = 1000;
    static final int FLUSH_BYTES = 1 << 20;
    private static final int INITIAL_BYTES = 1 << 16;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** One daemon thread flushes every open writer; it never keeps the JVM alive. */
    private static final ScheduledThreadPoolExecutor FLUSHER = newFlusher();

    private final Path file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final Object ioLock = new Object();
    private final ScheduledFuture<?> flushTask;

    // guarded by this
    private byte[] buffer = new byte[INITIAL_BYTES];
    private int size;
    private byte[] spare;
    private boolean closed;
    // guarded by ioLock
    private IOException failure;

    private EventFileWriter(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
        this.flushTask = FLUSHER.scheduleWithFixedDelay(
                this::flushInBackground, FLUSH_PERIOD_MILLIS, FLUSH_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates {@code dir} if needed and a new event file in it named
     * {@code events.out.tfevents.<seconds>.<host>} (tensorboardX's name; a numeric suffix is
     * added rather than overwriting an existing file), and writes the file-version event.
     */
    static EventFileWriter create(Path dir, double wallTime, String hostname) {
        String name = String.format("events.out.tfevents.%010d.%s", (long) Math.floor(wallTime), hostname);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            for (int n = 1; ; n++) {
                try {
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    EventFileWriter writer = new EventFileWriter(file, channel);
                    writer.writeRecord(EventEncoding.fileVersionEvent(wallTime));
                    return writer;
                } catch (FileAlreadyExistsException e) {
                    file = dir.resolve(name + "." + n);
                }
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot create event file " + name + " in " + dir + ": " + e, e);
        }
    }

    Path file() {
        return file;
    }

    /** Appends one framed record holding {@code event}, a serialized {@code Event}. */
    void writeRecord(byte[] event) {
        boolean full;
        synchronized (this) {
            checkOpen();
            int at = reserve(event.length);
            System.arraycopy(event, 0, buffer, at + RecordFraming.HEADER_BYTES, event.length);
            full = frame(at, event.length);
        }
        if (full) {
            flush();
        }
    }

    /**
     * Appends {@code Event{wall_time, step, summary{value{tag, simple_value}}}} encoded in
     * place, byte for byte what protobuf-java writes for the same message (a test checks).
     */
    void writeScalar(byte[] tagUtf8, float value, long step, double wallTime) {
        int valueLen = 1 + EventEncoding.varintSize(tagUtf8.length) + tagUtf8.length + 5;
        int summaryLen = 1 + EventEncoding.varintSize(valueLen) + valueLen;
        int dataLen = 1 + EventEncoding.varintSize(summaryLen) + summaryLen;
        boolean hasWallTime = Double.doubleToRawLongBits(wallTime) != 0;
        if (hasWallTime) {
            dataLen += 9;
        }
        if (step != 0) {
            dataLen += 1 + EventEncoding.varintSize(step);
        }
        boolean full;
        synchronized (this) {
            checkOpen();
            int start = reserve(dataLen);
            byte[] b = buffer;
            int p = start + RecordFraming.HEADER_BYTES;
            if (hasWallTime) {
                b[p++] = 0x09; // field 1, fixed64
                LONG_LE.set(b, p, Double.doubleToRawLongBits(wallTime));
                p += 8;
            }
            if (step != 0) {
                b[p++] = 0x10; // field 2, varint
                p = EventEncoding.putVarint(b, p, step);
            }
            b[p++] = 0x2a; // field 5 (summary), length-delimited
            p = EventEncoding.putVarint(b, p, summaryLen);
            b[p++] = 0x0a; // Summary.value, field 1
            p = EventEncoding.putVarint(b, p, valueLen);
            b[p++] = 0x0a; // Value.tag, field 1
            p = EventEncoding.putVarint(b, p, tagUtf8.length);
            System.arraycopy(tagUtf8, 0, b, p, tagUtf8.length);
            p += tagUtf8.length;
            b[p++] = 0x15; // Value.simple_value, field 2, fixed32
            INT_LE.set(b, p, Float.floatToRawIntBits(value));
            full = frame(start, dataLen);
        }
        if (full) {
            flush();
        }
    }

    /** Room for a record of {@code dataLen} bytes at the end of the buffer; returns its start. */
    private int reserve(int dataLen) {
        int need = size + RecordFraming.HEADER_BYTES + dataLen + RecordFraming.FOOTER_BYTES;
        if (need > buffer.length) {
            byte[] grown = new byte[Math.max(need, buffer.length * 2)];
            System.arraycopy(buffer, 0, grown, 0, size);
            buffer = grown;
        }
        return size;
    }

    /** Writes length and both CRCs around data already in place; true when a flush is due. */
    private boolean frame(int start, int dataLen) {
        byte[] b = buffer;
        LONG_LE.set(b, start, (long) dataLen);
        INT_LE.set(b, start + 8, RecordFraming.maskedCrc(crc, b, start, 8));
        int data = start + RecordFraming.HEADER_BYTES;
        INT_LE.set(b, data + dataLen, RecordFraming.maskedCrc(crc, b, data, dataLen));
        size = data + dataLen + RecordFraming.FOOTER_BYTES;
        return size >= FLUSH_BYTES;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("event file is closed: " + file);
        }
    }

    /** Hands every buffered record to the OS (no fsync, as tensorboardX). */
    void flush() {
        synchronized (ioLock) {
            if (failure != null) {
                throw new CoxIOException("cannot write event file " + file + ": " + failure, failure);
            }
            byte[] out;
            int length;
            synchronized (this) {
                if (size == 0) {
                    return;
                }
                out = buffer;
                length = size;
                buffer = spare != null ? spare : new byte[INITIAL_BYTES];
                spare = null;
                size = 0;
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(out, 0, length);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                failure = e;
                throw new CoxIOException("cannot write event file " + file + ": " + e, e);
            } finally {
                synchronized (this) {
                    if (spare == null && out.length <= 2 * FLUSH_BYTES) {
                        spare = out;
                    }
                }
            }
        }
    }

    private void flushInBackground() {
        try {
            flush();
        } catch (RuntimeException e) {
            // remembered in failure; the next flush(), add or close() reports it to the caller
        }
    }

    /** Flushes and closes the file; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        flushTask.cancel(false);
        try {
            flush();
        } finally {
            synchronized (ioLock) {
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new CoxIOException("cannot close event file " + file + ": " + e, e);
                }
            }
        }
    }

    private static ScheduledThreadPoolExecutor newFlusher() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "cox-tensorboard-flusher");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
