package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads pickles (protocols 0 to 5) into plain Java data, building only what its
 * {@link AllowList} allows; mirrors {@code pickle.loads} with a {@code find_class} that knows a
 * fixed list of names and a {@code persistent_load}.
 *
 * <p>Values: dict → {@code LinkedHashMap} (order kept; also {@code collections.OrderedDict}),
 * list → {@code ArrayList}, tuple → {@code Object[]}, set and frozenset → {@code LinkedHashSet},
 * str → {@code String}, bytes and bytearray → {@code byte[]}, int → {@code Long} or
 * {@code BigInteger} outside the long range, float → {@code Double}, bool → {@code Boolean},
 * None → {@code null}, a class or function used as a value → {@link PythonGlobal}, and whatever
 * the allow-list's reconstructors build.
 *
 * <p><b>Safe by construction.</b> A self-contained pickle machine: it never loads a Java class by
 * name. Every {@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST} and {@code OBJ} is checked
 * against the allow-list before anything else happens ({@code refused to load global os.system:
 * not on the allow-list}); calls are built only by the allow-list's reconstructors; a
 * {@code BUILD} only completes a {@link PendingValue} (or drops an OrderedDict's attributes).
 *
 * <p><b>Limits.</b> Lengths are checked against the remaining input before anything is
 * allocated; integers have at most {@value #MAX_INT_DIGITS} decimal digits, as in Python 3.11;
 * the result nests at most {@value #MAX_DEPTH} containers deep and may not contain itself (a
 * cyclic structure would break Java's {@code equals}/{@code hashCode}/{@code toString}), nor a
 * {@link PendingValue}. Every failure is an {@link UnpicklingException} naming the opcode and
 * offset.
 *
 * <p>Immutable and thread-safe: each load runs its own machine.
 */
public final class Unpickler {
    /** Deepest container nesting a loaded value may have. */
    public static final int MAX_DEPTH = 1000;
    /** Most decimal digits of a pickled integer (Python 3.11's default limit). */
    public static final int MAX_INT_DIGITS = 4300;

    private final AllowList allowList;

    /**
     * An unpickler that builds what {@code allowList} allows.
     *
     * @param allowList the globals pickles may name and call
     */
    public Unpickler(AllowList allowList) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
    }

    /**
     * Loads one pickle; bytes after its {@code STOP} are ignored, as Python does. Persistent ids
     * are refused.
     *
     * @param pickle the pickle
     * @return the value
     * @throws PickleSecurityException if it names or calls a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep
     */
    public Object loads(byte[] pickle) {
        return loads(pickle, null);
    }

    /**
     * Loads one pickle, resolving its persistent ids through {@code loader}.
     *
     * @param pickle the pickle
     * @param loader resolves persistent ids; null refuses them
     * @return the value
     * @throws PickleSecurityException if it names or calls a global outside the allow-list
     * @throws UnpicklingException if it is truncated, corrupt, too large or too deep, or the
     *     loader refuses an id
     */
    public Object loads(byte[] pickle, PersistentLoader loader) {
        Objects.requireNonNull(pickle, "pickle");
        PickleMachine m = new PickleMachine(pickle, allowList, loader);
        Object result;
        try {
            result = m.run();
        } catch (StackOverflowError e) {
            throw new UnpicklingException("pickle nests too deep to load (stack overflow at offset "
                    + m.opStart() + ")");
        } catch (ArithmeticException | IllegalArgumentException | ClassCastException e) {
            throw new UnpicklingException("corrupt pickle at offset " + m.opStart() + ": " + e.getMessage(), e);
        }
        checkResult(result);
        return result;
    }

    /** Iterative post-order walk: depth limit, no cycles, no pending values left over. */
    private static void checkResult(Object root) {
        IdentityHashMap<Object, Integer> height = new IdentityHashMap<>();
        final int inProgress = -1;
        ArrayList<Object> work = new ArrayList<>();
        ArrayList<Iterator<?>> iters = new ArrayList<>();
        if (!isContainer(root)) {
            checkLeaf(root);
            return;
        }
        work.add(root);
        iters.add(children(root));
        height.put(root, inProgress);
        while (!work.isEmpty()) {
            int top = work.size() - 1;
            Iterator<?> it = iters.get(top);
            if (it.hasNext()) {
                Object child = it.next();
                if (!isContainer(child)) {
                    checkLeaf(child);
                    continue;
                }
                Integer h = height.get(child);
                if (h == null) {
                    if (work.size() >= MAX_DEPTH) {
                        throw tooDeep();
                    }
                    height.put(child, inProgress);
                    work.add(child);
                    iters.add(children(child));
                } else if (h == inProgress) {
                    throw new UnpicklingException("pickle holds a container that contains itself;"
                            + " cyclic structures are not loaded");
                } else if (h + work.size() > MAX_DEPTH) {
                    throw tooDeep();
                }
            } else {
                Object done = work.remove(top);
                iters.remove(top);
                int h = 1;
                for (Iterator<?> c = children(done); c.hasNext(); ) {
                    Object child = c.next();
                    if (isContainer(child)) {
                        h = Math.max(h, height.get(child) + 1);
                    }
                }
                height.put(done, h);
            }
        }
    }

    private static UnpicklingException tooDeep() {
        return new UnpicklingException("pickle nests containers deeper than " + MAX_DEPTH + " levels");
    }

    private static boolean isContainer(Object o) {
        return o instanceof Map || o instanceof Collection || o instanceof Object[];
    }

    private static Iterator<?> children(Object o) {
        if (o instanceof Map<?, ?> m) {
            List<Object> all = new ArrayList<>(m.size() * 2);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                all.add(e.getKey());
                all.add(e.getValue());
            }
            return all.iterator();
        }
        if (o instanceof Collection<?> c) {
            return c.iterator();
        }
        return Arrays.asList((Object[]) o).iterator();
    }

    private static void checkLeaf(Object o) {
        if (o instanceof PendingValue p) {
            throw new UnpicklingException(p.whyUnfinished());
        }
    }
}
