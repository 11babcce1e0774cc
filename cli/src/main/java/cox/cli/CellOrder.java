package cox.cli;

import cox.readers.text.CellText;

/**
 * The order of {@code --sort}: numbers by value, then text by its {@link CellText}; missing cells
 * and NaN always last, whichever the direction.
 */
final class CellOrder {
    private CellOrder() {
    }

    static int compare(Object a, Object b, boolean descending) {
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

    private static boolean isBlank(Object v) {
        return v == null || (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
    }
}
