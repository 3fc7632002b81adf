package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.explain4j.Explainer;
import org.explain4j.TargetExplanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.input.InputSource;
import org.explain4j.input.NpyWriter;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./explain4j evaluate} as a process: a table by default, JSON whose means are the means of its maps. */
class EvaluateCommandTest {
  @TempDir
  Path tmp;

  @Test
  void scoresTwoMethodsAsATableAndAsJson() throws Exception {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    Path npy = tmp.resolve("images.npy");
    NpyWriter.write(npy, TestModels.imageValues(3, 9), 3, TestModels.H, TestModels.W, 3);
    Object[] table = CliTest.run("evaluate", "--model", model.toString(), "--input", npy.toString(), "--method", "grad-cam,hires-cam",
        "--steps", "4", "--metric", "deletion,confidence");
    assertEquals(0, table[0], (String) table[2]);
    String out = (String) table[1];
    assertTrue(out.contains("deletion (-)") && out.contains("confidence (+)") && !out.contains("insertion"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("grad-cam ") && l.contains(" 3 ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("hires-cam ")), out);

    Object[] json = CliTest.run("evaluate", "--model", model.toString(), "--input", npy.toString(), "--method", "grad-cam,hires-cam",
        "--steps", "4", "--metric", "deletion,road", "--format", "json");
    assertEquals(0, json[0], (String) json[2]);
    JsonNode root = new ObjectMapper().readTree((String) json[1]);
    assertEquals(6, root.get("maps").size());
    double sum = 0;
    for (JsonNode m : root.get("maps")) {
      if (m.get("method").asText().equals("hires-cam")) {
        sum += m.get("road_morf").asDouble();
      }
      assertEquals(5, m.get("deletionCurve").size());
    }
    assertEquals(sum / 3, root.get("means").get("hires-cam").get("road_morf").asDouble(), 1e-9);
    Object[] bad = CliTest.run("evaluate", "--model", model.toString(), "--input", npy.toString(), "--metric", "area");
    assertEquals(2, bad[0], "a usage error");
    assertTrue(((String) bad[2]).contains("Unknown metric 'area'"), (String) bad[2]);
  }

  /**
   * Boxes given in the image files' pixels (32x32) are scaled to the model's 16x16 input: a box on
   * the peak's cell hits, the same box moved one cell right lies half a cell from the peak's centre.
   */
  @Test
  void thePointingGameReadsBoxesInFilePixelsByItemName() throws Exception {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    Path images = Files.createDirectories(tmp.resolve("photos"));
    Random rng = new Random(5);
    for (String name : List.of("a", "b")) {
      BufferedImage image = TestModels.noise(rng, 32, 32);
      ImageIO.write(image, "png", images.resolve(name + ".png").toFile());
    }
    List<int[]> peaks = new ArrayList<>();
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      for (InputSource.Item item : InputSource.images(List.of(images), ImagePreprocessor.forModel(explainer.model()).build())) {
        TargetExplanation t = explainer.explain(item.batch()).first(0);
        float[] v = t.heatMap().values();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
          best = v[i] > v[best] ? i : best;
        }
        peaks.add(new int[] {best % TestModels.W, best / TestModels.W, t.target()});
      }
    }
    int[] a = peaks.get(0);
    int[] b = peaks.get(1);
    Path boxes = tmp.resolve("boxes.csv");
    Files.writeString(boxes, "# a.png: on the peak, for its class; b (item 1): one cell right of the peak, any class\n"
        + RegionsFile.BOX_HEADER + "\n"
        + "a.png," + a[2] + "," + 2 * a[0] + "," + 2 * a[1] + "," + (2 * a[0] + 2) + "," + (2 * a[1] + 2) + "\n"
        + "1,*," + (2 * b[0] + 2) + "," + 2 * b[1] + "," + (2 * b[0] + 4) + "," + (2 * b[1] + 2) + "\n");
    for (double tolerance : new double[] {0.4, 0.6}) {
      Object[] run = CliTest.run("evaluate", "--model", model.toString(), "--image", images.toString(), "--boxes", boxes.toString(),
          "--metric", "pointing", "--tolerance", Double.toString(tolerance), "--format", "json");
      assertEquals(0, run[0], (String) run[2]);
      JsonNode maps = new ObjectMapper().readTree((String) run[1]).get("maps");
      assertEquals(2, maps.size());
      assertEquals(1.0, maps.get(0).get("pointing").asDouble());
      assertEquals(tolerance > 0.5 ? 1.0 : 0.0, maps.get(1).get("pointing").asDouble(), "tolerance " + tolerance);
    }
    Object[] missing = CliTest.run("evaluate", "--model", model.toString(), "--image", images.toString(), "--metric", "pointing");
    assertEquals(2, missing[0]);
    assertTrue(((String) missing[2]).contains("--metric pointing needs --boxes or --keywords"), (String) missing[2]);
    Files.writeString(boxes, RegionsFile.BOX_HEADER + "\nc,*,0,0,4,4\n");
    Object[] unknown = CliTest.run("evaluate", "--model", model.toString(), "--image", images.toString(), "--boxes", boxes.toString());
    assertEquals(1, unknown[0]);
    assertTrue(((String) unknown[2]).contains("line 2: no item 'c'; items are positions 0..1 or names such as a, b"), (String) unknown[2]);
  }

  /** Token ids with keyword positions: the pointing game alone, by default; the peak must be the keyword itself. */
  @Test
  void thePointingGameTakesKeywordPositionsOnTokenIds() throws Exception {
    Path model = TestModels.textCnn(tmp.resolve("text"));
    int[] ids = new int[3 * TestModels.TEXT_LENGTH];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 1 + (i * 7) % (TestModels.VOCABULARY - 1);
    }
    int[] peaks = new int[3];
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      for (int item = 0; item < 3; item++) {
        float[] v = explainer.explain(InputBatch.ofInts(java.util.Arrays.copyOfRange(ids, item * TestModels.TEXT_LENGTH,
            (item + 1) * TestModels.TEXT_LENGTH), 1, TestModels.TEXT_LENGTH)).first(0).heatMap().values();
        for (int p = 1; p < v.length; p++) {
          peaks[item] = v[p] > v[peaks[item]] ? p : peaks[item];
        }
        assertTrue(v[peaks[item]] > 0, "item " + item + " has a peak");
      }
    }
    Path npy = tmp.resolve("ids.npy");
    NpyWriter.write(npy, ids, 3, TestModels.TEXT_LENGTH);
    Path keywords = tmp.resolve("keywords.csv");
    int beside = peaks[2] == 0 ? 1 : peaks[2] - 1;
    Files.writeString(keywords, RegionsFile.KEYWORD_HEADER + "\n0,*," + peaks[0] + "\n2,*," + beside + "\n");
    Object[] run = CliTest.run("evaluate", "--model", model.toString(), "--input", npy.toString(), "--keywords", keywords.toString(),
        "--format", "json");
    assertEquals(0, run[0], (String) run[2]);
    JsonNode maps = new ObjectMapper().readTree((String) run[1]).get("maps");
    assertEquals(3, maps.size());
    assertEquals(1.0, maps.get(0).get("pointing").asDouble());
    assertTrue(maps.get(1).get("pointing") == null && maps.get(1).get("deletion") == null, maps.toString());
    assertEquals(0.0, maps.get(2).get("pointing").asDouble(), "the token beside the peak, with no tolerance");
  }
}
