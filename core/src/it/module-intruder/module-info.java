/** A module that reaches for a package cox4j.core does not export: ModulePathIT expects javac to refuse it. */
module cox4j.intruder {
    requires cox4j.core;
}
