package cox.web;

import cox.readers.filter.FilterTypeException;
import cox.readers.filter.RunFilter;
import cox.readers.query.RunQuery;
import cox.readers.summary.Statistic;
import cox.store.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The page's filter of the runs table ({@code /api/runs}, {@code /api/filter}) bound to the names
 * of {@code docs/querying.md}, as {@code cox df --where} binds it: the run fields
 * ({@code exp_id}, {@code status}, {@code rows}, {@code short}, {@code last_write}), the parameters, and for each numeric column {@code C} of the table the run
 * summaries {@code C.first C.last C.min C.max C.mean C.best C.count} (and {@code C.at} when a step
 * is asked for). A bare column name {@code C} is {@code C.last}, as {@code cox df --summary}
 * reads it, whatever summary the page shows (so that {@code /api/groups} and {@code cox df}
 * keep the same runs).
 *
 * <p>A bare word that names one of these is that name ({@code loss.last < loss.first}); a number
 * name compared with text that is not a number is refused; a name that no run has is kept
 * (missing in every run) and reported in {@link #warnings()}, which the page shows. Immutable.
 *
 * @param filter the bound filter
 * @param warnings one line for each name no run has
 */
record RunsFilter(RunFilter filter, List<String> warnings) {
    RunsFilter {
        warnings = List.copyOf(warnings);
    }

    /**
     * @param parsed the filter as parsed
     * @param columns the parameters and numeric columns of the table over the runs
     * @param withStep whether {@code C.at} names a value (a step was asked for)
     * @return the filter bound to the names the runs have
     * @throws ApiError a 400 naming both sides when a number name is compared with text
     */
    static RunsFilter bind(RunFilter parsed, ColumnUnion columns, boolean withStep) {
        Set<String> names = new LinkedHashSet<>(RunQuery.RUN_FIELDS);
        Set<String> numeric = new LinkedHashSet<>();
        if (!columns.params.containsKey(RunQuery.ROWS)) {
            numeric.add(RunQuery.ROWS); // a parameter of that name hides the run field
        }
        columns.params.forEach((name, type) -> {
            names.add(name);
            if (type == ColumnType.INT || type == ColumnType.FLOAT) {
                numeric.add(name);
            }
        });
        for (String metric : columns.metrics.keySet()) {
            List<String> own = new ArrayList<>();
            own.add(metric);
            for (Statistic s : Statistic.values()) {
                own.add(s.label(metric));
            }
            if (withStep) {
                own.add(metric + ".at");
            }
            for (String n : own) {
                if (names.add(n) || !columns.params.containsKey(n)) {
                    numeric.add(n); // a parameter of the same name wins, and keeps its type
                }
            }
        }
        RunFilter bound;
        try {
            bound = parsed.bind(names, numeric);
        } catch (FilterTypeException e) {
            throw new ApiError(400, e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        for (String c : bound.columns()) {
            if (!names.contains(c) && columns.otherColumns.contains(c) && !columns.metrics.containsKey(c)) {
                throw new ApiError(400, "'" + c + "' is a text column of the table: the runs table summarizes the numeric"
                        + " columns, so filter it in the table of rows (cox df --last or without a reduction)");
            }
            if (!names.contains(c)) {
                warnings.add("the filter names '" + c + "', which no run has (the parameters are "
                        + (columns.params.isEmpty() ? "none" : String.join(", ", columns.params.keySet()))
                        + "; the run fields " + String.join(", ", names.stream().filter(RunQuery.RUN_FIELDS::contains).toList())
                        + "; and summaries such as "
                        + Statistic.LAST.label(columns.metrics.isEmpty() ? "loss" : columns.metrics.keySet().iterator().next())
                        + "): it is missing in every run");
            }
        }
        return new RunsFilter(bound, warnings);
    }
}
