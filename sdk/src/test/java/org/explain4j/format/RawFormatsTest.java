package org.explain4j.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.explain4j.TestInputs;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.TargetExplanation;
import org.explain4j.Targets;
import org.explain4j.testkit.TestModels;
import org.explain4j.render.raw.CsvFormatter;
import org.explain4j.render.raw.JsonFormatter;
import org.explain4j.render.raw.TextTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawFormatsTest {
  @TempDir static Path tmp;
  static Explanation explanation;

  @BeforeAll
  static void explain() {
    Path model = TestModels.cnn(tmp.resolve("cnn"), true);
    try (Explainer explainer = Explainer.builder().setModel(model).optLabels(List.of("a,\"quoted\"", "b", "c", "d")).build()) {
      explanation = explainer.explain(TestInputs.images(2, 3), Targets.of(0, 2));
    }
  }

  @Test
  void jsonRoundTripsThroughARealParser() throws Exception {
    JsonNode root = new ObjectMapper().readTree(JsonFormatter.toJson(explanation, "cnn \"fixture\""));
    assertEquals(JsonFormatter.SCHEMA, root.get("schema").asText());
    assertEquals("cnn \"fixture\"", root.get("model").asText());
    assertEquals("serving_default", root.get("signature").asText());
    assertEquals("conv2/Relu", root.get("layer").asText());
    assertEquals("grad-cam", root.get("method").asText());
    assertEquals("java", root.get("engine").asText());
    JsonNode items = root.get("explanations");
    assertEquals(4, items.size());
    for (int i = 0; i < 4; i++) {
      TargetExplanation t = explanation.targets().get(i);
      JsonNode n = items.get(i);
      assertEquals(t.item(), n.get("item").asInt());
      assertEquals(t.target(), n.get("target").asInt());
      assertEquals(t.label().orElseThrow(), n.get("label").asText());
      assertEquals(t.score(), n.get("score").floatValue());
      assertEquals(t.probability().getAsDouble(), n.get("probability").asDouble(), 0);
      assertEquals(t.allZero(), n.get("flags").get("allZero").asBoolean());
      assertEquals(List.of(8, 8), List.of(n.get("layerMap").get("shape").get(0).asInt(), n.get("layerMap").get("shape").get(1).asInt()));
      assertEquals(List.of(16, 16), List.of(n.get("heatMap").get("shape").get(0).asInt(), n.get("heatMap").get("shape").get(1).asInt()));
      float[] layer = t.layerMap().values();
      float[] heat = t.heatMap().values();
      assertEquals(layer.length, n.get("layerMap").get("values").size());
      for (int k = 0; k < layer.length; k++) {
        assertEquals(layer[k], n.get("layerMap").get("values").get(k).floatValue());
      }
      for (int k = 0; k < heat.length; k++) {
        assertEquals(heat[k], n.get("heatMap").get("values").get(k).floatValue());
      }
    }
  }

  @Test
  void csvParsesBackToTheSameValues() throws Exception {
    List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new StringReader(CsvFormatter.toCsv(explanation))).getRecords();
    assertEquals(4 * (64 + 256), rows.size());
    int r = 0;
    for (TargetExplanation t : explanation.targets()) {
      for (String map : List.of("layer", "heat")) {
        float[] values = map.equals("layer") ? t.layerMap().values() : t.heatMap().values();
        int width = map.equals("layer") ? 8 : 16;
        for (int k = 0; k < values.length; k++, r++) {
          CSVRecord row = rows.get(r);
          assertEquals(t.item(), Integer.parseInt(row.get("item")));
          assertEquals(t.target(), Integer.parseInt(row.get("target")));
          assertEquals(t.label().orElseThrow(), row.get("label"), "labels with commas and quotes survive");
          assertEquals(map, row.get("map"));
          assertEquals(k / width, Integer.parseInt(row.get("row")));
          assertEquals(k % width, Integer.parseInt(row.get("col")));
          assertEquals(values[k], Float.parseFloat(row.get("value")));
          assertEquals(t.score(), Float.parseFloat(row.get("score")));
        }
      }
    }
  }

  @Test
  void textTableHasOneRowPerItemAndTarget() {
    String table = TextTable.render(explanation);
    List<String> lines = table.lines().toList();
    assertEquals(2 + 4, lines.size(), table);
    assertTrue(lines.get(0).contains("conv2/Relu") && lines.get(0).contains("java"), lines.get(0));
    assertTrue(lines.get(2).startsWith("0     0 ") && lines.get(2).contains("8x8"), lines.get(2));
  }
}
