/**
 * One row per run from the rows {@link cox.readers.CollectionReader#df} returns (a frame with an
 * {@code exp_id} column): {@link cox.readers.summary.RunSummaries} (first, last and best rows,
 * statistics of metrics, the columns that change between runs, with
 * {@link cox.readers.summary.Statistic} and {@link cox.readers.summary.Goal}) and
 * {@link cox.readers.summary.RunMetadata} (each run's parameters, joined to its rows).
 */
package cox.readers.summary;
