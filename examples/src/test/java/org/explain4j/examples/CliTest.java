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
import org.explain4j.examples.train.DemoModels;
import org.explain4j.format.image.Images;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir static Path out;
  static Object[] demo;

  /** Runs the CLI in this JVM and returns {exit code, stdout, stderr}. */
  static Object[] run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @BeforeAll
  static void runDemo() {
    demo = run("demo", "--out", out.toString(), "--samples", "60");
  }

  @Test
  void demoWritesItsFilesAndPointsAtTheEvidence() throws Exception {
    assertEquals(0, demo[0], (String) demo[2]);
    for (String name : new String[] {"shapes.png", "shapes.json", "sentences.html", "demo.txt"}) {
      assertTrue(Files.size(out.resolve(name)) > 100, name);
      assertTrue(((String) demo[1]).contains("wrote " + out.resolve(name)), (String) demo[1]);
    }
    assertTrue(Images.read(out.resolve("shapes.png")).getWidth() >= 4 * 128, "a grid of overlays");
    String html = Files.readString(out.resolve("sentences.html"));
    assertTrue(html.contains("e4j-token") && !html.contains("&lt;pad&gt;"), "tokens shown, padding removed");
    String report = Files.readString(out.resolve("demo.txt"));
    for (String kind : new String[] {"images", "text"}) {
      Matcher m = Pattern.compile("pointing game, " + kind + ": (\\d+) of (\\d+)").matcher(report);
      assertTrue(m.find(), report);
      assertTrue(Integer.parseInt(m.group(1)) >= 0.85 * Integer.parseInt(m.group(2)), kind + ": " + m.group());
    }
  }

  @Test
  void layersListsTheDemoModelAndMarksTheChoice() {
    Path model = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    Object[] r = run("layers", "--model", model.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("* ") && ((String) r[1]).contains("conv3/Relu (Relu) [-1, 16, 16, 32]"), (String) r[1]);
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
    Object[] missing = run("layers", "--model", out.resolve("absent").toString());
    assertEquals(1, missing[0]);
    assertTrue(((String) missing[2]).startsWith("explain4j: No SavedModel directory"), (String) missing[2]);
    assertEquals(1, ((String) missing[2]).strip().lines().count(), "one clear line without --verbose");
    Object[] usage = run("layers", "--model", "x", "--bogus");
    assertEquals(2, usage[0]);
    assertTrue(((String) usage[2]).contains("Unknown option"), (String) usage[2]);
  }
}
