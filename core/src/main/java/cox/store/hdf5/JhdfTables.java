package cox.store.hdf5;

import cox.exceptions.CoxException;
import cox.exceptions.StoreFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads, with jHDF, the frame tables that cox4j's own parser does not cover: tables whose rows are
 * compressed (a filter pipeline) or stored with another layout or chunk index, and whole files in
 * HDF5's newer formats. jHDF hands over the rows' bytes; cox4j decodes them with the table's
 * layout, as it does its own. Everything jHDF throws becomes a {@link StoreFormatException} naming
 * the file.
 *
 * <p>jHDF allocates what a file claims (a chunk's inflated bytes, an LZ4 block's size), so nothing
 * reaches it unchecked: a table's chunk shape must be one PyTables could have chosen
 * ({@link FormatLimits#chunkShapeProblem}), its filters must be ones whose output cox4j can bound
 * (deflate, shuffle, fletcher32), and every chunk a read touches is inflated once, counting, and
 * refused if it holds more than its chunk's bytes, before jHDF inflates it.
 */
final class JhdfTables {
    /** HDF5's filter ids for deflate, shuffle and fletcher32: the filters whose output cox4j bounds. */
    static final int DEFLATE = 1;
    private static final Set<Integer> BOUNDED_FILTERS = Set.of(DEFLATE, 2, 3);

    private JhdfTables() {
    }

    /**
     * A frame table found by jHDF.
     *
     * @param frame what the table is
     * @param rows its rows
     */
    record Table(FrameTable frame, long rows) {
    }

    /** The frame tables of {@code file}, read entirely with jHDF. */
    static Map<String, Table> list(Path file, FileBytes f) {
        try (HdfFile h = open(file, f)) {
            Map<String, Table> out = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : h.getChildren().entrySet()) {
                if (!(e.getValue() instanceof Group g)) {
                    continue;
                }
                String name = e.getKey();
                String what = "table '" + name + "'";
                Map<String, Attribute> groupAttributes = attributes(g);
                if (!"frame_table".equals(FrameTable.text(groupAttributes, "pandas_type", f, what))) {
                    continue;
                }
                Node data = g.getChild("table");
                if (!(data instanceof Dataset ds) || !(ds.getDataType() instanceof CompoundDataType ct)) {
                    throw f.error(what + ": group /" + name + " has pandas_type 'frame_table' but no table dataset");
                }
                Datatype.Compound rowType = (Datatype.Compound) convert(ct, f, what);
                FrameTable frame = FrameTable.describe(name, groupAttributes, attributes(ds), rowType, f, what);
                long[] dims = ds.getDimensionsAsLong();
                if (dims.length != 1) {
                    throw f.error(what + " is not one-dimensional");
                }
                checkChunks(ds, file, what, rowType.size(), dims[0]);
                out.put(name, new Table(frame, dims[0]));
            }
            return out;
        } catch (CoxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreFormatException(cox.io.Locations.text(file) + ": jHDF cannot read it: " + e, e);
        }
    }

    /** Rows {@code [start, start + count)} of table {@code name}, decoded with {@code frame}'s layout. */
    static Object[] read(Path file, FileBytes f, String name, FrameTable frame, long start, int count) {
        try (HdfFile h = open(file, f)) {
            Node n = h.getByPath("/" + name + "/table");
            if (!(n instanceof DatasetBase ds)) {
                throw new StoreFormatException(cox.io.Locations.text(file) + ": table '" + name + "' has no dataset jHDF can read");
            }
            String what = "table '" + name + "'";
            long extent = ds.getDimensionsAsLong()[0];
            long chunkRows = checkChunks(ds, file, what, frame.layout.rowSize, extent);
            if (count > 0 && chunkRows > 0) {
                checkInflatedSizes((ChunkedDataset) ds, file, what, frame.layout.rowSize, chunkRows, start, count);
            }
            byte[] bytes = new byte[Math.multiplyExact(count, frame.layout.rowSize)];
            if (count > 0) {
                ByteBuffer b = ds.getSliceDataBuffer(new long[] {start}, new int[] {count});
                if (b.remaining() < bytes.length) {
                    throw new StoreFormatException(cox.io.Locations.text(file) + ": table '" + name + "': jHDF read " + b.remaining()
                            + " bytes for " + count + " rows of " + frame.layout.rowSize);
                }
                b.get(bytes);
            }
            return RowCodec.decode(frame.layout, frame.columns, bytes, count);
        } catch (CoxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreFormatException(cox.io.Locations.text(file) + ": table '" + name + "': jHDF cannot read its rows: " + e, e);
        }
    }

    /**
     * jHDF's view of {@code file}: a local file is opened by path (jHDF maps it); a file of another
     * file system is handed over as its bytes ({@link FileBytes#whole}), read once, as jHDF's own
     * opening would need a {@code FileChannel}.
     */
    private static HdfFile open(Path file, FileBytes f) {
        if (cox.io.PositionalInputs.isLocal(file)) {
            return new HdfFile(file);
        }
        return HdfFile.fromByteBuffer(f.whole());
    }

    /**
     * Checks a chunked dataset's chunk shape and filters before jHDF reads it.
     *
     * @return its rows per chunk, or 0 if it is not chunked
     * @throws StoreFormatException naming the file, the table, what it claims and what is allowed
     */
    private static long checkChunks(Dataset ds, Path file, String what, int rowSize, long extent) {
        if (!(ds instanceof ChunkedDataset cd)) {
            return 0;
        }
        int[] chunkDims = cd.getChunkDimensions();
        if (chunkDims.length < 1) {
            throw new StoreFormatException(cox.io.Locations.text(file) + ": " + what + " has a chunk shape of no dimensions");
        }
        long chunkRows = Integer.toUnsignedLong(chunkDims[0]);
        String problem = FormatLimits.chunkShapeProblem(chunkRows, rowSize, extent);
        if (problem != null) {
            throw new StoreFormatException(cox.io.Locations.text(file) + ": " + what + " has " + problem);
        }
        for (PipelineFilterWithData filter : cd.getFilters()) {
            if (!BOUNDED_FILTERS.contains(filter.getId())) {
                throw new StoreFormatException(cox.io.Locations.text(file) + ": " + what + " is stored with the filter " + filter.getName()
                        + " (id " + filter.getId() + "), which cox4j does not read: it reads tables compressed with"
                        + " deflate (zlib), with or without shuffle and fletcher32");
            }
        }
        return chunkRows;
    }

    /**
     * Inflates, counting and keeping nothing, each deflated chunk that rows {@code [start, start +
     * count)} touch: a chunk that inflates to more than its rows' bytes is refused before jHDF would
     * inflate it whole into memory.
     */
    private static void checkInflatedSizes(ChunkedDataset ds, Path file, String what, int rowSize, long chunkRows,
            long start, int count) {
        boolean deflated = false;
        for (PipelineFilterWithData filter : ds.getFilters()) {
            deflated |= filter.getId() == DEFLATE;
        }
        if (!deflated) {
            return;
        }
        long chunkBytes = chunkRows * rowSize;
        byte[] in = new byte[1 << 16];
        byte[] sink = new byte[1 << 16];
        for (long c = start / chunkRows; c <= (start + count - 1) / chunkRows; c++) {
            long row = c * chunkRows;
            ByteBuffer raw = ds.getRawChunkBuffer(new int[] {Math.toIntExact(row)});
            Inflater inflater = new Inflater();
            try {
                long out = 0;
                while (!inflater.finished() && out <= chunkBytes) {
                    if (inflater.needsInput()) {
                        if (!raw.hasRemaining()) {
                            break; // cut short: jHDF says so
                        }
                        int n = Math.min(in.length, raw.remaining());
                        raw.get(in, 0, n);
                        inflater.setInput(in, 0, n);
                    }
                    int got = inflater.inflate(sink);
                    if (got == 0 && (inflater.needsDictionary() || (!inflater.needsInput() && !inflater.finished()))) {
                        break;
                    }
                    out += got;
                }
                if (out > chunkBytes) {
                    throw new StoreFormatException(cox.io.Locations.text(file) + ": " + what + ": its compressed chunk at row " + row
                            + " inflates to more than the " + chunkBytes + " bytes of its " + chunkRows + " rows of "
                            + rowSize + " bytes");
                }
            } catch (DataFormatException e) {
                // not a deflate stream: jHDF reports it
            } finally {
                inflater.end();
            }
        }
    }

    private static Map<String, Attribute> attributes(Node node) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, io.jhdf.api.Attribute> e : node.getAttributes().entrySet()) {
            io.jhdf.api.Attribute a = e.getValue();
            DataType t = a.getDataType();
            Datatype type;
            if (t instanceof StringData s) {
                type = new Datatype.StringType(s.getSize(), 0, s.getCharset().equals(StandardCharsets.UTF_8));
            } else if (t instanceof FixedPoint fp) {
                type = new Datatype.FixedPoint(fp.getSize(), fp.isSigned(), fp.getByteOrder() == ByteOrder.BIG_ENDIAN);
            } else {
                continue; // only strings and integers are read from attributes
            }
            if (a.isEmpty()) {
                out.put(e.getKey(), new Attribute(e.getKey(), type, Dataspace.NULL_SPACE, new byte[0], -1));
                continue;
            }
            ByteBuffer b = a.getBuffer();
            byte[] data = new byte[b.remaining()];
            b.duplicate().get(data);
            out.put(e.getKey(), new Attribute(e.getKey(), type,
                    a.isScalar() ? Dataspace.SCALAR_SPACE : new Dataspace(Dataspace.SIMPLE, a.getDimensionsAsLong(), null),
                    data, -1));
        }
        return out;
    }

    private static Datatype convert(DataType t, FileBytes f, String what) {
        if (t instanceof CompoundDataType c) {
            List<Datatype.Member> members = new ArrayList<>();
            for (CompoundDataType.CompoundDataMember m : c.getMembers()) {
                members.add(new Datatype.Member(m.getName(), m.getOffset(), convert(m.getDataType(), f, what)));
            }
            return new Datatype.Compound(c.getSize(), members);
        }
        if (t instanceof ArrayDataType a) {
            return new Datatype.ArrayType(convert(a.getBaseType(), f, what), a.getArrayTypeDimensions());
        }
        if (t instanceof FixedPoint fp) {
            return new Datatype.FixedPoint(fp.getSize(), fp.isSigned(), fp.getByteOrder() == ByteOrder.BIG_ENDIAN);
        }
        if (t instanceof FloatingPoint fp) {
            boolean ieee = (fp.getSize() == 8 && fp.getExponentSize() == 11 && fp.getMantissaSize() == 52)
                    || (fp.getSize() == 4 && fp.getExponentSize() == 8 && fp.getMantissaSize() == 23);
            return new Datatype.FloatingPoint(fp.getSize(), fp.getByteOrder() == ByteOrder.BIG_ENDIAN, ieee);
        }
        if (t instanceof StringData s) {
            return new Datatype.StringType(s.getSize(), 0, s.getCharset().equals(StandardCharsets.UTF_8));
        }
        if (t instanceof BitField b) {
            return new Datatype.Bitfield(b.getSize(), b.getByteOrder() == ByteOrder.BIG_ENDIAN);
        }
        return new Datatype.Other(t.getDataClass(), t.getSize(), new byte[0]);
    }
}
