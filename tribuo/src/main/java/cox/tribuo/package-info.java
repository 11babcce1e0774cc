/**
 * Tribuo's models and evaluations logged as cox runs: {@link cox.tribuo.CoxTribuo#log} writes a
 * model's provenance into {@code metadata} and each evaluation's metrics into {@code results}.
 *
 * <p>Tribuo ({@code org.tribuo:tribuo-core}, and the classification or regression module the
 * application uses) is a {@code provided} dependency: the application brings its own.
 */
package cox.tribuo;
