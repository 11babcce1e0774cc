package cox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dflib.DataFrame;

/**
 * Cell-for-cell equality of two frames, as the tests that read the same runs two ways (a local
 * folder and Jimfs, S3 or HDFS; a run and its pushed copy) need it: the same columns in the same
 * order, the same height, and every cell equal, doubles and floats by their bits (NaN, -0.0),
 * through maps, lists and arrays (an unpickled tuple).
 */
public final class SameCells {
    private SameCells() {
    }

    /**
     * Asserts that {@code actual} holds exactly the cells of {@code expected}.
     *
     * @param actual the frame read the other way
     * @param expected the frame read from the local folder
     * @param what names the frame in a failure
     */
    public static void assertSameFrame(DataFrame actual, DataFrame expected, String what) {
        assertThat(actual.getColumnsIndex().toArray()).as("%s: columns", what)
                .containsExactly(expected.getColumnsIndex().toArray());
        assertThat(actual.height()).as("%s: rows", what).isEqualTo(expected.height());
        for (String c : expected.getColumnsIndex().toArray()) {
            for (int r = 0; r < expected.height(); r++) {
                Object a = actual.getColumn(c).get(r);
                Object b = expected.getColumn(c).get(r);
                assertThat(same(a, b)).as("%s: column %s row %d: %s, expected %s", what, c, r, a, b).isTrue();
            }
        }
    }

    /**
     * Whether two cells are equal: doubles and floats by their bits, maps, lists and arrays element by element.
     *
     * @param a a cell
     * @param b another cell
     * @return whether they are the same value
     */
    public static boolean same(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y);
        }
        if (a instanceof Float x && b instanceof Float y) {
            return Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return same(x.toArray(), y.toArray());
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (!same(x[i], y[i])) {
                    return false;
                }
            }
            return true;
        }
        return Objects.deepEquals(a, b);
    }
}
