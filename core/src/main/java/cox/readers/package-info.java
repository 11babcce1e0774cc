/**
 * Reading many experiments as one data frame: the Java edition of Python cox's
 * {@code cox.readers}, and what the {@code cox} command, the web page and the exports share.
 *
 * <ul>
 *   <li>{@link cox.readers.CollectionReader}: the experiments of a folder, read in parallel into
 *     one frame ({@link cox.readers.DfOptions}), with their schemas, run infos and read errors;</li>
 *   <li>{@link cox.readers.RunFilter}: the filter expression grammar ({@code lr < 0.1 and
 *     optimizer in (adam, sgd)});</li>
 *   <li>{@link cox.readers.RunSummaries} and {@link cox.readers.RunMetadata}: one row per run
 *     (last, best, statistics), columns that change, each run's parameters joined to its rows;</li>
 *   <li>{@link cox.readers.RunNameFormat} and {@link cox.readers.CellText}: runs named and cells
 *     written as Python writes them.</li>
 * </ul>
 */
package cox.readers;
