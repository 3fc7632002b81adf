package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.explain4j.demo.DemoModels;
import org.explain4j.input.Images;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.examples.ImageClassifierExample;
import org.explain4j.examples.TextClassifierExample;

class CliTest {
  @TempDir static Path out;
  static Object[] demo;

  /**
   * Runs the real {@code ./explain4j} script in a subprocess (on the built classes, without
   * rebuilding) and returns {exit code, stdout, stderr}.
   */
  static Object[] run(String... args) {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> command = new java.util.ArrayList<>(List.of(root.resolve("explain4j").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("EXPLAIN4J_NO_BUILD", "1");
    try {
      Process p = pb.start();
      java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return p.getErrorStream().readAllBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("explain4j " + args[0] + " did not finish");
      }
      return new Object[] {p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8)};
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
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

  /**
   * The demo's boxes and keyword positions drive {@code evaluate}'s pointing game: every image whose
   * peak the demo itself found inside the object's box (grown by 3 px, by its own check) is a hit at
   * the default tolerance (15 px at 224, 4.3 px here, which covers 3 px on both axes).
   */
  @Test
  void theDemosRegionsPlayThePointingGame() throws Exception {
    assertEquals(0, demo[0], (String) demo[2]);
    Path shapes = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    Object[] r = run("evaluate", "--model", shapes.toString(), "--input", out.resolve("shapes-inputs.npy").toString(),
        "--boxes", out.resolve("shapes-boxes.csv").toString(), "--metric", "pointing", "--format", "json");
    assertEquals(0, r[0], (String) r[2]);
    com.fasterxml.jackson.databind.JsonNode maps = new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) r[1]).get("maps");
    String report = Files.readString(out.resolve("demo.txt"));
    int inside = 0;
    for (int i = 0; i < 8; i++) {
      Matcher m = Pattern.compile("image " + i + ": a (\\w+); predicted (\\w+) .* (inside|OUTSIDE) the object").matcher(report);
      assertTrue(m.find(), report);
      com.fasterxml.jackson.databind.JsonNode map = maps.get(i);
      if (!m.group(1).equals(m.group(2))) {
        assertTrue(map.get("pointing") == null, "a misclassified image has no box for its predicted class: " + map);
      } else if (m.group(3).equals("inside")) {
        inside++;
        assertEquals(1.0, map.get("pointing").asDouble(), "image " + i);
      }
    }
    assertTrue(inside >= 6, "the demo's own check: " + report);
    Path text = out.resolve("models").resolve("sentiment-" + DemoModels.VERSION);
    Object[] t = run("evaluate", "--model", text.toString(), "--input", out.resolve("sentences-ids.npy").toString(),
        "--keywords", out.resolve("sentences-keywords.csv").toString());
    assertEquals(0, t[0], (String) t[2]);
    assertTrue(((String) t[1]).contains("pointing (+)") && !((String) t[1]).contains("deletion"), (String) t[1]);
  }

  @Test
  void layersListsTheDemoModelAndMarksTheChoice() {
    Path model = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    Object[] r = run("layers", "--model", model.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("* conv3 -> conv3/Relu (Relu) [-1, 16, 16, 32]"), "one row per layer: " + r[1]);
    assertTrue(!((String) r[1]).contains("conv3/BiasAdd"), (String) r[1]);
    Object[] ops = run("layers", "--model", model.toString(), "--all-ops");
    assertTrue(((String) ops[1]).contains("conv3/BiasAdd") && ((String) ops[1]).contains("* "), "every op: " + ops[1]);
  }

  @Test
  void layersOfADenseOnlyModelSaysNoLayerIsChosen() {
    Path dense = org.explain4j.testkit.TestData.model("kotlindl-mnist-mlp-tf2");
    Object[] r = run("layers", "--model", dense.toString());
    assertEquals(0, r[0], (String) r[2]);
    assertTrue(((String) r[1]).contains("no layer is chosen automatically"), (String) r[1]);
  }

