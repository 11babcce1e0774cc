/**
 * Cells as Python writes them: {@link cox.readers.text.CellText} (Python's {@code str()} of a
 * cell, what {@code cox df} prints and a filter's regex reads),
 * {@link cox.readers.text.RunNameFormat} (run names from a {@code str.format} pattern, as
 * {@code tensorboard_view} makes them) and {@link cox.readers.text.ValueExpansion} (how far a
 * decoded OBJECT or PICKLE value may expand when it is written out). Depends on nothing of the
 * reader.
 */
package cox.readers.text;
