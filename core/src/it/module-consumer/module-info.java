/**
 * A program that uses cox4j as a library module, for ModulePathIT: it requires only cox4j.core,
 * and so sees dflib's DataFrame and java.desktop's BufferedImage only because cox4j.core requires
 * them transitively.
 */
module cox4j.consumer {
    requires cox4j.core;
}
