package cox.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import cox.torch.DType;
import cox.torch.StateDict;
import cox.torch.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A DJL block's parameters as a {@link StateDict}: names as {@link ParameterNames} says, values
 * copied from the parameters' arrays into tensors of the same dtype and shape.
 */
final class ModelWeights {
    private ModelWeights() {
    }

    /**
     * The number of elements in the parameters of {@code block}, as torch's
     * {@code sum(p.numel() for p in model.parameters())} counts: a {@code BatchNorm}'s running
     * mean and variance are buffers in torch and not counted; a frozen parameter
     * ({@code Block.freezeParameters}) is, as torch counts one with {@code requires_grad=False}.
     * Null while one of them has no shape yet.
     */
    static Long parameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            if (p.getValue().getShape() == null) {
                return null;
            }
            count += p.getValue().getShape().size();
        }
        return count;
    }

    /** One parameter: DJL's flattened name, the torch-style name, the parameter. */
    record Entry(String djlName, String torchName, Parameter parameter) {
    }

    /**
     * The parameters of {@code block} in DJL's order ({@code block.getParameters()}), each with its
     * DJL name and its torch-style name.
     */
    static List<Entry> entries(Block block) {
        List<Entry> out = new ArrayList<>();
        walk(block, "", "", out);
        return out;
    }

    private static void walk(Block block, String djlPrefix, String torchPrefix, List<Entry> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String leaf = torchLeafName(block, p.getKey());
            out.add(new Entry(join(djlPrefix, "_", p.getKey()), join(torchPrefix, ".", leaf), p.getValue()));
        }
        boolean indexed = block instanceof SequentialBlock || block instanceof ParallelBlock;
        int i = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String segment = indexed ? Integer.toString(i) : withoutPosition(child.getKey());
            walk(child.getValue(), join(djlPrefix, "_", child.getKey()), join(torchPrefix, ".", segment), out);
            i++;
        }
    }

    private static String join(String prefix, String separator, String name) {
        return prefix.isEmpty() ? name : prefix + separator + name;
    }

    /** DJL names a child {@code NN<name>} (its 1-based position, two or more digits): the name alone. */
    static String withoutPosition(String childName) {
        int i = 0;
        while (i < childName.length() && Character.isDigit(childName.charAt(i))) {
            i++;
        }
        return i >= 2 && i < childName.length() ? childName.substring(i) : childName;
    }

    /**
     * The torch name of a parameter DJL names {@code djlName} in {@code block}: {@code BatchNorm}'s
     * and {@code LayerNorm}'s as torch's {@code BatchNorm*d}/{@code LayerNorm}, {@code
     * Embedding}'s as {@code nn.Embedding}'s; any other, DJL's.
     */
    private static String torchLeafName(Block block, String djlName) {
        if (block instanceof BatchNorm || block instanceof LayerNorm) {
            switch (djlName) {
                case "gamma":
                    return "weight";
                case "beta":
                    return "bias";
                case "runningMean":
                    return "running_mean";
                case "runningVar":
                    return "running_var";
                default:
                    return djlName;
            }
        }
        if (block instanceof Embedding<?> && djlName.equals("embedding")) {
            return "weight";
        }
        return djlName;
    }

    /**
     * The state dict of {@code block}: keys by {@code style} then {@code rename}, in DJL's order.
     *
     * @param where the store, table and column the dict is for, for error messages
     * @throws IllegalArgumentException naming the parameter when one has no value, an element
     *     type torch cannot hold, or a key that another parameter has already
     */
    static StateDict stateDict(Block block, ParameterNames style, UnaryOperator<String> rename, String where) {
        StateDict dict = new StateDict();
        Map<String, String> owners = new HashMap<>();
        for (Entry e : entries(block)) {
            String name = style == ParameterNames.TORCH ? e.torchName() : e.djlName();
            String key = rename.apply(name);
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException(where + ": the parameter renaming gave " + (key == null ? "null" : "\"\"")
                        + " for DJL parameter '" + e.djlName() + "' (" + name + ")");
            }
            String other = owners.putIfAbsent(key, e.djlName());
            if (other != null) {
                throw new IllegalArgumentException(where + ": DJL parameters '" + other + "' and '" + e.djlName()
                        + "' would both be saved as '" + key + "'");
            }
            Parameter p = e.parameter();
            if (!p.isInitialized()) {
                throw new IllegalArgumentException(where + ": DJL parameter '" + e.djlName() + "' has no value yet"
                        + " (call trainer.initialize(shape) before training)");
            }
            dict.put(key, tensor(p.getArray(), e.djlName(), where));
        }
        return dict;
    }

    /** A copy of {@code array} as a tensor of the same element type and shape. */
    static Tensor tensor(NDArray array, String name, String where) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        switch (type) {
            case FLOAT32:
                return Tensor.ofFloats(array.toFloatArray(), shape);
            case FLOAT64:
                return Tensor.ofDoubles(array.toDoubleArray(), shape);
            case INT64:
                return Tensor.ofLongs(array.toLongArray(), shape);
            case INT32:
                return Tensor.ofInts(array.toIntArray(), shape);
            case INT8:
                return Tensor.ofBytes(array.toByteArray(), shape);
            case UINT8:
                return Tensor.ofUnsignedBytes(array.toByteArray(), shape);
            case BOOLEAN:
                return Tensor.ofBooleans(array.toBooleanArray(), shape);
            case INT16:
                return Tensor.of(DType.INT16, array.toByteArray(), shape);
            case FLOAT16:
                return Tensor.of(DType.FLOAT16, array.toByteArray(), shape);
            case BFLOAT16:
                return Tensor.of(DType.BFLOAT16, array.toByteArray(), shape);
            default:
                throw new IllegalArgumentException(where + ": DJL parameter '" + name + "' is " + type
                        + ", which a PyTorch state dict cannot hold (float16/32/64, bfloat16, int8/16/32/64, uint8, bool)");
        }
    }
}
