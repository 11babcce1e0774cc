/**
 * Python pickles in and out, knowing nothing of numpy or torch: the layer below
 * {@code cox.torch}, {@code cox.store.hdf5} and {@code cox.store}, above only
 * {@code cox.exceptions}.
 *
 * <ul>
 *   <li>Reading: {@link cox.pickle.Unpickler} runs the opcodes ({@code PickleMachine}) and builds
 *       only what its {@link cox.pickle.AllowList} allows: globals as values, calls through
 *       {@link cox.pickle.Reconstructor}s, {@code BUILD} into {@link cox.pickle.PendingValue}s,
 *       persistent ids through a {@link cox.pickle.PersistentLoader}. {@link cox.pickle.SafeUnpickler}
 *       is the plain-data unpickler.
 *   <li>Writing: {@link cox.pickle.Pickler} (protocols 2 and 4) writes plain Java data,
 *       {@link cox.pickle.Reduction}s, {@link cox.pickle.PersistentId}s and whatever its reducers
 *       turn a type into; {@link cox.pickle.PickleWriter} is the plain-data writer and the
 *       protocol-0 writer of HDF5 attributes.
 * </ul>
 *
 * A format with more than plain data registers its own entries: {@code cox.torch} adds numpy
 * arrays and torch.save's tensors. Not exported by the module.
 */
package cox.pickle;
