package cox.store;

/**
 * How a {@link Store} opens its experiment, as the {@code mode} argument of Python cox's
 * {@code Store(storage_folder, exp_id, new, mode)}.
 */
public enum Mode {
    /** {@code "a"}: create the store if needed and append to its tables. */
    APPEND("a"),
    /** {@code "r"}: read only; the store's files are never written. */
    READ("r"),
    /** {@code "w"}: start the store's tables afresh, discarding what was there. */
    WRITE("w");

    private final String letter;

    Mode(String letter) {
        this.letter = letter;
    }

    /**
     * The one-letter spelling Python cox and pandas use.
     *
     * @return {@code "a"}, {@code "r"} or {@code "w"}
     */
    public String letter() {
        return letter;
    }

    /**
     * The mode spelled {@code letter}.
     *
     * @param letter {@code "a"}, {@code "r"} or {@code "w"}
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static Mode of(String letter) {
        for (Mode m : values()) {
            if (m.letter.equals(letter)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be 'a', 'r' or 'w': got '" + letter + "'");
    }
}
