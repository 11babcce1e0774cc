package cox.store.hdf5;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * What was parsed from bytes seen before, by those exact bytes. The stores of a sweep repeat the
 * same pandas attributes, row types and table descriptions byte for byte, so each distinct one is
 * parsed once per JVM rather than once per store: a hit returns what parsing the same bytes
 * returned, and only what parsing is a function of the bytes alone (never of where they sit in
 * the file) is kept. Values must be immutable. Nothing is kept of bytes that fail to parse.
 *
 * <p>Bounded: a cache that grows past its limit of entries or of key bytes is emptied. The three
 * caches hold at most 2.5 MiB of message bytes, values about as large (an attribute's value is part
 * of its message), and 1,024 table descriptions of attributes those hold. Thread-safe.
 *
 * @param <K> the key: message bytes, or what stands for them ({@link FrameTable.Key})
 * @param <V> what the bytes parse to
 */
final class ParseCache<K, V> {
    /** Attribute messages to what they hold, the value's address relative to the message's data. */
    static final ParseCache<ByteBuffer, Attribute> ATTRIBUTES = bytes(4096, 2L << 20);
    /** Datatype messages of a dataset to the type. */
    static final ParseCache<ByteBuffer, Datatype> ROW_TYPES = bytes(256, 512L << 10);
    /**
     * A frame table's name, attributes and row type to its description. Its keys hold the
     * attributes and row types the two caches above returned (by identity), so emptying either of
     * those empties this one too: a key no later parse can match is never kept.
     */
    static final ParseCache<FrameTable.Key, FrameTable> TABLES = new ParseCache<>(1024, Long.MAX_VALUE,
            UnaryOperator.identity(), k -> 0);

    private final int maxEntries;
    private final long maxBytes;
    private final UnaryOperator<K> keep;
    private final ToIntFunction<K> weight;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    private ParseCache(int maxEntries, long maxBytes, UnaryOperator<K> keep, ToIntFunction<K> weight) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.weight = weight;
    }

    /** A cache keyed by the bytes of a buffer from its position to its limit (copied when kept). */
    private static <V> ParseCache<ByteBuffer, V> bytes(int maxEntries, long maxBytes) {
        return new ParseCache<>(maxEntries, maxBytes, b -> {
            byte[] copy = new byte[b.remaining()];
            b.get(b.position(), copy);
            return ByteBuffer.wrap(copy).asReadOnlyBuffer();
        }, ByteBuffer::remaining);
    }

    /**
     * @param key the key (bytes: from the buffer's position to its limit); not kept, not changed
     * @return what it parsed to, or null if it was not seen (or was dropped since)
     */
    V get(K key) {
        return map.get(key);
    }

    /**
     * Keeps what {@code key} parsed to (a buffer's bytes are copied, the buffer is not kept).
     *
     * @param key the key
     * @param value what it parses to, immutable
     */
    void put(K key, V value) {
        int n = weight.applyAsInt(key);
        if (map.size() >= maxEntries || bytes.get() + n > maxBytes) {
            clear();
        }
        if (map.putIfAbsent(keep.apply(key), value) == null) {
            bytes.addAndGet(n);
        }
    }

    /** Forgets everything (and, for the attribute and row-type caches, every table description). */
    void clear() {
        map.clear();
        bytes.set(0);
        if (this != TABLES) {
            TABLES.clear();
        }
    }

    /** @return how many keys are kept */
    int size() {
        return map.size();
    }
}
