/**
 * The {@code explain4j} command line: picocli commands that parse options and call the SDK
 * ({@code demo}, {@code layers}, {@code explain}); no explanation logic of their own.
 */
package org.explain4j.cli;
