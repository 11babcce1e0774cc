/**
 * The filter language of {@code cox df --where}, the web page's filter box and
 * {@link cox.readers.DfOptions#where}: {@link cox.readers.filter.RunFilter} parses an expression
 * ({@code lr < 0.1 and optimizer in (adam, sgd)}) and tests rows with it;
 * {@link cox.readers.filter.FilterSyntaxException} and
 * {@link cox.readers.filter.FilterBudgetException} are what parsing and testing throw. The parser,
 * the syntax tree, the comparison of cells and the regex budget are package-private. Depends only
 * on {@link cox.readers.text} (a regex reads a cell's Python text), never on the reader, so a
 * filter can be used on any rows.
 */
package cox.readers.filter;
