package org.explain4j.service;

import static org.explain4j.service.ServiceEndpointsTest.assertError;
import static org.explain4j.service.ServiceEndpointsTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.Targets;
import org.explain4j.TargetExplanation;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Open Inference Protocol (KServe V2) endpoints, checked against the protocol's own request and
 * response shapes (the specification's {@code "id": "42"} example, flat and nested tensor data,
 * BYTES), against in-process predictions and explanations, and the OpenAPI document against the routes.
 */
class OpenInferenceTest {
  static final int H = TestModels.H;
  static final int W = TestModels.W;

  @TempDir
  static Path dir;
  static ExplainService service;
  static Http http;
  static Explainer reference;

  @BeforeAll
  static void start() {
    Path cnn = TestModels.cnn(dir.resolve("cnn"), true);
    service = ExplainService.start(ServiceConfig.builder().addModel("cnn", Explainer.builder().setModel(cnn).config())
        .optPort(0).optBatchTimeout(Duration.ofMillis(1)).build());
    http = new Http(service.uri());
    reference = Explainer.builder().setModel(cnn).build();
  }

  @AfterAll
  static void stop() {
    service.close();
    reference.close();
  }

  @Test
  void serverAndModelMetadataAndReadiness() {
    JsonNode server = ok(http.get("/v2"));
    assertEquals("explain4j", server.get("name").asText());
    assertTrue(server.get("version").asText().matches("\\d+\\.\\d+\\.\\d+.*"), server.toString());
    assertTrue(server.get("extensions").isArray());
    JsonNode model = ok(http.get("/v2/models/cnn"));
    assertEquals("cnn", model.get("name").asText());
    assertEquals("tensorflow_savedmodel", model.get("platform").asText());
    JsonNode input = model.get("inputs").get(0);
    assertEquals("image", input.get("name").asText());
    assertEquals("FP32", input.get("datatype").asText());
    assertEquals(List.of(-1L, (long) H, (long) W, 3L), longs(input.get("shape")));
    JsonNode output = model.get("outputs").get(0);
    assertEquals("probabilities", output.get("name").asText());
    assertEquals(List.of(-1L, (long) TestModels.CLASSES), longs(output.get("shape")));
    JsonNode ready = ok(http.get("/v2/models/cnn/ready"));
    assertTrue(ready.get("ready").asBoolean());
    assertError(404, "No model 'nope'; this service serves [cnn]", http.get("/v2/models/nope/ready"));
  }

  @Test
  void inferAnswersTheSpecificationsExampleShapeWithFlatOrNestedData() {
    float[] values = TestModels.imageValues(2, 31);
    float[] expected = reference.predict(InputBatch.ofFloats(values, 2, H, W, 3));
    // The specification's example request: an id, one input tensor, the outputs asked for by name.
    String flat = "{\"id\": \"42\", \"inputs\": [{\"name\": \"image\", \"shape\": [2, " + H + ", " + W + ", 3], \"datatype\": \"FP32\","
        + " \"data\": " + java.util.Arrays.toString(values) + "}], \"outputs\": [{\"name\": \"probabilities\"}]}";
    JsonNode r = ok(http.post("/v2/models/cnn/infer", flat));
    assertEquals("42", r.get("id").asText());
    assertEquals("cnn", r.get("model_name").asText());
    assertEquals(1, r.get("outputs").size());
    JsonNode out = r.get("outputs").get(0);
    assertEquals("probabilities", out.get("name").asText());
    assertEquals("FP32", out.get("datatype").asText());
    assertEquals(List.of(2L, (long) TestModels.CLASSES), longs(out.get("shape")));
    assertFloats(expected, out.get("data"), 1e-6);
    // The same tensor as nested arrays (the protocol allows both), and without id or outputs.
    String nested = Http.instances(values, 2, H, W, 3, null).replace("{\"instances\": ", "");
    nested = nested.substring(0, nested.length() - 1);
    JsonNode r2 = ok(http.post("/v2/models/cnn/infer", "{\"inputs\": [{\"name\": \"image\", \"shape\": [2, " + H + ", " + W
        + ", 3], \"datatype\": \"FP32\", \"data\": " + nested + "}]}"));
    assertTrue(r2.get("id") == null, "no id asked, none echoed");
    assertFloats(expected, r2.get("outputs").get(0).get("data"), 1e-6);
  }

