/**
 * The cox4j experiment store: the Java edition of Python cox's {@code cox.store} module.
 */
package cox.store;
