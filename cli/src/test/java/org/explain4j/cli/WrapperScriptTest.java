package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code ./explain4j} script in a subprocess, on the built classes: exit codes and one
 * clear line for failures, usage for bad flags, TensorFlow's startup lines filtered.
 */
class WrapperScriptTest {

  private static Object[] run(String... args) throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path script = root.resolve("explain4j");
    assumeTrue(Files.isExecutable(script) && Files.isRegularFile(Path.of("target", "classpath.txt")),
        "the wrapper runs after the package phase (mvn verify); skipped in a bare test run");
    List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("EXPLAIN4J_NO_BUILD", "1");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Object[] {p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
  }

  @Test
  void exitCodesAndMessages() throws Exception {
    Object[] version = run("--version");
    assertEquals(0, version[0], (String) version[2]);
    assertTrue(((String) version[1]).contains("explain4j"), (String) version[1]);
    Object[] missing = run("layers", "--model", "/nonexistent/model");
    assertEquals(1, missing[0]);
    String err = ((String) missing[2]).strip();
    assertTrue(err.startsWith("explain4j: No SavedModel directory"), err);
    assertTrue(err.lines().noneMatch(l -> l.startsWith("I0000") || l.startsWith("WARNING: All log messages")), err);
    Object[] usage = run("explain", "--bogus");
    assertEquals(2, usage[0]);
    assertTrue(((String) usage[2]).contains("Usage:"), (String) usage[2]);
  }
}
