/**
 * cox4j: the JVM edition of Python's cox experiment store. Exports the API only: the store
 * ({@code cox.store}), the reader ({@code cox.readers}), TensorBoard ({@code cox.tensorboard})
 * and tensors ({@code cox.torch}); the HDF5 layer, the journal, the pickle codec and the generated
 * protobuf classes stay inside.
 */
module cox4j.core {
    requires java.desktop; // BufferedImage and ImageIO for SummaryWriter.addImage
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
