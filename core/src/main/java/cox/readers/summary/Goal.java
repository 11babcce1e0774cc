package cox.readers.summary;

import java.util.Locale;

/**
 * Which value of a metric is best: the least (a loss) or the greatest (an accuracy). Used by
 * {@link RunSummaries#bestRows}, {@link Statistic#BEST} and {@code cox df --best COL[:min|max]}.
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

    /**
     * The goal of a metric guessed from its name, as people name metrics: a name containing
     * {@code loss}, {@code err} or {@code perplex} is minimised; one containing {@code acc},
     * {@code prec}, {@code recall}, {@code f1}, {@code auc}, {@code score}, {@code reward},
     * {@code return}, {@code iou}, {@code bleu}, {@code map}, {@code top1}, {@code top5} or
     * {@code correct} is maximised; anything else is minimised. Case does not matter.
     *
     * @param column a column name
     * @return the goal its name suggests
     */
    public static Goal guess(String column) {
        String m = column.toLowerCase(Locale.ROOT);
        if (m.contains("loss") || m.contains("err") || m.contains("perplex")) {
            return MIN;
        }
        for (String up : MAXIMISED) {
            if (m.contains(up)) {
                return MAX;
            }
        }
        return MIN;
    }

    private static final String[] MAXIMISED = {"acc", "prec", "recall", "f1", "auc", "score", "reward", "return", "iou",
        "bleu", "map", "top1", "top5", "correct"};
}
