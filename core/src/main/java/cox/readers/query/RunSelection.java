package cox.readers.query;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.RunStatus;
import cox.readers.filter.RunFilter;
import cox.readers.summary.RunMetadata;
import cox.readers.summary.TypedColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses whole runs by their {@value CollectionReader#EXP_ID}, {@value RunQuery#STATUS} and
 * parameters, with the filter bound as {@link RunQuery} binds it (a bare word naming a parameter
 * is that parameter; a number parameter compared with text is refused): what {@code cox export
 * --where} and Spark's {@code where} option take, where one answer holds every table of a run, so
 * a row column or a table's summary has no single meaning. Stateless.
 */
public final class RunSelection {
    private RunSelection() {
    }

    /**
     * @param reader the runs (its directory and clock are used for {@value RunQuery#STATUS})
     * @param parameters each run's parameters, as {@link RunMetadata#of} gives them
     * @param ids the runs to choose among, in the order wanted
     * @param where the filter
     * @return the ids that pass, in the order of {@code ids}
     * @throws QueryException (part {@code where}) if the filter names something else than
     *     exp_id, status or a parameter, or compares a number parameter with text
     */
    public static List<String> select(CollectionReader reader, RunMetadata parameters, List<String> ids, RunFilter where) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(where, "where");
        Set<String> known = new LinkedHashSet<>();
        known.add(CollectionReader.EXP_ID);
        known.add(RunQuery.STATUS);
        known.addAll(parameters.columns());
        Set<String> numeric = new LinkedHashSet<>();
        for (String c : parameters.columns()) {
            if (TypedColumns.isNumeric(parameters.frame().getColumn(c))) {
                numeric.add(c);
            }
        }
        RunFilter bound;
        try {
            bound = where.bind(known, numeric);
        } catch (IllegalArgumentException e) {
            throw new QueryException("where", e.getMessage(), e);
        }
        for (String c : bound.columns()) {
            if (!known.contains(c)) {
                throw new QueryException("where", "'" + c + "' is neither exp_id, status nor a parameter ("
                        + (parameters.columns().isEmpty() ? "the runs have no " + parameters.table() + " table"
                        : "the parameters are " + String.join(", ", parameters.columns()))
                        + "): this filter chooses whole runs; filter rows after reading them");
            }
        }
        boolean status = bound.columns().contains(RunQuery.STATUS) && !parameters.columns().contains(RunQuery.STATUS);
        Instant now = reader.clock().instant();
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, Object> row = new LinkedHashMap<>(parameters.parameters(id));
            row.put(CollectionReader.EXP_ID, id);
            if (status) {
                row.put(RunQuery.STATUS, statusOf(reader, id, now));
            }
            if (bound.test(row)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The run's {@link RunStatus} label, {@code unreadable} if its files cannot be looked at. */
    static String statusOf(CollectionReader reader, String id, Instant now) {
        return statusOf(reader, id, now, cox.store.Store::isOpenForWriting);
    }

    /** As above, with a test of the writer lock made for many runs ({@link cox.store.Store#openForWritingProbe()}). */
    static String statusOf(CollectionReader reader, String id, Instant now, java.util.function.Predicate<java.nio.file.Path> locked) {
        try {
            return RunStatus.of(reader.directory().resolve(id), now, locked).label();
        } catch (CoxException e) {
            return "unreadable";
        }
    }
}
