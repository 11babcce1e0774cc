package cox.readers.summary;

import java.util.Locale;

/**
 * A per-run summary of a metric column, as {@code guild compare} and MLflow's runs table show
 * them: what {@link RunSummaries#summary} computes, {@code cox df --summary} prints and a filter
 * names as {@code COLUMN.STAT} ({@code val_acc.max}; see {@code docs/querying.md}). NaN and
 * missing cells are skipped by {@link #MIN}, {@link #MAX}, {@link #MEAN}, {@link #BEST} and
 * {@link #COUNT} (as pandas' {@code skipna}); {@link #FIRST} and {@link #LAST} are the first and
 * last logged values, NaN included (a run that diverged shows it).
 */
public enum Statistic {
    /** The value in the run's first row. */
    FIRST,
    /** The value in the run's last row: the latest logged value. */
    LAST,
    /** The least value. */
    MIN,
    /** The greatest value. */
    MAX,
    /** The arithmetic mean. */
    MEAN,
    /** {@link #MAX} if greater is better for the column ({@link Goal}), else {@link #MIN}. */
    BEST,
    /** How many numbers the run has in the column (NaN and missing cells not counted). */
    COUNT;

    /**
     * The name of the summary column of {@code column}: {@code loss.last}, {@code acc.min}.
     *
     * @param column a metric column
     * @return the column, a dot, then the statistic's name in lower case
     */
    public String label(String column) {
        return column + "." + label();
    }

    /** @return the statistic's name in lower case: {@code last}, {@code min}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code first}, {@code last}, {@code min}, {@code max}, {@code mean}, {@code best}
     *     or {@code count}, in any case
     * @return the statistic
     * @throws IllegalArgumentException for another name
     */
    public static Statistic of(String name) {
        for (Statistic s : values()) {
            if (s.name().equalsIgnoreCase(name.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown statistic '" + name + "': expected first, last, min, max, mean, best or count");
    }
}