  @Test
  void explainImagesNpyAndTokenIds() throws Exception {
    Path shapes = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    Path images = java.nio.file.Files.createDirectories(out.resolve("images"));
    java.util.Random rng = new java.util.Random(5);
    float[] npy = new float[2 * 64 * 64 * 3];
    for (int i = 0; i < 3; i++) {
      org.explain4j.demo.ShapesData.Sample s = org.explain4j.demo.ShapesData.sample(rng);
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int p = 0; p < 64 * 64; p++) {
        int r = Math.round(255 * s.pixels()[p * 3]);
        int g = Math.round(255 * s.pixels()[p * 3 + 1]);
        int b = Math.round(255 * s.pixels()[p * 3 + 2]);
        img.setRGB(p % 64, p / 64, r << 16 | g << 8 | b);
      }
      Images.writePng(img, images.resolve("shape" + i + ".png"));
      if (i < 2) {
        System.arraycopy(s.pixels(), 0, npy, i * s.pixels().length, s.pixels().length);
      }
    }
    Path result = out.resolve("explain-images");
    Object[] r = run("explain", "--model", shapes.toString(), "--image", images.toString(), "--batch-size", "2",
        "--colormap", "viridis", "--out", result.toString());
    assertEquals(0, r[0], (String) r[2]);
    for (int i = 0; i < 3; i++) {
      assertTrue(Files.isRegularFile(result.resolve("shape" + i + ".png")), "one overlay per image, named after it: " + r[1]);
    }
    assertTrue(((String) r[1]).contains("explained 3 item(s) with layer conv3/Relu"), (String) r[1]);

    Path array = out.resolve("two.npy");
    org.explain4j.input.NpyWriter.write(array, npy, 2, 64, 64, 3);
    Object[] j = run("explain", "--model", shapes.toString(), "--input", array.toString(), "--format", "json", "--top-k", "2",
        "--out", out.resolve("explain-npy").toString());
    assertEquals(0, j[0], (String) j[2]);
    String json = Files.readString(out.resolve("explain-npy").resolve("two-0.json"));
    Object[] plus = run("explain", "--model", shapes.toString(), "--input", array.toString(), "--format", "json", "--method", "grad-cam++",
        "--out", out.resolve("explain-npy-plus").toString());
    assertEquals(0, plus[0], (String) plus[2]);
    String plusJson = Files.readString(out.resolve("explain-npy-plus").resolve("two-1.json"));
    assertTrue(plusJson.contains("\"method\":\"grad-cam++\""), plusJson.substring(0, 300));
    assertTrue(Files.isRegularFile(out.resolve("explain-npy").resolve("two-1.json")), "one document per array row");
    assertTrue(json.contains("\"schema\":\"explain4j.explanation/2\""), json.substring(0, 200));