  @Test
  void bytesCarryEncodedImages() {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        image.setRGB(x, y, (x * 16) << 16 | (y * 16) << 8 | 0x40);
      }
    }
    byte[] png = Images.encodePng(image);
    InputBatch batch = ImagePreprocessor.forModel(reference.model()).build().toBatch(List.of(Images.decode(png, "test")));
    float[] expected = reference.predict(batch);
    JsonNode r = ok(http.post("/v2/models/cnn/infer", "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BYTES\","
        + " \"data\": [\"" + Base64.getEncoder().encodeToString(png) + "\"]}]}"));
    assertFloats(expected, r.get("outputs").get(0).get("data"), 1e-6);
  }

  @Test
  void explainAnswersExplanationTensorsEqualToInProcess() {
    float[] values = TestModels.imageValues(2, 32);
    String input = "{\"name\": \"image\", \"shape\": [2, " + H + ", " + W + ", 3], \"datatype\": \"FP32\", \"data\": "
        + java.util.Arrays.toString(values) + "}";
    JsonNode r = ok(http.post("/v2/models/cnn/explain", "{\"id\": \"e1\", \"inputs\": [" + input + "],"
        + " \"parameters\": {\"top_k\": 2, \"method\": \"grad-cam++\"}}"));
    Explanation expected;
    try (Explainer plusPlus = Explainer.over(reference.loaded(), reference.options().toBuilder().optMethod("grad-cam++").build())) {
      expected = plusPlus.explain(InputBatch.ofFloats(values, 2, H, W, 3), Targets.topK(2));
    }
    assertEquals("e1", r.get("id").asText());
    assertEquals("grad-cam++", r.get("parameters").get("method").asText());
    Map<String, JsonNode> outputs = byName(r.get("outputs"));
    assertEquals(List.of("probabilities", "targets", "scores", "probabilities", "layer_maps").stream().distinct().sorted().toList(),
        outputs.keySet().stream().sorted().toList());
    assertEquals("INT32", outputs.get("targets").get("datatype").asText());
    assertEquals(List.of(2L, 2L), longs(outputs.get("targets").get("shape")));
    JsonNode maps = outputs.get("layer_maps");
    TargetExplanation first = expected.first(0);
    assertEquals(List.of(2L, 2L, (long) first.layerMap().height(), (long) first.layerMap().width()), longs(maps.get("shape")));
    int size = first.layerMap().values().length;
    for (int item = 0; item < 2; item++) {
      for (int rank = 0; rank < 2; rank++) {
        TargetExplanation t = expected.forItem(item).get(rank);
        int at = item * 2 + rank;
        assertEquals(t.target(), outputs.get("targets").get("data").get(at).asInt());
        assertEquals(t.score(), outputs.get("scores").get("data").get(at).floatValue(), 1e-5);
        float[] v = t.layerMap().values();
        for (int i = 0; i < size; i++) {
          assertEquals(v[i], maps.get("data").get(at * size + i).floatValue(), 1e-5 * Math.max(1, Math.abs(v[i])));
        }
      }
    }
    // Asking for heat maps alone: only them, at the input's size.
    JsonNode heat = ok(http.post("/v2/models/cnn/explain", "{\"inputs\": [" + input + "], \"outputs\": [{\"name\": \"heat_maps\"}]}"));
    assertEquals(1, heat.get("outputs").size());
    assertEquals(List.of(2L, 1L, (long) H, (long) W), longs(heat.get("outputs").get(0).get("shape")));
  }

  @Test
  void mistakesGetTheProtocolsErrorBodyNamingWhatIsExpected() {
    String data = java.util.Arrays.toString(new float[H * W * 3]);
    assertError(400, "its input is 'image'", http.post("/v2/models/cnn/infer",
        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, " + H + ", " + W + ", 3], \"datatype\": \"FP32\", \"data\": " + data + "}]}"));
    assertError(400, "elements) but", http.post("/v2/models/cnn/infer",
        "{\"inputs\": [{\"name\": \"image\", \"shape\": [2, " + H + ", " + W + ", 3], \"datatype\": \"FP32\", \"data\": " + data + "}]}"));
    assertError(400, "datatype BOOL", http.post("/v2/models/cnn/infer",
        "{\"inputs\": [{\"name\": \"image\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [true]}]}"));
    assertError(400, "No output 'logits'", http.post("/v2/models/cnn/infer",
        "{\"inputs\": [{\"name\": \"image\", \"shape\": [1, " + H + ", " + W + ", 3], \"datatype\": \"FP32\", \"data\": " + data + "}],"
            + " \"outputs\": [{\"name\": \"logits\"}]}"));
    assertError(400, "unknown field \"input\"", http.post("/v2/models/cnn/infer", "{\"input\": []}"));
    assertError(400, "an array of one tensor", http.post("/v2/models/cnn/infer", "{\"inputs\": []}"));
    assertError(404, "No model", http.post("/v2/models/nope/infer", "{\"inputs\": []}"));
  }

  @Test
  void theOpenApiDocumentListsEveryRouteAndEveryDocumentedRouteAnswers() {
    JsonNode doc = ok(http.get("/openapi.json"));
    assertEquals("3.0.3", doc.get("openapi").asText());
    List<String> served = List.of("/", "/openapi.json", "/metrics", "/v2/health/live", "/v2/health/ready", "/v1/models",
        "/v1/models/{name}", "/v1/models/{name}:predict", "/v1/models/{name}:explain", "/v2", "/v2/models/{name}",
        "/v2/models/{name}/ready", "/v2/models/{name}/infer", "/v2/models/{name}/explain");
    List<String> documented = new java.util.ArrayList<>();
    doc.get("paths").fieldNames().forEachRemaining(documented::add);
    assertEquals(served.stream().sorted().toList(), documented.stream().sorted().toList());
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      String url = path.getKey().replace("{name}", "cnn");
      if (path.getValue().has("get")) {
        assertEquals(200, http.get(url).status(), "GET " + url);
      }
      if (path.getValue().has("post")) {
        Http.Reply r = http.post(url, "{}");
        assertNotEquals(404, r.status(), "POST " + url + ": " + r.text());
        assertNotEquals(405, r.status(), "POST " + url + ": " + r.text());
      }
    }
  }

  private static Map<String, JsonNode> byName(JsonNode outputs) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    outputs.forEach(o -> out.put(o.get("name").asText(), o));
    return out;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  private static void assertFloats(float[] expected, JsonNode got, double tolerance) {
    assertEquals(expected.length, got.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got.get(i).floatValue(), tolerance, "value " + i);
    }
  }
}
