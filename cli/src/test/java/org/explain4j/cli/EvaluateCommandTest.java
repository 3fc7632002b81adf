package org.explain4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
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
    assertEquals(1, bad[0]);
    assertTrue(((String) bad[2]).contains("Unknown metric 'area'"), (String) bad[2]);
  }
}
