/**
 * cox4j: the JVM edition of Python's cox experiment store. Exports the API only: the store
 * ({@code cox.store}), the reader ({@code cox.readers}, with its filter language
 * {@code cox.readers.filter}, Python-style text {@code cox.readers.text} and run summaries
 * {@code cox.readers.summary}), TensorBoard ({@code cox.tensorboard}), tensors ({@code cox.torch})
 * and the exceptions they throw ({@code cox.exceptions}); the HDF5 layer, the journal, the pickle
 * codec, the generated protobuf classes and {@code cox.io.internal} stay inside.
 * {@code ModulePathIT} runs a consumer module against the packaged jar to prove it.
 */
module cox4j.core {
    requires transitive java.desktop; // SummaryWriter.addImage takes a java.awt.image.BufferedImage
    requires io.jhdf;
    requires org.slf4j;
    requires com.google.protobuf;
    requires transitive dflib;
    requires org.apache.commons.statistics.inference;
    requires org.apache.commons.statistics.distribution;

    exports cox.exceptions;
    exports cox.io;
    exports cox.store;
    exports cox.readers;
    exports cox.readers.filter;
    exports cox.readers.query;
    exports cox.readers.summary;
    exports cox.readers.text;
    exports cox.tensorboard;
    exports cox.torch;
}
