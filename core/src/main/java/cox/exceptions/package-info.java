/**
 * The one exception hierarchy of cox4j, a leaf that every layer may import (as jHDF's
 * {@code io.jhdf.exceptions}). Every error that is not the caller's mistake is a
 * {@link cox.exceptions.CoxException}: a damaged or foreign file, a failed recovery, a held
 * lock, a failed read or write. Caller mistakes (a bad argument, a closed store) stay
 * {@link java.lang.IllegalArgumentException}, {@link java.lang.IllegalStateException} and
 * {@link java.lang.NullPointerException}.
 *
 * <pre>
 * CoxException
 * ├── StoreException              a store cannot do what was asked
 * │   ├── StoreFormatException    store.h5, the journal or the checkpoint is not as its format says
 * │   ├── StoreRecoveryException  the journal is damaged, or store.h5 cannot be rebuilt from it
 * │   └── StoreLockedException    another writer holds the store
 * ├── CoxIOException              reading or writing a named file failed
 * ├── UnpicklingException         a pickle cannot be read
 * │   └── PickleSecurityException a pickle asks for something that is not plain data
 * ├── ValueTooLargeException      a decoded value expands beyond what cox4j renders or converts
 * ├── TorchFormatException        a torch.save file is not as its format says
 * └── EventFileException          a TensorBoard event file is damaged
 * </pre>
 *
 * <p>A layer that catches one to say where it happened calls
 * {@link cox.exceptions.CoxException#withContext(String)} and rethrows it: the subtype is kept.
 */
package cox.exceptions;
