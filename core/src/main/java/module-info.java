/**
 * cox4j: the JVM edition of Python's cox experiment store. Exports the API only: the store
 * ({@code cox.store}), the reader ({@code cox.readers}), TensorBoard ({@code cox.tensorboard}),
 * tensors ({@code cox.torch}) and the exceptions they throw ({@code cox.exceptions}); the HDF5
 * layer, the journal, the pickle codec and the generated protobuf classes stay inside.
 * {@code ModulePathIT} runs a consumer module against the packaged jar to prove it.
 */
module cox4j.core {
    requires transitive java.desktop; // SummaryWriter.addImage takes a java.awt.image.BufferedImage
    requires io.jhdf;
    requires org.slf4j;
    requires com.google.protobuf;
    requires transitive dflib;

    exports cox.exceptions;
    exports cox.store;
    exports cox.readers;
    exports cox.tensorboard;
    exports cox.torch;
}
