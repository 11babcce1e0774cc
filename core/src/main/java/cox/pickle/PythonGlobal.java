package cox.pickle;

import java.util.Objects;

/**
 * A Python class or function used as a plain value in a pickle, e.g. the column types in cox's
 * {@code COX_DATA} attribute ({@code {'schema': {'lr': <class 'float'>}}}). Python 2's module
 * {@code __builtin__} is normalised to {@code builtins}, and Python 2's {@code long} and
 * {@code unicode} to {@code int} and {@code str}, as Python 3's unpickler does. Immutable.
 *
 * @param module the module, e.g. {@code builtins}
 * @param name the qualified name inside the module, e.g. {@code float}
 */
public record PythonGlobal(String module, String name) {
    /** {@code builtins.float}. */
    public static final PythonGlobal FLOAT = new PythonGlobal("builtins", "float");
    /** {@code builtins.int} (Python 2's {@code long}). */
    public static final PythonGlobal INT = new PythonGlobal("builtins", "int");
    /** {@code builtins.str} (Python 2's {@code unicode}). */
    public static final PythonGlobal STR = new PythonGlobal("builtins", "str");
    /** {@code builtins.bool}. */
    public static final PythonGlobal BOOL = new PythonGlobal("builtins", "bool");

    /** Normalises Python 2 spellings; rejects null or empty parts. */
    public PythonGlobal {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
        if (module.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("empty module or name: '" + module + "." + name + "'");
        }
        if (module.equals("__builtin__")) {
            module = "builtins";
            if (name.equals("long")) {
                name = "int";
            } else if (name.equals("unicode") || name.equals("basestring")) {
                name = "str";
            }
        }
    }

    /** {@code module.name}. */
    @Override
    public String toString() {
        return module + "." + name;
    }
}