    Path text = out.resolve("models").resolve("sentiment-" + DemoModels.VERSION);
    List<String> words = List.of("the", "movie", "was", "awful", "<pad>", "<pad>");
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < 24; i++) {
      String w = i < words.size() ? words.get(i) : "<pad>";
      ids.append(org.explain4j.demo.SentimentData.VOCABULARY.indexOf(w)).append(' ');
    }
    Object[] h = run("explain", "--model", text.toString(), "--ids", ids.toString(), "--pad-value", "0",
        "--out", out.resolve("explain-text").toString());
    assertEquals(0, h[0], (String) h[2]);
    String html = Files.readString(out.resolve("explain-text").resolve("tokens.html"));
    assertEquals(4, Pattern.compile("class=\"e4j-token\"").matcher(html).results().count(), "ids shown, padding id removed");
  }

  @Test
  void explainBadInputsGiveOneLineAndExitCodes() throws Exception {
    Path shapes = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    Path broken = out.resolve("broken.png");
    Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path ints = out.resolve("ints.npy");
    byte[] f = org.explain4j.input.NpyWriter.floats(new float[64 * 64 * 3], 1, 64, 64, 3);
    Files.write(ints, new String(f, StandardCharsets.ISO_8859_1).replace("<f4", "<i4").getBytes(StandardCharsets.ISO_8859_1));
    Object[][] cases = {
        run("explain", "--model", out.resolve("absent").toString(), "--ids", "1 2"),
        run("explain", "--model", shapes.toString(), "--layer", "conv9", "--image", broken.toString()),
        run("explain", "--model", shapes.toString(), "--image", broken.toString(), "--out", out.resolve("x").toString()),
        run("explain", "--model", shapes.toString(), "--input", ints.toString(), "--out", out.resolve("y").toString())};
    String[] expected = {"No SavedModel directory", "No layer named 'conv9'", "broken.png", "expects DT_FLOAT, got DT_INT32"};
    for (int i = 0; i < cases.length; i++) {
      assertEquals(1, cases[i][0], "case " + i + ": " + cases[i][2]);
      String err = ((String) cases[i][2]).strip();
      assertTrue(err.startsWith("explain4j: ") && err.contains(expected[i]), "case " + i + ": " + err);
      assertEquals(1, err.lines().filter(l -> l.startsWith("explain4j: ") && !l.contains("CAM engine")).count(), "one line: " + err);
    }
    Object[] usage = run("explain", "--model", shapes.toString());
    assertEquals(2, usage[0], "an input is required");
  }

  @Test
  void exampleAppsRunEndToEnd() throws Exception {
    Path images = java.nio.file.Files.createDirectories(out.resolve("example-images"));
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    org.explain4j.demo.ShapesData.Sample s = org.explain4j.demo.ShapesData.sample(new java.util.Random(9));
    for (int p = 0; p < 64 * 64; p++) {
      img.setRGB(p % 64, p / 64, Math.round(255 * s.pixels()[p * 3]) << 16 | Math.round(255 * s.pixels()[p * 3 + 1]) << 8
          | Math.round(255 * s.pixels()[p * 3 + 2]));
    }
    Images.writePng(img, images.resolve("one.png"));
    // A fresh folder: nothing left from earlier runs can pass for this run's output.
    Path results = java.nio.file.Files.createTempDirectory(out, "example-out");
    ImageClassifierExample.main(new String[] {images.resolve("one.png").toString(), "--model",
        out.resolve("models").resolve("shapes-" + DemoModels.VERSION).toString(), "--out", results.toString()});
    assertTrue(Files.isRegularFile(results.resolve("images.png")));
    assertTrue(Files.isRegularFile(results.resolve("image0-class" + s.label() + ".png")), "the true class is among the top 2");
    TextClassifierExample.main(new String[] {"the", "plot", "was", "dull", "but", "the", "music", "was", "wonderful",
        "--model", out.resolve("models").resolve("sentiment-" + DemoModels.VERSION).toString(), "--out", results.toString()});
    String html = Files.readString(results.resolve("text-example.html"));
    assertEquals(2 * 9, Pattern.compile("class=\"e4j-token\"").matcher(html).results().count(), "two explanations of nine tokens");
  }

  @Test
  void layersAndExplainOnTheMlnetTf1Model() throws Exception {
    Path mlnet = org.explain4j.testkit.TestData.model("mlnet-mnist-conv-tf1");
    Object[] layers = run("layers", "--model", mlnet.toString());
    assertEquals(0, layers[0], (String) layers[2]);
    assertTrue(((String) layers[1]).contains("* ") && ((String) layers[1]).contains("Relu_2 (Relu) [-1, 7, 7, 24]"), (String) layers[1]);
    float[] digit = new float[28 * 28];
    for (int y = 6; y < 22; y++) {
      digit[y * 28 + 14] = 1f;
      digit[y * 28 + 15] = 1f;
    }
    Path npy = out.resolve("digit.npy");
    org.explain4j.input.NpyWriter.write(npy, digit, 1, 28, 28, 1);
    Object[] explained = run("explain", "--model", mlnet.toString(), "--input", npy.toString(), "--layer", "Relu_2",
        "--format", "text", "--out", out.resolve("mlnet").toString());
    assertEquals(0, explained[0], (String) explained[2]);
    assertTrue(((String) explained[1]).contains("layer Relu_2") && ((String) explained[1]).contains("7x7"), (String) explained[1]);
  }

  @Test
  void aTf1GraphWithKeepProbExplainsWithFeedAndNamesTheOptionWithout() throws Exception {
    Path graph = org.explain4j.testkit.TestModels.frozenDropout(out.resolve("dropout.pb"), true);
    Path npy = out.resolve("dropout-input.npy");
    org.explain4j.input.NpyWriter.write(npy, org.explain4j.testkit.TestModels.random(new java.util.Random(4), 8 * 8 * 3, 1.0), 1, 8, 8, 3);
    Object[] missing = run("explain", "--model", graph.toString(), "--input", npy.toString(), "--format", "text",
        "--out", out.resolve("dropout-missing").toString());
    assertTrue(!Integer.valueOf(0).equals(missing[0]), "refused without the feed");
    assertTrue((missing[1] + "" + missing[2]).contains("--feed keep_prob=1.0"), "exit " + missing[0] + " out: " + missing[1] + " err: " + missing[2]);
    Object[] fed = run("explain", "--model", graph.toString(), "--input", npy.toString(), "--feed", "keep_prob=1.0",
        "--feed", "is_training=false", "--format", "text", "--out", out.resolve("dropout").toString());
    assertEquals(0, fed[0], (String) fed[2]);
    assertTrue(((String) fed[1]).contains("layer dropout, method grad-cam"), (String) fed[1]);
  }

  @Test
  void rawTextIsExplainedOverTheModelsOwnVocabulary() throws Exception {
    Path model = org.explain4j.testkit.TestModels.textVectorized(out.resolve("text-vectorized"));
    Object[] html = run("explain", "--model", model.toString(), "--text", "the movie was wonderful", "a zebra film",
        "--out", out.resolve("raw-text").toString());
    assertEquals(0, html[0], (String) html[2]);
    String page = Files.readString(out.resolve("raw-text").resolve("text-0.html"));
    for (String w : List.of("the", "movie", "was", "wonderful")) {
      assertTrue(page.contains(">" + w + "<"), w + " in " + page);
    }
    assertTrue(Files.readString(out.resolve("raw-text").resolve("text-1.html")).contains(">[UNK]<"), "an unknown word is the model's [UNK]");
    Object[] text = run("explain", "--model", model.toString(), "--text", "the movie was wonderful", "--format", "text",
        "--out", out.resolve("raw-text-table").toString());
    assertEquals(0, text[0], (String) text[2]);
    assertTrue(((String) text[1]).contains("tokens: the movie was wonderful\n"), (String) text[1]);
  }

  @Test
  void tokensWithAVocabularyFile() throws Exception {
    Path text = out.resolve("models").resolve("sentiment-" + DemoModels.VERSION);
    Path vocab = out.resolve("vocab.txt");
    Files.write(vocab, org.explain4j.demo.SentimentData.VOCABULARY);
    String sentence = "the movie was wonderful" + " <pad>".repeat(20);
    Object[] r = run("explain", "--model", text.toString(), "--tokens", sentence, "--vocab", vocab.toString(),
        "--pad-value", "<pad>", "--out", out.resolve("vocab-out").toString());
    assertEquals(0, r[0], (String) r[2]);
    String html = Files.readString(out.resolve("vocab-out").resolve("tokens.html"));
    assertTrue(html.contains(">wonderful</span>") && !html.contains("&lt;pad&gt;"), html);
    // --ids with --tokens: the ids are explained, the tokens shown, one per id.
    List<String> words = List.of("the", "movie", "was", "wonderful");
    String ids = String.join(" ", words.stream().map(w -> Integer.toString(org.explain4j.demo.SentimentData.VOCABULARY.indexOf(w))).toList())
        + " 0".repeat(20);
    String shown = String.join(" ", words) + " <pad>".repeat(20);
    Object[] both = run("explain", "--model", text.toString(), "--ids", ids, "--tokens", shown, "--pad-value", "<pad>",
        "--out", out.resolve("ids-tokens").toString());
    assertEquals(0, both[0], (String) both[2]);
    String shownHtml = Files.readString(out.resolve("ids-tokens").resolve("tokens.html"));
    assertEquals(4, Pattern.compile("class=\"e4j-token\"").matcher(shownHtml).results().count(), shownHtml);
    assertTrue(shownHtml.contains(">wonderful</span>"), shownHtml);
    Object[] miscounted = run("explain", "--model", text.toString(), "--ids", ids, "--tokens", "the movie");
    assertEquals(1, miscounted[0]);
    assertTrue(((String) miscounted[2]).contains("2 tokens were given for 24 ids"), (String) miscounted[2]);
    Object[] unknown = run("explain", "--model", text.toString(), "--tokens", "the zyzzyva", "--vocab", vocab.toString());
    assertEquals(1, unknown[0]);
    assertTrue(((String) unknown[2]).contains("Token 'zyzzyva' is not in the vocabulary"), (String) unknown[2]);
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

  @Test
  void badOptionValuesAreUsageErrors() {
    Path shapes = out.resolve("models").resolve("shapes-" + DemoModels.VERSION);
    String[][] cases = {
        {"--format", "bogus"}, {"--score", "bogus"}, {"--padding", "middle"}, {"--size", "28"}, {"--colormap", "plaid"},
        {"--interpolation", "magic"}, {"--target", "1", "--top-k", "2"}, {"--data-format", "sideways"}, {"--top-k", "0"}};
    String[] expected = {"'bogus'", "Unknown --score 'bogus'", "Unknown --padding 'middle'", "--size takes WxH", "'plaid'",
        "'magic'", "--target and --top-k exclude each other", "Unknown --data-format 'sideways'", "topK"};
    for (int i = 0; i < cases.length; i++) {
      List<String> args = new java.util.ArrayList<>(List.of("explain", "--model", shapes.toString(), "--ids", "1 2"));
      args.addAll(List.of(cases[i]));
      Object[] r = run(args.toArray(String[]::new));
      String err = (String) r[2];
      assertEquals(2, r[0], "case " + i + ": " + err);
      assertTrue(err.lines().findFirst().orElse("").contains(expected[i]), "case " + i + ", first line: " + err);
      assertTrue(err.contains("Usage:") && !err.contains("Exception"), "case " + i + ": the usage, no stack trace: " + err);
    }
    Object[] ids = run("explain", "--model", shapes.toString(), "--ids", "1 two");
    assertEquals(2, ids[0], (String) ids[2]);
  }
}
