/**
 * {@code cox serve}: a local, read-only web page and JSON API over a folder of cox experiments.
 * {@link cox.web.CoxServer} is the one public entry point; the run scanner, the summary cache, the
 * curve arithmetic and the HTTP handlers are package-private (their jobs and who uses whom:
 * WebLayersTest).
 */
package cox.web;
