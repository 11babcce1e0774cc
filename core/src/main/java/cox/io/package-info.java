/**
 * Positional reads of a file wherever it lives: the one way the engine reads {@code store.h5},
 * the journal, the checkpoint and torch files. A {@link cox.io.PositionalInput} reads N bytes
 * at an offset and tells the file's size; {@link cox.io.PositionalInputs#open} picks the
 * implementation from the path's file system: a {@code FileChannel} for local files, the
 * provider's own positional reads where it has them (module {@code spark}'s Hadoop file system),
 * and a {@code SeekableByteChannel} for any other {@code java.nio} file system (S3, an in-memory
 * one), read ahead in large ranges so a remote file costs few requests.
 *
 * <p>{@link cox.io.StoragePaths} turns a URI ({@code s3://bucket/runs}, {@code hdfs://nn/runs})
 * into a path of the installed provider's file system; {@link cox.io.ReusedInput} keeps a remote
 * file open between a reader's looks while it is unchanged, so a store read table after table
 * fetches its small {@code store.h5} once.
 *
 * <p>A layer just above {@code cox.exceptions}: it knows nothing of stores.
 */
package cox.io;
