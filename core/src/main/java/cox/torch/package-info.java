/**
 * Tensors, numpy arrays in pickles and {@code torch.save} files: {@link cox.torch.Tensor},
 * {@link cox.torch.StateDict}, {@link cox.torch.TorchSerialization} (the Java side of cox's
 * {@code Store.PYTORCH_STATE} columns) and {@link cox.torch.NumpyPickles} (pickles whose arrays
 * are numpy arrays, as in cox's {@code OBJECT} and {@code PICKLE} columns). This layer registers
 * numpy's and torch's reconstructors with {@code cox.pickle}, which knows nothing of them.
 */
package cox.torch;
