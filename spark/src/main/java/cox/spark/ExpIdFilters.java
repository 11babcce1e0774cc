package cox.spark;

import cox.readers.CollectionReader;
import org.apache.spark.sql.sources.AlwaysFalse;
import org.apache.spark.sql.sources.AlwaysTrue;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The filters Spark pushes that the scan answers exactly from a run's id alone, before any store
 * is opened: comparisons of {@code exp_id} with strings ({@code = <=> < <= > >= IN}, prefix,
 * suffix, substring), null tests, and {@code AND}/{@code OR}/{@code NOT} of those. Strings
 * compare as Spark compares them (UTF-8 bytes). A run's id is never null. Stateless.
 */
final class ExpIdFilters {
    private ExpIdFilters() {
    }

    /** @return whether {@link #test} answers {@code f} exactly */
    static boolean supports(Filter f) {
        if (f instanceof And a) {
            return supports(a.left()) && supports(a.right());
        }
        if (f instanceof Or o) {
            return supports(o.left()) && supports(o.right());
        }
        if (f instanceof Not n) {
            return supports(n.child());
        }
        if (f instanceof AlwaysTrue || f instanceof AlwaysFalse) {
            return true;
        }
        if (f instanceof IsNull x) {
            return isExpId(x.attribute());
        }
        if (f instanceof IsNotNull x) {
            return isExpId(x.attribute());
        }
        if (f instanceof EqualTo x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof EqualNullSafe x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof GreaterThan x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof GreaterThanOrEqual x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof LessThan x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof LessThanOrEqual x) {
            return isExpId(x.attribute()) && x.value() instanceof String;
        }
        if (f instanceof In x) {
            if (!isExpId(x.attribute())) {
                return false;
            }
            for (Object v : x.values()) {
                if (v != null && !(v instanceof String)) {
                    return false;
                }
            }
            return true;
        }
        if (f instanceof StringStartsWith x) {
            return isExpId(x.attribute());
        }
        if (f instanceof StringEndsWith x) {
            return isExpId(x.attribute());
        }
        if (f instanceof StringContains x) {
            return isExpId(x.attribute());
        }
        return false;
    }

    /**
     * Whether the rows of run {@code expId} can pass {@code f}; SQL's unknown (a comparison with
     * null) does not pass, as in a {@code WHERE}.
     *
     * @param f a filter {@link #supports} accepts
     */
    static boolean test(Filter f, String expId) {
        Boolean b = eval(f, expId);
        return b != null && b;
    }

    /** Three-valued: null is SQL's unknown. */
    private static Boolean eval(Filter f, String id) {
        if (f instanceof And a) {
            Boolean l = eval(a.left(), id);
            Boolean r = eval(a.right(), id);
            if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
                return false;
            }
            return l == null || r == null ? null : true;
        }
        if (f instanceof Or o) {
            Boolean l = eval(o.left(), id);
            Boolean r = eval(o.right(), id);
            if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
                return true;
            }
            return l == null || r == null ? null : false;
        }
        if (f instanceof Not n) {
            Boolean c = eval(n.child(), id);
            return c == null ? null : !c;
        }
        if (f instanceof AlwaysTrue) {
            return true;
        }
        if (f instanceof AlwaysFalse) {
            return false;
        }
        if (f instanceof IsNull) {
            return false;
        }
        if (f instanceof IsNotNull) {
            return true;
        }
        if (f instanceof EqualTo x) {
            return x.value() == null ? null : id.equals(x.value());
        }
        if (f instanceof EqualNullSafe x) {
            return id.equals(x.value());
        }
        if (f instanceof GreaterThan x) {
            return compare(id, x.value(), c -> c > 0);
        }
        if (f instanceof GreaterThanOrEqual x) {
            return compare(id, x.value(), c -> c >= 0);
        }
        if (f instanceof LessThan x) {
            return compare(id, x.value(), c -> c < 0);
        }
        if (f instanceof LessThanOrEqual x) {
            return compare(id, x.value(), c -> c <= 0);
        }
        if (f instanceof In x) {
            boolean sawNull = false;
            for (Object v : x.values()) {
                if (v == null) {
                    sawNull = true;
                } else if (id.equals(v)) {
                    return true;
                }
            }
            return sawNull ? null : false;
        }
        if (f instanceof StringStartsWith x) {
            return id.startsWith(x.value());
        }
        if (f instanceof StringEndsWith x) {
            return id.endsWith(x.value());
        }
        if (f instanceof StringContains x) {
            return id.contains(x.value());
        }
        throw new IllegalArgumentException("not a filter on " + CollectionReader.EXP_ID + " alone: " + f);
    }

    private static Boolean compare(String id, Object value, java.util.function.IntPredicate sign) {
        if (value == null) {
            return null;
        }
        return sign.test(UTF8String.fromString(id).compareTo(UTF8String.fromString((String) value)));
    }

    private static boolean isExpId(String attribute) {
        return CollectionReader.EXP_ID.equals(attribute);
    }
}
