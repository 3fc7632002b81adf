/**
 * Benchmark harnesses (not tests), run by {@code scripts/bench.sh}; each prints the figures that
 * docs/performance.md quotes, with the machine and the command.
 */
package org.explain4j.bench;
