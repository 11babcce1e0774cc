/** JMH benchmarks of cox4j; run with {@code bench/run}. */
package cox.bench;
