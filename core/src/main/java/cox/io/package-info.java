/**
 * Positional reads of a file wherever it lives: the one way the engine reads {@code store.h5},
 * the journal, the checkpoint and torch files. A {@link cox.io.PositionalInput} reads N bytes
 * at an offset and tells the file's size; {@link cox.io.PositionalInputs#open} picks the
 * implementation from the path's file system: a {@code FileChannel} for local files, the
 * channel's own positional reads where it has them (the channels of
 * {@code cox.hadoop.HadoopFileSystemProvider}, module {@code hadoop}), and a
 * {@code SeekableByteChannel} for any other {@code java.nio} file system (S3, an in-memory one),
 * read ahead in large ranges so a remote file costs few requests.
 *
 * <p>{@link cox.io.Locations} turns what the user wrote ({@code s3://bucket/runs},
 * {@code hdfs://nn/runs}, a local path) into a path of the installed provider's file system, and
 * names any path in messages with its scheme and bucket or host; {@link cox.io.S3Settings} sets
 * the S3 provider up as the AWS tools are. Keeping a remote file open between a reader's looks
 * while it is unchanged, and the rule for when a file's size and time can be trusted, are inside
 * the module (package {@code cox.io.internal}, not exported).
 *
 * <p>A layer just above {@code cox.exceptions}: it knows nothing of stores.
 */
package cox.io;
