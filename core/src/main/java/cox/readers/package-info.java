/**
 * Reading many experiments as one data frame: the Java edition of Python cox's {@code cox.readers}.
 */
package cox.readers;
