package org.explain4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  /** Runs the CLI in this JVM and returns {exit code, stdout, stderr}. */
  private static Object[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void demoPointsAtThePatch() throws Exception {
    Object[] r = run("demo", "--out", tmp.toString(), "--samples", "50");
    assertEquals(0, r[0], (String) r[2]);
    String report = Files.readString(tmp.resolve("demo.txt"));
    assertEquals(report, ((String) r[1]).substring(0, report.length()));
    Matcher m = Pattern.compile("pointing game: (\\d+) of (\\d+)").matcher(report);
    assertTrue(m.find(), report);
    int hits = Integer.parseInt(m.group(1));
    int correct = Integer.parseInt(m.group(2));
    assertTrue(correct >= 45, "the model should classify most patches: " + report);
    assertTrue(hits >= 0.9 * correct, "the maps should point at the patch: " + report);
  }

  @Test
  void layersListsTheDemoModelAndMarksTheChoice() throws Exception {
    Path model = BrightPatchModel.ensure(tmp.resolve("m"));
    Object[] r = run("layers", "--model", model.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("* 2: conv/Relu (Relu) [-1, 32, 32, 2]"), (String) r[1]);
  }

  @Test
  void layersOfADenseOnlyModelSaysNoLayerIsChosen() {
    Path dense = Path.of("").toAbsolutePath().getParent().resolveSibling("shared").resolve("models").resolve("kotlindl-mnist-mlp-tf2");
    if (!Files.isDirectory(dense)) {
      System.out.println("Skipping: " + dense + " is absent");
    }
    assumeTrue(Files.isDirectory(dense), "shared models absent");
    Object[] r = run("layers", "--model", dense.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("no layer is chosen automatically"), (String) r[1]);
  }

  @Test
  void failuresAndUsageErrorsHaveTheirExitCodes() {
    Object[] missing = run("layers", "--model", tmp.resolve("absent").toString());
    assertEquals(1, missing[0]);
    assertTrue(((String) missing[2]).startsWith("explain4j: No SavedModel directory"), (String) missing[2]);
    assertEquals(1, ((String) missing[2]).strip().lines().count(), "one clear line without --verbose");
    Object[] usage = run("layers", "--model", "x", "--bogus");
    assertEquals(2, usage[0]);
    assertTrue(((String) usage[2]).contains("Unknown option"), (String) usage[2]);
  }
}
