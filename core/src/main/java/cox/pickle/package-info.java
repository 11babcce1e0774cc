/**
 * Python pickles in and out, for cox's {@code OBJECT} and {@code PICKLE} columns and the pickled
 * HDF5 attributes pandas writes. {@link cox.pickle.SafeUnpickler} builds only plain data and
 * refuses every global outside a fixed allow-list; {@link cox.pickle.PickleWriter} writes plain
 * Java data as pickles Python loads into the natural Python values.
 */
package cox.pickle;
