package cox.pickle;

/**
 * A pickle refused because it names a Python global (through {@code GLOBAL},
 * {@code STACK_GLOBAL}, {@code INST} or {@code OBJ}) outside {@link SafeUnpickler}'s allow-list,
 * or calls an allowed one in a way that could do more than build data. The message names the
 * global, e.g. {@code refused to load global os.system: not on the allow-list}.
 */
public class PickleSecurityException extends UnpicklingException {
    private static final long serialVersionUID = 1L;

    /** With a message naming the refused global. */
    public PickleSecurityException(String message) {
        super(message);
    }
}
