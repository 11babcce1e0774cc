/**
 * Reading many experiments as one data frame: the Java edition of Python cox's
 * {@code cox.readers}, and what the {@code cox} command, the web page and the exports share.
 *
 * <ul>
 *   <li>{@link cox.readers.CollectionReader}: the experiments of a folder, read in parallel into
 *     one frame ({@link cox.readers.DfOptions}), with their schemas ({@link cox.readers.TableSchema}),
 *     run infos ({@link cox.readers.RunInfo}), progress ({@link cox.readers.ProgressListener}) and
 *     read errors ({@link cox.readers.ReadError});</li>
 *   <li>{@link cox.readers.filter}: the filter expression grammar ({@code lr < 0.1 and
 *     optimizer in (adam, sgd)});</li>
 *   <li>{@link cox.readers.summary}: one row per run (last, best, statistics), columns that
 *     change, each run's parameters joined to its rows;</li>
 *   <li>{@link cox.readers.text}: runs named and cells written as Python writes them.</li>
 * </ul>
 *
 * <p>Every public type of these four packages is one a user of the library calls, and
 * {@code module-info.java} exports all four; cox4j's own modules ({@code cli}, {@code web},
 * {@code spark}) use nothing else of them. How the reader works (its threads, the gathering of
 * columns, one experiment's rows) is package-private. A type that cox4j's other modules needed but
 * a user should not call would go in a package {@code cox.readers.internal}, which
 * {@code module-info.java} does not export: those modules are on the class path, where an
 * unexported package is still visible, so the name and its {@code package-info} say it is not
 * API ({@code LayersTest} holds both rules; no such type exists today).
 */
package cox.readers;
