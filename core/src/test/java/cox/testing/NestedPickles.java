package cox.testing;

import java.io.ByteArrayOutputStream;

/**
 * Pickles built opcode by opcode for the tests of values that expand when decoded (issue 17,
 * finding 4): a few hundred bytes that stand for more elements than memory holds.
 */
public final class NestedPickles {
    private NestedPickles() {
    }

    /**
     * The pickle Python writes for {@code a = [1]; for _ in range(levels): a = [a] * width} with
     * {@code pickle.dumps(a, protocol=2)}, opcode by opcode: each list is memoized (BINPUT) when
     * made, holds its first element in full and the others as BINGETs of the same memo entry.
     * {@code (25, 10)} gives 584 bytes that expand to 10<sup>25</sup> elements. Memo indexes are
     * one byte: {@code levels} below 255.
     */
    public static byte[] nestedSharedLists(int levels, int width) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80); // PROTO 2
        out.write(2);
        list(out, levels, width, new int[1]);
        out.write('.'); // STOP
        return out.toByteArray();
    }

    private static int list(ByteArrayOutputStream out, int level, int width, int[] nextMemo) {
        int memo = nextMemo[0]++;
        out.write(']'); // EMPTY_LIST
        out.write('q'); // BINPUT memo
        out.write(memo);
        if (level == 0) {
            out.write('K'); // BININT1 1
            out.write(1);
            out.write('a'); // APPEND
            return memo;
        }
        out.write('('); // MARK
        int child = list(out, level - 1, width, nextMemo);
        for (int i = 1; i < width; i++) {
            out.write('h'); // BINGET child
            out.write(child);
        }
        out.write('e'); // APPENDS
        return memo;
    }
}
