package cox.readers.query;

import cox.readers.text.CellText;
import java.util.Comparator;

/**
 * The order of cells that {@code --sort}, the groups of {@code --group-by} and the page's tables
 * share: numbers by value (an INT and a FLOAT exactly), then text by its {@link CellText}; missing
 * cells and NaN always last, whichever the direction. Stateless.
 */
public final class CellOrder {
    /** Ascending, missing and NaN last. */
    public static final Comparator<Object> ASCENDING = (a, b) -> compare(a, b, false);

    private CellOrder() {
    }

    /**
     * @param a a cell
     * @param b another cell
     * @param descending whether greater values come first (missing and NaN still last)
     * @return negative, zero or positive as {@code a} comes before, with or after {@code b}
     */
    public static int compare(Object a, Object b, boolean descending) {
        boolean aLast = isBlank(a);
        boolean bLast = isBlank(b);
        if (aLast || bLast) {
            return Boolean.compare(aLast, bLast);
        }
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = x instanceof Long && y instanceof Long ? Long.compare((Long) x, (Long) y)
                    : Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof Number) {
            c = -1;
        } else if (b instanceof Number) {
            c = 1;
        } else {
            c = CellText.of(a).compareTo(CellText.of(b));
        }
        return descending ? -c : c;
    }

    /**
     * @param v a cell
     * @return whether it is missing (null) or NaN
     */
    public static boolean isBlank(Object v) {
        return v == null || (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
    }
}
