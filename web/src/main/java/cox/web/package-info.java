/**
 * {@code cox serve}: a local, read-only web page and JSON API over a folder of cox experiments.
 * {@link cox.web.CoxServer} is the one public entry point; the index of runs, the summary cache,
 * the series downsampling and the HTTP handlers are package-private.
 */
package cox.web;
