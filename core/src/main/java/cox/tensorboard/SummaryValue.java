package cox.tensorboard;

import java.util.List;
import java.util.Objects;

/**
 * One {@code Summary.Value} of an event, by kind. Immutable and thread-safe.
 *
 * <p>Every kind carries the value's tag and the name of the TensorBoard plugin its metadata
 * names ({@code ""} when it names none; tensorboardX writes {@code "text"} for text,
 * {@code "images"} for images and {@code "hparams"} for hyper-parameters).
 */
public sealed interface SummaryValue {
    /**
     * The tag TensorBoard groups the value under.
     *
     * @return {@code Summary.Value.tag}
     */
    String tag();

    /**
     * The plugin that owns the value.
     *
     * @return {@code Summary.Value.metadata.plugin_data.plugin_name}, or {@code ""}
     */
    String pluginName();

    /**
     * A scalar ({@code simple_value}), as tensorboardX's {@code add_scalar} writes it.
     *
     * @param tag the tag
     * @param pluginName the plugin name, usually {@code ""}
     * @param value the value, a 32-bit float on disk
     */
    record Scalar(String tag, String pluginName, float value) implements SummaryValue {}

    /**
     * A histogram ({@code HistogramProto}), as tensorboardX's {@code add_histogram} writes it.
     * Bucket {@code i} counts the values up to {@code bucketLimits.get(i)} and above the
     * previous limit.
     *
     * @param tag the tag
     * @param pluginName the plugin name, usually {@code ""}
     * @param min the smallest value
     * @param max the largest value
     * @param num how many values
     * @param sum their sum
     * @param sumSquares the sum of their squares
     * @param bucketLimits the right edges of the buckets
     * @param bucketCounts the counts of the buckets, as many as limits
     */
    record Histogram(String tag, String pluginName, double min, double max, double num, double sum,
            double sumSquares, List<Double> bucketLimits, List<Double> bucketCounts) implements SummaryValue {
        /**
         * Copies the bucket lists.
         *
         * @param tag the tag
         * @param pluginName the plugin name, usually {@code ""}
         * @param min the smallest value
         * @param max the largest value
         * @param num how many values
         * @param sum their sum
         * @param sumSquares the sum of their squares
         * @param bucketLimits the right edges of the buckets
         * @param bucketCounts the counts of the buckets, as many as limits
         */
        public Histogram {
            bucketLimits = List.copyOf(bucketLimits);
            bucketCounts = List.copyOf(bucketCounts);
        }
    }

    /**
     * An encoded image ({@code Summary.Image}), as tensorboardX's {@code add_image} writes it.
     *
     * @param tag the tag
     * @param pluginName the plugin name ({@code "images"} from tensorboardX and cox4j)
     * @param height pixels
     * @param width pixels
     * @param colorspace channels: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA
     * @param encoded the encoded image (PNG from tensorboardX and cox4j); a copy
     */
    record Image(String tag, String pluginName, int height, int width, int colorspace, byte[] encoded)
            implements SummaryValue {
        /**
         * Copies the bytes.
         *
         * @param tag the tag
         * @param pluginName the plugin name ({@code "images"} from tensorboardX and cox4j)
         * @param height pixels
         * @param width pixels
         * @param colorspace channels: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA
         * @param encoded the encoded image (PNG from tensorboardX and cox4j); a copy
         */
        public Image {
            encoded = encoded.clone();
        }

        /**
         * The encoded image.
         *
         * @return a copy of the bytes
         */
        @Override
        public byte[] encoded() {
            return encoded.clone();
        }
    }

    /**
     * A text ({@code DT_STRING} tensor of plugin "text"), as tensorboardX's {@code add_text}
     * writes it; the tag then ends with {@code /text_summary}.
     *
     * @param tag the tag
     * @param pluginName {@code "text"}
     * @param text the first string of the tensor, decoded as UTF-8
     */
    record Text(String tag, String pluginName, String text) implements SummaryValue {}

    /**
     * Any other value, such as the hyper-parameter summaries of plugin {@code "hparams"}
     * (which carry their data in the plugin content, not in a value).
     *
     * @param tag the tag
     * @param pluginName the plugin name
     * @param pluginContent {@code plugin_data.content}: a plugin-specific protobuf message; a copy
     */
    record Other(String tag, String pluginName, byte[] pluginContent) implements SummaryValue {
        /**
         * Copies the bytes.
         *
         * @param tag the tag
         * @param pluginName the plugin name
         * @param pluginContent {@code plugin_data.content}: a plugin-specific protobuf message; a copy
         */
        public Other {
            pluginContent = Objects.requireNonNull(pluginContent, "pluginContent").clone();
        }

        /**
         * The plugin content.
         *
         * @return a copy of the bytes
         */
        @Override
        public byte[] pluginContent() {
            return pluginContent.clone();
        }
    }
}
