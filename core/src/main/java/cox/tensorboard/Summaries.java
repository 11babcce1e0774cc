package cox.tensorboard;

import cox.exceptions.CoxIOException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Value;
import cox.tensorboard.proto.HParamsProtos.DataType;
import cox.tensorboard.proto.HParamsProtos.Experiment;
import cox.tensorboard.proto.HParamsProtos.HParamInfo;
import cox.tensorboard.proto.HParamsProtos.HParamsPluginData;
import cox.tensorboard.proto.HParamsProtos.MetricInfo;
import cox.tensorboard.proto.HParamsProtos.MetricName;
import cox.tensorboard.proto.HParamsProtos.SessionEndInfo;
import cox.tensorboard.proto.HParamsProtos.SessionStartInfo;
import cox.tensorboard.proto.HParamsProtos.Status;
import cox.tensorboard.proto.SummaryProtos.HistogramProto;
import cox.tensorboard.proto.SummaryProtos.Summary;
import cox.tensorboard.proto.SummaryProtos.SummaryMetadata;
import cox.tensorboard.proto.TensorProtos.TensorProto;
import cox.tensorboard.proto.TensorProtos.TensorShapeProto;
import cox.tensorboard.proto.TextPluginProtos.TextPluginData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** The summaries tensorboardX's {@code summary.py} builds, built the same way. */
final class Summaries {
    static final String HPARAMS_PLUGIN = "hparams";
    static final String EXPERIMENT_TAG = "_hparams_/experiment";
    static final String SESSION_START_INFO_TAG = "_hparams_/session_start_info";
    static final String SESSION_END_INFO_TAG = "_hparams_/session_end_info";
    static final String TEXT_TAG_SUFFIX = "/text_summary";

    /** tensorboardX's {@code _INVALID_TAG_CHARACTERS}: anything but {@code - / \w .}. */
    private static final Pattern INVALID_TAG_CHARACTERS =
            Pattern.compile("[^-/\\w.]", Pattern.UNICODE_CHARACTER_CLASS);

    /**
     * tensorboardX's {@code default_bins}: ±1e-12 · 1.1^k up to 1e20, and 0. Computed by the
     * same repeated multiplication so every edge is bit-identical to Python's.
     */
    static final double[] DEFAULT_BIN_EDGES = defaultBinEdges();

    private Summaries() {}

