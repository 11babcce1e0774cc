package cox.readers.text;

import cox.exceptions.ValueTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How far a decoded OBJECT or PICKLE value expands when it is printed or converted, and the
 * limits cox4j holds it to. A pickle may reference one container many times (Python's
 * {@code [a] * 10}); loading it keeps one copy, but printing it (Python's {@code repr}, cox4j's
 * {@link CellText}) or converting it to JSON ({@code cox sql}, {@code cox export}) writes every
 * reference out in full, so 25 levels of {@code [a] * 10}, a 600-byte pickle, would expand to
 * 10<sup>25</sup> elements. Every place that renders or converts a cell therefore counts
 * <em>elements</em> as the expanded tree has them (each container, key and value, a shared one
 * each time it is reached) and refuses a value with more than {@value #MAX_ELEMENTS}, or whose
 * text would be longer than {@value #MAX_TEXT_CHARS} characters (16 MiB), with a
 * {@link ValueTooLargeException} naming the limit.
 *
 * <p>{@link #check} measures without expanding: each distinct container is visited once and its
 * expanded size remembered, so the cost is that of the value as loaded (its pickle's size).
 * {@link cox.readers.CollectionReader} checks every cell it decodes, so that a run holding such a cell is a
 * read error naming the store, table, column and row (skipped with {@code skipErrors}); the
 * renderers check again on their own.
 *
 * <p>Stateless and thread-safe.
 */
public final class ValueExpansion {
    /** Most elements a value may expand to (containers, keys and values; shared ones counted each time). */
    public static final long MAX_ELEMENTS = 1_000_000;
    /** Most characters a value's text may have (16 MiB), in Python's notation or as JSON. */
    public static final long MAX_TEXT_CHARS = 16L << 20;

    private ValueExpansion() {
    }

    /**
     * Checks that {@code value} expands to at most {@value #MAX_ELEMENTS} elements and at least
     * as few characters as {@value #MAX_TEXT_CHARS} allows: the text of strings and the length of
     * bytes, summed over the expanded tree, each other value at least one character. A value
     * that contains itself expands without end and is refused too.
     *
     * @param value a decoded value (Map, Collection, Object[] for a tuple, String, byte[], numbers...)
     * @throws ValueTooLargeException if it expands beyond a limit; the message names it
     */
    public static void check(Object value) {
        if (!isContainer(value)) {
            checkChars(leafChars(value));
            return;
        }
        // iterative post-order over distinct containers; a shared one's expansion is reused
        IdentityHashMap<Object, long[]> done = new IdentityHashMap<>();
        IdentityHashMap<Object, Boolean> open = new IdentityHashMap<>();
        List<Object> stack = new ArrayList<>();
        List<Iterator<?>> iterators = new ArrayList<>();
        List<long[]> sums = new ArrayList<>();
        stack.add(value);
        iterators.add(children(value));
        sums.add(new long[] {1, 2});
        open.put(value, Boolean.TRUE);
        while (true) {
            int top = stack.size() - 1;
            Iterator<?> it = iterators.get(top);
            long[] sum = sums.get(top);
            if (it.hasNext()) {
                Object child = it.next();
                long[] size;
                if (!isContainer(child)) {
                    size = new long[] {1, leafChars(child)};
                } else if ((size = done.get(child)) == null) {
                    if (open.containsKey(child)) {
                        throw new ValueTooLargeException("the value contains itself, so it expands without end; cox4j renders"
                                + " and converts values of at most " + String.format("%,d", MAX_ELEMENTS) + " elements");
                    }
                    open.put(child, Boolean.TRUE);
                    stack.add(child);
                    iterators.add(children(child));
                    sums.add(new long[] {1, 2});
                    continue;
                }
                add(sum, size);
                continue;
            }
            Object finished = stack.remove(top);
            iterators.remove(top);
            sums.remove(top);
            open.remove(finished);
            if (top == 0) {
                return;
            }
            done.put(finished, sum);
            add(sums.get(top - 1), sum);
        }
    }

    /** Adds a child's expansion to its container's, refusing as soon as a limit is passed. */
    private static void add(long[] sum, long[] child) {
        sum[0] += child[0];
        sum[1] += child[1];
        if (sum[0] > MAX_ELEMENTS) {
            throw tooManyElements();
        }
        checkChars(sum[1]);
    }

    private static void checkChars(long chars) {
        if (chars > MAX_TEXT_CHARS) {
            throw tooLong();
        }
    }

    /**
     * @return the exception for a value of more than {@value #MAX_ELEMENTS} elements
     */
    static ValueTooLargeException tooManyElements() {
        return new ValueTooLargeException("the value expands to more than " + String.format("%,d", MAX_ELEMENTS)
                + " elements (containers, keys and values, a shared one counted each time it is reached, as printing it"
                + " would), the most cox4j renders or converts");
    }

    /**
     * @return the exception for a value whose text is longer than {@value #MAX_TEXT_CHARS} characters
     */
    static ValueTooLargeException tooLong() {
        return new ValueTooLargeException("the value's text is longer than " + String.format("%,d", MAX_TEXT_CHARS)
                + " characters (16 MiB, shared parts counted each time they are reached), the most cox4j renders or"
                + " converts");
    }

    /** The fewest characters a leaf's text has: a string's length, bytes' length, else 1. */
    private static long leafChars(Object leaf) {
        if (leaf instanceof String s) {
            return s.length();
        }
        if (leaf instanceof byte[] b) {
            return b.length;
        }
        return 1;
    }

    static boolean isContainer(Object o) {
        return o instanceof Map || o instanceof Collection || o instanceof Object[];
    }

    private static Iterator<?> children(Object o) {
        if (o instanceof Map<?, ?> m) {
            Iterator<? extends Map.Entry<?, ?>> entries = m.entrySet().iterator();
            return new Iterator<Object>() {
                private Map.Entry<?, ?> pending;

                @Override
                public boolean hasNext() {
                    return pending != null || entries.hasNext();
                }

                @Override
                public Object next() {
                    if (pending != null) {
                        Object v = pending.getValue();
                        pending = null;
                        return v;
                    }
                    pending = entries.next();
                    return pending.getKey();
                }
            };
        }
        if (o instanceof Collection<?> c) {
            return c.iterator();
        }
        return Arrays.asList((Object[]) o).iterator();
    }
}
