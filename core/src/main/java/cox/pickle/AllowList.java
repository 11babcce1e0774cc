package cox.pickle;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The globals a pickle may name, and how those it may call are rebuilt: the whole of what an
 * {@link Unpickler} will construct. A pickle naming anything else is refused before anything is
 * built. Immutable and thread-safe; built with {@link #builder()} or extended from
 * {@link #plainData()}.
 *
 * <p>A global is either a <em>value</em> only (a class used as data, such as {@code float} in
 * cox's schemas, or {@code numpy.ndarray} passed to {@code _reconstruct}) or <em>callable</em>,
 * with the {@link Reconstructor} that builds the call's value.
 */
public final class AllowList {
    private static final AllowList PLAIN_DATA = PlainData.register(builder()).build();

    private final Set<PythonGlobal> values;
    private final Map<PythonGlobal, Reconstructor> calls;

    private AllowList(Builder b) {
        this.values = Set.copyOf(b.values);
        this.calls = Map.copyOf(b.calls);
    }

    /**
     * Plain Python data: the builtin types as values ({@code int float str bool bytes bytearray
     * list dict tuple set frozenset complex object}; Python 2's {@code __builtin__ long unicode}
     * included), and the calls pickles make for data: {@code builtins.set}, {@code frozenset},
     * {@code bytes}, {@code bytearray}, {@code _codecs.encode(str, 'latin1')} and
     * {@code collections.OrderedDict}. Nothing else: no numpy, no torch.
     *
     * @return the plain-data allow-list
     */
    public static AllowList plainData() {
        return PLAIN_DATA;
    }

    /**
     * An empty builder.
     *
     * @return a builder that allows nothing yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts with what this list allows.
     *
     * @return a new builder holding this list's entries
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.addAll(values);
        b.calls.putAll(calls);
        return b;
    }

    /** Whether a pickle may name {@code g} at all. */
    boolean allows(PythonGlobal g) {
        return values.contains(g) || calls.containsKey(g);
    }

    /** How a call of {@code g} is rebuilt, or null if {@code g} may not be called. */
    Reconstructor reconstructorOf(PythonGlobal g) {
        return calls.get(g);
    }

    /** Collects the entries of an {@link AllowList}; not thread-safe. */
    public static final class Builder {
        private final Set<PythonGlobal> values = new HashSet<>();
        private final Map<PythonGlobal, Reconstructor> calls = new HashMap<>();

        private Builder() {
        }

        /**
         * Lets pickles use {@code g} as a value (it loads as that {@link PythonGlobal}).
         *
         * @param g the global
         * @return this builder
         */
        public Builder allowValue(PythonGlobal g) {
            values.add(Objects.requireNonNull(g, "g"));
            return this;
        }

        /**
         * Lets pickles name and call {@code g}; {@code reconstructor} builds each call's value.
         *
         * @param g the global
         * @param reconstructor builds {@code g(*args)}
         * @return this builder
         * @throws IllegalArgumentException if {@code g} already has a reconstructor
         */
        public Builder allowCall(PythonGlobal g, Reconstructor reconstructor) {
            Objects.requireNonNull(g, "g");
            Objects.requireNonNull(reconstructor, "reconstructor");
            if (calls.putIfAbsent(g, reconstructor) != null) {
                throw new IllegalArgumentException(g + " has a reconstructor already");
            }
            return this;
        }

        /**
         * The allow-list of the entries added so far.
         *
         * @return a new immutable allow-list
         */
        public AllowList build() {
            return new AllowList(this);
        }
    }
}
