package cox.readers.summary;

/**
 * Which value of a metric is best: the least (a loss) or the greatest (an accuracy). Used by
 * {@link RunSummaries#bestRows} and {@code cox df --best COL[:min|max]}.
 */
public enum Goal {
    /** Smaller is better. */
    MIN,
    /** Greater is better. */
    MAX;

    /**
     * @param name {@code min} or {@code max}, in any case
     * @return the goal
     * @throws IllegalArgumentException for another name
     */
    public static Goal of(String name) {
        for (Goal g : values()) {
            if (g.name().equalsIgnoreCase(name.strip())) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown goal '" + name + "': expected min or max");
    }
}
