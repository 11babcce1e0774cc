package intruder;

/** Uses cox4j's internal pickle codec, which the module does not export. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println(cox.pickle.SafeUnpickler.loads(new byte[] {'N', '.'}));
    }
}
