/**
 * Tensors and {@code torch.save} files: {@link cox.torch.Tensor}, {@link cox.torch.StateDict} and
 * {@link cox.torch.TorchSerialization}, the Java side of cox's {@code Store.PYTORCH_STATE} columns.
 */
package cox.torch;
