package cox.spark;

import cox.readers.text.CellText;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;
import org.dflib.BooleanSeries;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;

/**
 * One column of one run as a Spark {@link ColumnVector}, read in place from the run's DFLib
 * series (no copy): a table column, the run's {@code exp_id}, a parameter (the same value in
 * every row), or nothing (a column the run lacks: null in every row). Only the getters of the
 * vector's own type answer; Spark calls no other. Not thread-safe (a task's reader owns it).
 */
abstract class CellVector extends ColumnVector {
    CellVector(DataType type) {
        super(type);
    }

    /**
     * A vector of {@code type} over a table column.
     *
     * @throws IllegalArgumentException if the column's cells cannot be read as {@code type}
     */
    static CellVector of(Series<?> cells, DataType type, String where) {
        if (type.equals(DataTypes.StringType)) {
            return new Text(type, cells);
        }
        if (type.equals(DataTypes.LongType) && cells instanceof LongSeries s) {
            return new Longs(type, s);
        }
        if (type.equals(DataTypes.DoubleType) && cells instanceof DoubleSeries s) {
            return new Doubles(type, s);
        }
        if (type.equals(DataTypes.DoubleType) && cells instanceof LongSeries s) {
            return new LongsAsDoubles(type, s);
        }
        if (type.equals(DataTypes.BooleanType) && cells instanceof BooleanSeries s) {
            return new Booleans(type, s);
        }
        throw new IllegalArgumentException(where + " holds " + kind(cells) + " cells, which cannot be read as "
                + type.simpleString() + " (the schema given to spark.read().schema(...) does not fit)");
    }

    /**
     * A vector holding {@code value} (a cell of the run's metadata row, or its id) in every row;
     * null {@code value} gives a vector of nulls.
     *
     * @throws IllegalArgumentException if {@code value} cannot be read as {@code type}
     */
    static CellVector constant(Object value, DataType type, int rows, String where) {
        if (value == null) {
            return new Constant(type, null, rows);
        }
        if (type.equals(DataTypes.StringType)) {
            return new Constant(type, UTF8String.fromString(value instanceof String s ? s : CellText.of(value)), rows);
        }
        if (type.equals(DataTypes.LongType) && value instanceof Long) {
            return new Constant(type, value, rows);
        }
        if (type.equals(DataTypes.DoubleType) && (value instanceof Double || value instanceof Long)) {
            return new Constant(type, ((Number) value).doubleValue(), rows);
        }
        if (type.equals(DataTypes.BooleanType) && value instanceof Boolean) {
            return new Constant(type, value, rows);
        }
        throw new IllegalArgumentException(where + " is " + CellText.of(value) + " (" + value.getClass().getSimpleName()
                + "), which cannot be read as " + type.simpleString()
                + " (the schema given to spark.read().schema(...) does not fit)");
    }

    private static String kind(Series<?> s) {
        return s instanceof LongSeries ? "int" : s instanceof DoubleSeries ? "float" : s instanceof BooleanSeries ? "bool"
                : "text";
    }

    @Override
    public void close() {
        // the cells belong to the run's data frame, which the garbage collector frees
    }

    @Override
    public boolean hasNull() {
        return false;
    }

    @Override
    public int numNulls() {
        return 0;
    }

    @Override
    public boolean isNullAt(int rowId) {
        return false;
    }

    @Override
    public boolean getBoolean(int rowId) {
        throw unsupported();
    }

    @Override
    public byte getByte(int rowId) {
        throw unsupported();
    }

    @Override
    public short getShort(int rowId) {
        throw unsupported();
    }

    @Override
    public int getInt(int rowId) {
        throw unsupported();
    }

    @Override
    public long getLong(int rowId) {
        throw unsupported();
    }

    @Override
    public float getFloat(int rowId) {
        throw unsupported();
    }

    @Override
    public double getDouble(int rowId) {
        throw unsupported();
    }

    @Override
    public ColumnarArray getArray(int rowId) {
        throw unsupported();
    }

    @Override
    public ColumnarMap getMap(int rowId) {
        throw unsupported();
    }

    @Override
    public Decimal getDecimal(int rowId, int precision, int scale) {
        throw unsupported();
    }

    @Override
    public UTF8String getUTF8String(int rowId) {
        throw unsupported();
    }

    @Override
    public byte[] getBinary(int rowId) {
        throw unsupported();
    }

    @Override
    public ColumnVector getChild(int ordinal) {
        throw unsupported();
    }

    private UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a cox column of type " + dataType().simpleString()
                + " was read as another type");
    }

    private static final class Longs extends CellVector {
        private final LongSeries cells;

        Longs(DataType type, LongSeries cells) {
            super(type);
            this.cells = cells;
        }

        @Override
        public long getLong(int rowId) {
            return cells.getLong(rowId);
        }
    }

    private static final class Doubles extends CellVector {
        private final DoubleSeries cells;

        Doubles(DataType type, DoubleSeries cells) {
            super(type);
            this.cells = cells;
        }

        @Override
        public double getDouble(int rowId) {
            return cells.getDouble(rowId);
        }
    }

    /** An INT column of a run in a column other runs have as FLOAT (cox's merge). */
    private static final class LongsAsDoubles extends CellVector {
        private final LongSeries cells;

        LongsAsDoubles(DataType type, LongSeries cells) {
            super(type);
            this.cells = cells;
        }

        @Override
        public double getDouble(int rowId) {
            return cells.getLong(rowId);
        }
    }

    private static final class Booleans extends CellVector {
        private final BooleanSeries cells;

        Booleans(DataType type, BooleanSeries cells) {
            super(type);
            this.cells = cells;
        }

        @Override
        public boolean getBoolean(int rowId) {
            return cells.getBool(rowId);
        }
    }

    /** Text cells: a STR or object column, or another column read as text (Python's str() of each cell). */
    private static final class Text extends CellVector {
        private final Series<?> cells;

        Text(DataType type, Series<?> cells) {
            super(type);
            this.cells = cells;
        }

        @Override
        public boolean hasNull() {
            return numNulls() > 0;
        }

        @Override
        public int numNulls() {
            int n = 0;
            for (int i = 0, size = cells.size(); i < size; i++) {
                n += cells.get(i) == null ? 1 : 0;
            }
            return n;
        }

        @Override
        public boolean isNullAt(int rowId) {
            return cells.get(rowId) == null;
        }

        @Override
        public UTF8String getUTF8String(int rowId) {
            Object v = cells.get(rowId);
            if (v == null) {
                return null;
            }
            return UTF8String.fromString(v instanceof String s ? s : CellText.of(v));
        }
    }

    /** The same cell in every row: the run's id or one of its parameters; all nulls when {@code value} is null. */
    private static final class Constant extends CellVector {
        private final Object value;
        private final int rows;

        Constant(DataType type, Object value, int rows) {
            super(type);
            this.value = value;
            this.rows = rows;
        }

        @Override
        public boolean hasNull() {
            return value == null;
        }

        @Override
        public int numNulls() {
            return value == null ? rows : 0;
        }

        @Override
        public boolean isNullAt(int rowId) {
            return value == null;
        }

        @Override
        public boolean getBoolean(int rowId) {
            return (Boolean) value;
        }

        @Override
        public long getLong(int rowId) {
            return (Long) value;
        }

        @Override
        public double getDouble(int rowId) {
            return (Double) value;
        }

        @Override
        public UTF8String getUTF8String(int rowId) {
            return (UTF8String) value;
        }
    }
}
