/** The {@code cox} command line. */
package cox.cli;
