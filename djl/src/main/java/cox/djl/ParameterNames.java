package cox.djl;

/**
 * How {@link CoxTrainingListener} names the entries of the state dicts it saves.
 *
 * <p>DJL names a parameter by its path through the block tree, each child block as
 * {@code NN<name>} (its 1-based position, two digits, then the class name a
 * {@code SequentialBlock} gives it or the name a custom block chose) and the parts joined with
 * {@code _}: {@code 01Linear_weight}, {@code 02SequentialBlock_03Linear_bias}. PyTorch names a
 * {@code state_dict} entry by the module path joined with {@code .}, a {@code torch.nn.Sequential}'s
 * children by their 0-based index: {@code 0.weight}, {@code 1.2.bias}.
 */
public enum ParameterNames {
    /**
     * PyTorch's names, so that {@code module.load_state_dict(torch.load(f, weights_only=True))}
     * loads the weights into the equivalent {@code torch.nn} model. The path is joined with
     * {@code .}; a child of a {@code SequentialBlock} (DJL's {@code Mlp} is one) or
     * {@code ParallelBlock} is its 0-based index; any other child is the name its block gave it,
     * without DJL's {@code NN} prefix ({@code 01encoder} becomes {@code encoder}). The blocks
     * whose parameters get torch's names are exactly these: {@code Linear} and {@code Conv1d},
     * {@code Conv2d}, {@code Conv3d} ({@code weight}, {@code bias}: DJL's names are torch's, and
     * so are the shapes, {@code (out, in, ...)}); {@code BatchNorm} (and {@code GhostBatchNorm})
     * and {@code LayerNorm} ({@code gamma} becomes {@code weight}, {@code beta} {@code bias},
     * {@code runningMean} {@code running_mean}, {@code runningVar} {@code running_var}); and
     * {@code Embedding} ({@code embedding} becomes {@code weight}, of shape {@code (num_embeddings,
     * dim)}, as {@code nn.Embedding}'s). Every other block's parameters keep the names DJL gives
     * them ({@code LSTM}'s and {@code GRU}'s, for instance, are not torch's {@code weight_ih_l0}
     * ...), under the torch-style path. So {@code Linear, relu, Linear} in a
     * {@code SequentialBlock} gives {@code 0.weight, 0.bias, 2.weight, 2.bias}, the keys of
     * {@code torch.nn.Sequential(nn.Linear, nn.ReLU(), nn.Linear)}.
     */
    TORCH,
    /** DJL's own names, as {@code block.getParameters()} lists them: {@code 01Linear_weight}. */
    DJL
}
