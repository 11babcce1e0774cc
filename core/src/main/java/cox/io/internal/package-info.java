/**
 * Inside the module, not exported: keeping a remote file open between a reader's looks while it
 * is unchanged ({@link cox.io.internal.ReusedInput}), and the one rule for when a file's size and
 * modification time can be trusted to change with its bytes ({@link cox.io.internal.Settling}).
 */
package cox.io.internal;
