package cox.pickle;

import cox.exceptions.UnpicklingException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Supplies the raw bytes of the storages a {@code torch.save} file's {@code data.pkl} refers to
 * through persistent ids ({@code ('storage', torch.FloatStorage, KEY, 'cpu', numel)}); in a
 * torch zip file these are the entries {@code ARCHIVE/data/KEY}. Used by
 * {@link SafeUnpickler#loads(byte[], TorchStorageSource)}; called at most once per key during
 * one load, from the loading thread.
 */
@FunctionalInterface
public interface TorchStorageSource {
    /**
     * The storage's little-endian bytes between position and limit; the unpickler only reads
     * them.
     *
     * @param key the storage key from the persistent id, e.g. {@code "0"}
     * @throws IOException if the storage cannot be read
     * @throws UnpicklingException if there is no storage with that key
     */
    ByteBuffer storage(String key) throws IOException;
}
