/**
 * A {@code java.nio} file system over Hadoop's {@code FileSystem}, so that cox reads
 * runs kept on HDFS, S3 ({@code s3a://}), Azure ({@code abfs://}), Google Cloud Storage
 * ({@code gs://}) and the other Hadoop file systems as it reads local ones:
 * {@link cox.hadoop.HadoopFileSystemProvider} (installed per scheme through
 * {@code META-INF/services}, for {@code Path.of(URI)}) and {@link cox.hadoop.HadoopPaths} (paths
 * made with a caller's configuration, for Spark). Files are read through
 * {@code FSDataInputStream}'s positional reads as a {@link cox.io.PositionalInput}; readers
 * never write. The few writes there are exist for publishing runs ({@code cox push}: create,
 * make a folder, delete, rename). Hadoop itself is the user's ({@code provided}).
 */
package cox.hadoop;
