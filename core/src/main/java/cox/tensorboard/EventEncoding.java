package cox.tensorboard;

import cox.tensorboard.proto.EventProtos.Event;
import cox.tensorboard.proto.SummaryProtos.Summary;

/** Serialized {@code Event}s and the varint arithmetic of the hand-encoded scalar path. */
final class EventEncoding {
    /** What TensorBoard expects in the first event of every file. */
    static final String FILE_VERSION = "brain.Event:2";

    private EventEncoding() {}

    static byte[] fileVersionEvent(double wallTime) {
        return Event.newBuilder().setWallTime(wallTime).setFileVersion(FILE_VERSION).build().toByteArray();
    }

    static byte[] summaryEvent(Summary summary, long step, double wallTime) {
        return Event.newBuilder().setWallTime(wallTime).setStep(step).setSummary(summary).build().toByteArray();
    }

    /** Bytes of {@code value} as a protobuf varint (a negative int64 takes ten). */
    static int varintSize(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /** Writes {@code value} as a varint at {@code p}; returns the position after it. */
    static int putVarint(byte[] b, int p, long value) {
        while ((value & ~0x7FL) != 0) {
            b[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        b[p++] = (byte) value;
        return p;
    }
}