    /**
     * tensorboardX's {@code _clean_tag}: characters outside {@code [-/\w.]} become {@code _},
     * leading slashes go. Applied, as there, to scalar, histogram and image tags.
     */
    static String cleanTag(String tag) {
        checkTag(tag);
        String cleaned = INVALID_TAG_CHARACTERS.matcher(tag).replaceAll("_");
        int start = 0;
        while (start < cleaned.length() && cleaned.charAt(start) == '/') {
            start++;
        }
        cleaned = cleaned.substring(start);
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException("tag \"" + tag + "\" is empty once its leading slashes are removed");
        }
        return cleaned;
    }

    static void checkTag(String tag) {
        if (tag == null) {
            throw new NullPointerException("tag is null");
        }
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("tag is empty");
        }
    }

    static Summary scalar(String cleanTag, float value) {
        return Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(cleanTag).setSimpleValue(value))
                .build();
    }

    /**
     * tensorboardX's {@code make_histogram} with its default bins: numpy's
     * {@code histogram(values, default_bins)}, trimmed to the buckets from the one before the
     * first non-empty to the last non-empty; {@code bucket_limit} holds right edges.
     */
    static Summary histogram(String tag, String cleanTag, double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("histogram \"" + tag + "\" has no values");
        }
        double[] edges = DEFAULT_BIN_EDGES;
        long[] counts = new long[edges.length - 1];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] squares = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("histogram \"" + tag + "\": values[" + i + "] is " + v
                        + "; histogram values must be finite");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            squares[i] = v * v;
            int bin = binOf(v + 0.0, edges); // + 0.0 makes -0.0 equal 0.0, as numpy compares
            if (bin >= 0) {
                counts[bin]++;
            }
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("histogram \"" + tag + "\": every value lies outside ±"
                    + edges[edges.length - 1] + ", the range of the default buckets");
        }
        HistogramProto.Builder histo = HistogramProto.newBuilder()
                .setMin(min)
                .setMax(max)
                .setNum(values.length)
                .setSum(numpySum(values, 0, values.length))
                .setSumSquares(numpySum(squares, 0, squares.length));
        // the bucket left of the first non-empty one is kept (empty) so its right edge, which is
        // the left edge of the data, is recorded; at first == 0 tensorboardX prepends a 0 count
        for (int k = first; k <= last + 1; k++) {
            histo.addBucketLimit(edges[k]);
            histo.addBucket(k == 0 ? 0 : counts[k - 1]);
        }
        return Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(cleanTag).setHisto(histo))
                .build();
    }

    /** numpy's bin: edges[i] <= v < edges[i+1], the last bin closed; -1 when outside. */
    private static int binOf(double v, double[] edges) {
        int last = edges.length - 1;
        if (v < edges[0] || v > edges[last]) {
            return -1;
        }
        int at = Arrays.binarySearch(edges, v);
        int bin = at >= 0 ? at : -at - 2;
        return Math.min(bin, last - 1);
    }

    /** numpy's pairwise summation, so {@code sum} matches {@code values.sum()} bit for bit. */
    static double numpySum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return numpySum(a, from, n2) + numpySum(a, from + n2, n - n2);
    }

    private static double[] defaultBinEdges() {
        List<Double> positive = new ArrayList<>();
        double v = 1e-12;
        while (v < 1e20) {
            positive.add(v);
            v *= 1.1;
        }
        int k = positive.size();
        double[] edges = new double[2 * k + 1];
        for (int i = 0; i < k; i++) {
            edges[k - 1 - i] = -positive.get(i);
            edges[k + 1 + i] = positive.get(i);
        }
        edges[k] = 0.0;
        return edges;
    }

    /** tensorboardX's {@code text}: a DT_STRING tensor of shape [1], plugin "text". */
    static Summary text(String tag, String text) {
        SummaryMetadata metadata = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder()
                        .setPluginName("text")
                        .setContent(TextPluginData.newBuilder().setVersion(0).build().toByteString()))
                .build();
        TensorProto tensor = TensorProto.newBuilder()
                .setDtype(cox.tensorboard.proto.TensorProtos.DataType.DT_STRING)
                .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .build();
        return Summary.newBuilder()
                .addValue(Summary.Value.newBuilder()
                        .setTag(tag + TEXT_TAG_SUFFIX)
                        .setMetadata(metadata)
                        .setTensor(tensor))
                .build();
    }

    /**
     * tensorboardX's {@code image}: PNG bytes, height, width and the channel count as
     * colorspace (1 grey, 3 RGB, 4 RGBA), plugin "images".
     */
    static Summary image(String tag, String cleanTag, BufferedImage image) {
        int channels;
        BufferedImage png;
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            channels = 1;
            png = image;
        } else if (image.getColorModel().hasAlpha()) {
            channels = 4;
            png = type == BufferedImage.TYPE_INT_ARGB || type == BufferedImage.TYPE_4BYTE_ABGR
                    ? image : redraw(image, BufferedImage.TYPE_INT_ARGB);
        } else {
            channels = 3;
            png = type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_3BYTE_BGR
                    ? image : redraw(image, BufferedImage.TYPE_INT_RGB);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(png, "png", bytes)) {
                throw new IllegalArgumentException("image \"" + tag + "\": no PNG writer for image type " + type);
            }
        } catch (IOException e) {
            throw new CoxIOException("image \"" + tag + "\": cannot encode PNG: " + e, e);
        }
        Summary.Image encoded = Summary.Image.newBuilder()
                .setHeight(image.getHeight())
                .setWidth(image.getWidth())
                .setColorspace(channels)
                .setEncodedImageString(ByteString.copyFrom(bytes.toByteArray()))
                .build();
        return Summary.newBuilder()
                .addValue(Summary.Value.newBuilder()
                        .setTag(cleanTag)
                        .setImage(encoded)
                        .setMetadata(plugin("images", ByteString.EMPTY)))
                .build();
    }

    private static BufferedImage redraw(BufferedImage image, int type) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * tensorboardX's {@code hparams}: the experiment, session-start and session-end summaries
     * of plugin "hparams", in that order. Strings become string values, booleans bool values,
     * numbers float64 values; a null value is skipped; anything else is listed with type UNSET.
     */
    static List<Summary> hparams(Map<String, ?> hparams, Map<String, Double> metrics) {
        SessionStartInfo.Builder start = SessionStartInfo.newBuilder();
        Experiment.Builder experiment = Experiment.newBuilder();
        for (Map.Entry<String, ?> e : hparams.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new NullPointerException("hparams has a null name");
            }
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            DataType type;
            if (v instanceof CharSequence) {
                start.putHparams(name, Value.newBuilder().setStringValue(v.toString()).build());
                type = DataType.DATA_TYPE_STRING;
            } else if (v instanceof Boolean) {
                start.putHparams(name, Value.newBuilder().setBoolValue((Boolean) v).build());
                type = DataType.DATA_TYPE_BOOL;
            } else if (v instanceof Number) {
                start.putHparams(name, Value.newBuilder().setNumberValue(((Number) v).doubleValue()).build());
                type = DataType.DATA_TYPE_FLOAT64;
            } else {
                type = DataType.DATA_TYPE_UNSET;
            }
            experiment.addHparamInfos(HParamInfo.newBuilder().setName(name).setType(type));
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey() == null) {
                throw new NullPointerException("metrics has a null name");
            }
            if (e.getValue() == null) {
                throw new NullPointerException("metric \"" + e.getKey() + "\" is null");
            }
            experiment.addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag(e.getKey())));
        }
        return List.of(
                hparamsSummary(EXPERIMENT_TAG, HParamsPluginData.newBuilder().setExperiment(experiment)),
                hparamsSummary(SESSION_START_INFO_TAG, HParamsPluginData.newBuilder().setSessionStartInfo(start)),
                hparamsSummary(SESSION_END_INFO_TAG, HParamsPluginData.newBuilder()
                        .setSessionEndInfo(SessionEndInfo.newBuilder().setStatus(Status.STATUS_SUCCESS))));
    }

    private static Summary hparamsSummary(String tag, HParamsPluginData.Builder content) {
        return Summary.newBuilder()
                .addValue(Summary.Value.newBuilder()
                        .setTag(tag)
                        .setMetadata(plugin(HPARAMS_PLUGIN, content.setVersion(0).build().toByteString())))
                .build();
    }

    private static SummaryMetadata plugin(String name, ByteString content) {
        return SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(name).setContent(content))
                .build();
    }

}
