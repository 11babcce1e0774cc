package cox.readers.summary;

import java.util.Locale;

/**
 * A per-run summary of a metric column, as {@code guild compare} and MLflow's runs table show
 * them: what {@link RunSummaries#summary} computes and {@code cox df --summary} prints. NaN and
 * missing cells are skipped by {@link #MIN}, {@link #MAX} and {@link #MEAN} (as pandas'
 * {@code skipna}); {@link #FIRST} and {@link #LAST} are the first and last logged values, NaN
 * included (a run that diverged shows it).
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
    MEAN;

    /**
     * The name of the summary column of {@code column}: {@code last(loss)}, {@code min(acc)}.
     *
     * @param column a metric column
     * @return the statistic's name in lower case, then the column in parentheses
     */
    public String label(String column) {
        return name().toLowerCase(Locale.ROOT) + "(" + column + ")";
    }

    /**
     * @param name {@code first}, {@code last}, {@code min}, {@code max} or {@code mean}, in any case
     * @return the statistic
     * @throws IllegalArgumentException for another name
     */
    public static Statistic of(String name) {
        for (Statistic s : values()) {
            if (s.name().equalsIgnoreCase(name.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown statistic '" + name + "': expected first, last, min, max or mean");
    }
}
