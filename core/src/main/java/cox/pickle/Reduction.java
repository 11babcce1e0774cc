package cox.pickle;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A value written as a call: what Python's {@code __reduce__} returns. A {@link Pickler} writes
 * it as {@code callable(*args)} ({@code GLOBAL}, the arguments as a tuple, {@code REDUCE}), then
 * sets the dict items ({@code SETITEMS}) and the state ({@code BUILD}) if there are any, in
 * CPython's order; an unpickler rebuilds the value by calling {@code callable}. Immutable if its
 * arguments, state and items are.
 *
 * @param callable the class or function to call
 * @param args its positional arguments
 * @param state the object's state for {@code BUILD}, or null for none
 * @param dictItems key-value pairs to set on the result, in order (empty for none)
 */
public record Reduction(PythonGlobal callable, List<Object> args, Object state, Map<Object, Object> dictItems) {
    /**
     * Checks and copies its arguments (lists and maps may hold nulls: Python's None).
     *
     * @throws NullPointerException if {@code callable}, {@code args} or {@code dictItems} is null
     */
    public Reduction {
        Objects.requireNonNull(callable, "callable");
        args = Collections.unmodifiableList(Arrays.asList(args.toArray()));
        dictItems = Collections.unmodifiableMap(new LinkedHashMap<>(dictItems));
    }

    /**
     * {@code callable(*args)}, with no state or items.
     *
     * @param callable the class or function
     * @param args its positional arguments
     * @return the reduction
     */
    public static Reduction call(PythonGlobal callable, Object... args) {
        return new Reduction(callable, Arrays.asList(args), null, Map.of());
    }

    /**
     * This call, then {@code BUILD} with {@code state}.
     *
     * @param state the state, not null
     * @return a new reduction
     */
    public Reduction withState(Object state) {
        return new Reduction(callable, args, Objects.requireNonNull(state, "state"), dictItems);
    }

    /**
     * This call, then the result's items set to {@code items}, in their order.
     *
     * @param items key-value pairs
     * @return a new reduction
     */
    public Reduction withDictItems(Map<?, ?> items) {
        return new Reduction(callable, args, state, new LinkedHashMap<Object, Object>(items));
    }
}
