package cox.torch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's state dict: parameter names to tensors, in insertion order. Mirrors the
 * {@code collections.OrderedDict} that {@code torch.nn.Module.state_dict()} returns and cox's
 * {@code Store.PYTORCH_STATE} columns hold. Not thread-safe (it is a {@link LinkedHashMap}).
 */
public class StateDict extends LinkedHashMap<String, Tensor> {
    private static final long serialVersionUID = 1L;

    /** An empty state dict. */
    public StateDict() {
        super();
    }

    /**
     * A state dict holding {@code entries} in their iteration order.
     *
     * @param entries names to tensors
     */
    public StateDict(Map<String, Tensor> entries) {
        super(entries);
    }
}
