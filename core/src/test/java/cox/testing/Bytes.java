package cox.testing;

/** Finding bytes in a file's bytes, for tests that change one value where it lies. */
public final class Bytes {
    private Bytes() {
    }

    /**
     * @param hay the bytes searched
     * @param needle the bytes looked for
     * @return where {@code needle} first starts in {@code hay}, or -1
     */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
