package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.HeatMap;
import org.explain4j.Targets;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints against one running service on the test CNN: every answer is compared with the
 * same explanation made in process (itself checked against independent references in the SDK's
 * tests), and every bad request with the status and message it must get.
 */
class ServiceEndpointsTest {
  static final int H = TestModels.H;
  static final int W = TestModels.W;

  @TempDir
  static Path dir;
  static Path cnn;
  static Path text;
  static ExplainService service;
  static Http http;
  static Explainer reference;

  @BeforeAll
  static void start() {
    cnn = TestModels.cnn(dir.resolve("cnn"), true);
    text = TestModels.textCnn(dir.resolve("text"));
    service = ExplainService.start(ServiceConfig.builder()
        .addModel("cnn", Explainer.builder().setModel(cnn).config())
        .addModel("text", Explainer.builder().setModel(text).config())
        .optPort(0).optMaxBodyBytes(200_000).optBatchTimeout(Duration.ofMillis(1)).build());
    http = new Http(service.uri());
    reference = Explainer.builder().setModel(cnn).build();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void healthAndMetadata() {
    assertEquals(200, http.get("/v2/health/live").status());
    assertEquals(200, http.get("/v2/health/ready").status());
    JsonNode meta = http.get("/v1/models/cnn").json();
    assertEquals("cnn", meta.get("name").asText());
    assertTrue(meta.get("ready").asBoolean());
    assertEquals(reference.layer().name(), meta.get("layer").asText());
    assertEquals(TestModels.CLASSES, meta.get("classes").asInt());
    assertEquals("[\"cnn\",\"text\"]", http.get("/v1/models").json().get("models").toString());
  }

  @Test
  void twelveOptionSetsOnOneLoadedModel() {
    // Layers, methods, scores, ReLU, counterfactual, smoothing and channels: each set is answered
    // by the one model loaded at start, and each answer equals the same options explained in process.
    List<String> sets = List.of(
        "{}",
        "{\"method\": \"hires-cam\"}",
        "{\"method\": \"layer-cam\", \"relu\": false}",
        "{\"method\": \"grad-cam++\", \"counterfactual\": true}",
        "{\"layer\": \"conv1/Relu\"}",
        "{\"layer\": \"conv1/Relu\", \"method\": \"xgrad-cam\"}",
        "{\"score\": \"output\"}",
        "{\"score\": \"output\", \"layer\": \"conv1/Relu\"}",
        "{\"method\": \"eigen-cam\"}",
        "{\"method\": \"grad-cam\", \"eigen_smooth\": true}",
        "{\"method\": \"score-cam\", \"channels\": 3}",
        "{\"method\": \"grad-cam-elementwise,hires-cam\", \"relu\": false}");
    List<org.explain4j.ExplainOptions> same = List.of(
        org.explain4j.ExplainOptions.DEFAULTS,
        opts().optMethod("hires-cam").build(),
        opts().optMethod("layer-cam").optRelu(false).build(),
        opts().optMethod("grad-cam++").optCounterfactual(true).build(),
        opts().optLayer("conv1/Relu").build(),
        opts().optLayer("conv1/Relu").optMethod("xgrad-cam").build(),
        opts().optScore(org.explain4j.model.ScoreKind.OUTPUT).build(),
        opts().optScore(org.explain4j.model.ScoreKind.OUTPUT).optLayer("conv1/Relu").build(),
        opts().optMethod("eigen-cam").build(),
        opts().optMethod("grad-cam").optEigenSmooth(true).build(),
        opts().optMethod("score-cam").optPerturbation(3, 0).build(),
        opts().optMethod("grad-cam-elementwise,hires-cam").optRelu(false).build());
    long loads = org.explain4j.ExplainModel.loads();
    float[] values = TestModels.imageValues(1, 41);
    InputBatch batch = InputBatch.ofFloats(values, 1, H, W, 3);
    for (int k = 0; k < sets.size(); k++) {
      Http.Reply reply = http.post("/v1/models/cnn:explain", Http.instances(values, 1, H, W, 3,
          sets.get(k).replace("}", (sets.get(k).equals("{}") ? "" : ", ") + "\"output\": [\"layer_map\"]}")));
      assertEquals(200, reply.status(), sets.get(k) + ": " + reply.text());
      assertEquals("cnn", reply.json().get("provenance").get("model").asText(), "the model's name, not the server's path to it");
      JsonNode targets = reply.json().get("explanations").get(0).get("targets");
      Explanation expected = reference.explain(batch, same.get(k));
      assertEquals(expected.targets().size(), targets.size(), sets.get(k));
      for (int t = 0; t < targets.size(); t++) {
        assertEquals(expected.targets().get(t).method(), targets.get(t).get("method").asText(), sets.get(k));
        assertMap(expected.targets().get(t).layerMap(), targets.get(t).get("layerMap"));
      }
    }
    assertEquals(loads, org.explain4j.ExplainModel.loads(), "no request loaded a model");
    String metrics = http.get("/metrics").text();
    assertTrue(metrics.contains("explain4j_gradient_subgraphs{model=\"cnn\"} 4.0"),
        "two layers x two scores: four gradient subgraphs\n" + metrics.lines().filter(l -> l.contains("subgraph")).toList());
  }

  private static org.explain4j.ExplainOptions.Builder opts() {
    return org.explain4j.ExplainOptions.builder();
  }

  @Test
  void predictMatchesInProcessPrediction() {
    float[] values = TestModels.imageValues(3, 11);
    JsonNode r = ok(http.post("/v1/models/cnn:predict", Http.instances(values, 3, H, W, 3, null)));
    float[] expected = reference.predict(InputBatch.ofFloats(values, 3, H, W, 3));
    JsonNode predictions = r.get("predictions");
    assertEquals(3, predictions.size());
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < TestModels.CLASSES; c++) {
        assertEquals(expected[i * TestModels.CLASSES + c], predictions.get(i).get(c).floatValue(), 1e-6);
      }
    }
  }

  @Test
  void tfServingsColumnarAndNamedFormsGiveTheRowFormsAnswers() {
    float[] values = TestModels.imageValues(2, 21);
    String rows = Http.instances(values, 2, H, W, 3, null);
    String array = rows.substring("{\"instances\": ".length(), rows.length() - 1); // [[...], [...]]
    JsonNode expected = ok(http.post("/v1/models/cnn:predict", rows)).get("predictions");
    assertEquals(2, expected.size());
    // Columnar: {"inputs": [...]} and {"inputs": {"image": [...]}} are answered {"outputs": [...]}, as TF Serving does.
    assertEquals(expected, ok(http.post("/v1/models/cnn:predict", "{\"inputs\": " + array + "}")).get("outputs"));
    assertEquals(expected, ok(http.post("/v1/models/cnn:predict", "{\"inputs\": {\"image\": " + array + "}}")).get("outputs"));
    // Named instances: [{"image": [...]}, {"image": [...]}].
    JsonNode items = Http.JSON.valueToTree(new Object[0]);
    try {
      items = Http.JSON.readTree(array);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String named = "{\"instances\": [{\"image\": " + items.get(0) + "}, {\"image\": " + items.get(1) + "}]}";
    assertEquals(expected, ok(http.post("/v1/models/cnn:predict", named)).get("predictions"));
    JsonNode explained = ok(http.post("/v1/models/cnn:explain", named));
    Explanation reference = ServiceEndpointsTest.reference.explain(InputBatch.ofFloats(values, 2, H, W, 3));
    for (int i = 0; i < 2; i++) {
      assertMap(reference.first(i).layerMap(), explained.get("explanations").get(i).get("targets").get(0).get("layerMap"));
    }
    assertError(400, "this model's input is 'image'", http.post("/v1/models/cnn:predict",
        "{\"instances\": [{\"picture\": " + items.get(0) + "}]}"));
    assertError(400, "must name one input", http.post("/v1/models/cnn:predict", "{\"inputs\": {\"a\": [1], \"b\": [2]}}"));
  }

  @Test
  void explainCarriesTheInProcessMapsPredictionsAndProvenance() {
    float[] values = TestModels.imageValues(2, 12);
    JsonNode r = ok(http.post("/v1/models/cnn:explain",
        Http.instances(values, 2, H, W, 3, "{\"top_k\": 2, \"output\": [\"layer_map\", \"heat_map\"]}")));
    Explanation expected = reference.explain(InputBatch.ofFloats(values, 2, H, W, 3), Targets.topK(2));
    assertEquals(Responses.SCHEMA, r.get("schema").asText());
    assertEquals(2, r.get("explanations").size());
    for (int item = 0; item < 2; item++) {
      JsonNode targets = r.get("explanations").get(item).get("targets");
      assertEquals(2, targets.size());
      for (int rank = 0; rank < 2; rank++) {
        var t = expected.forItem(item).get(rank);
        JsonNode got = targets.get(rank);
        assertEquals(t.target(), got.get("target").asInt());
        assertEquals(t.probability().getAsDouble(), got.get("probability").asDouble(), 1e-6);
        assertMap(t.layerMap(), got.get("layerMap"));
        assertMap(t.heatMap(), got.get("heatMap"));
      }
      float[] outputs = expected.output(item);
      for (int c = 0; c < outputs.length; c++) {
        assertEquals(outputs[c], r.get("predictions").get(item).get(c).floatValue(), 1e-6);
      }
    }
    assertEquals(reference.layer().name(), r.get("provenance").get("layer").asText());
  }

  @Test
  void explicitTargetsPerInstanceAndAnotherMethod() {
    float[] values = TestModels.imageValues(2, 13);
    JsonNode r = ok(http.post("/v1/models/cnn:explain",
        Http.instances(values, 2, H, W, 3, "{\"targets\": [[3], [0]], \"method\": \"hires-cam\", \"relu\": false}")));
    try (Explainer hires = Explainer.builder().setModel(cnn).optMethod("hires-cam").optRelu(false).build()) {
      Explanation expected = hires.explain(InputBatch.ofFloats(values, 2, H, W, 3), Targets.perItem(List.of(new int[] {3}, new int[] {0})));
      for (int item = 0; item < 2; item++) {
        JsonNode t = r.get("explanations").get(item).get("targets").get(0);
        assertEquals(item == 0 ? 3 : 0, t.get("target").asInt());
        assertEquals("hires-cam", t.get("method").asText());
        assertFalse(t.has("heatMap"), "heat maps only on request");
        assertMap(expected.first(item).layerMap(), t.get("layerMap"));
      }
    }
  }

  @Test
  void smoothingParametersRunTheSmoothedExplainer() {
    float[] values = TestModels.imageValues(1, 16);
    JsonNode r = ok(http.post("/v1/models/cnn:explain",
        Http.instances(values, 1, H, W, 3, "{\"method\": \"layer-cam\", \"aug_smooth\": true, \"eigen_smooth\": true}")));
    try (Explainer smoothed = Explainer.builder().setModel(cnn).optMethod("layer-cam").optAugmentSmooth(true).optEigenSmooth(true)
        .build()) {
      Explanation expected = smoothed.explain(InputBatch.ofFloats(values, 1, H, W, 3));
      assertMap(expected.first(0).layerMap(), r.get("explanations").get(0).get("targets").get(0).get("layerMap"));
      assertTrue(r.get("provenance").get("smoothing").get("augment").asBoolean());
      assertTrue(r.get("provenance").get("smoothing").get("eigen").asBoolean());
    }
  }

  @Test
  void base64ImagesAndRawUploadsAreExplainedAsTheDecodedImage() {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        image.setRGB(x, y, (x * 16) << 16 | (y * 16) << 8 | ((x + y) * 8));
      }
    }
    byte[] png = Images.encodePng(image);
    JsonNode r = ok(http.post("/v1/models/cnn:explain",
        "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(png) + "\"}], \"parameters\": {\"output\": [\"layer_map\", \"overlay\"]}}"));
    InputBatch batch = ImagePreprocessor.forModel(reference.model()).build().toBatch(List.of(Images.decode(png, "test")));
    Explanation expected = reference.explain(batch);
    JsonNode t = r.get("explanations").get(0).get("targets").get(0);
    assertMap(expected.first(0).layerMap(), t.get("layerMap"));
    BufferedImage overlay = Images.decode(Base64.getDecoder().decode(t.get("overlay").asText()), "overlay");
    assertTrue(overlay.getWidth() >= W, "the overlay is drawn over the image");

    Http.Reply raw = http.post("/v1/models/cnn:explain?target=2", png, "image/png");
    assertEquals(200, raw.status(), raw.text());
    assertEquals("image/png", raw.response().headers().firstValue("Content-Type").orElse(""));
    assertEquals(overlay.getWidth(), Images.decode(raw.body(), "raw overlay").getWidth());
  }

  @Test
  void tokenIdsExplainATextModelWithHtml() {
    JsonNode r = ok(http.post("/v1/models/text:explain", "{\"instances\": [[1,2,3,4,5,6,7,8,9,10]],"
        + " \"parameters\": {\"output\": [\"heat_map\", \"html\"], \"tokens\": [[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]]}}"));
    try (Explainer textRef = Explainer.builder().setModel(text).build()) {
      Explanation expected = textRef.explain(InputBatch.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 1, 10));
      JsonNode t = r.get("explanations").get(0).get("targets").get(0);
      assertMap(expected.first(0).heatMap(), t.get("heatMap"));
      assertTrue(t.get("html").asText().contains(">j<"), t.get("html").asText());
    }
  }

  @Test
  void badRequestsGetClearErrorsAndTheServerGoesOn() {
    float[] values = TestModels.imageValues(1, 14);
    String good = Http.instances(values, 1, H, W, 3, null);
    assertError(400, "Malformed JSON", http.post("/v1/models/cnn:explain", "{\"instances\": [1, 2"));
    assertError(400, "neither \"instances\" nor \"inputs\"", http.post("/v1/models/cnn:explain", "{\"rows\": []}"));
    assertError(400, "non-empty array", http.post("/v1/models/cnn:explain", "{\"inputs\": []}"));
    assertError(400, "expects shape", http.post("/v1/models/cnn:explain", "{\"instances\": [[[[1, 2, 3]]]]}"));
    assertError(400, "not of shape", http.post("/v1/models/cnn:explain", "{\"instances\": [[[1, 2], [3]]]}"));
    assertError(400, "NaN", http.post("/v1/models/cnn:explain", good.replaceFirst("\\[\\[\\[\\[[^,]+,", "[[[[NaN,")));
    assertError(400, "a string", http.post("/v1/models/cnn:explain", good.replaceFirst("\\[\\[\\[\\[[^,]+,", "[[[[\"x\",")));
    assertError(400, "Unknown parameter 'colour'", http.post("/v1/models/cnn:explain", good.replace("]]]]}", "]]]], \"parameters\": {\"colour\": 1}}")));
    assertError(400, "conv1/Relu", http.post("/v1/models/cnn:explain", good.replace("]]]]}", "]]]], \"parameters\": {\"layer\": \"nope\"}}")));
    assertError(400, "grad-cam", http.post("/v1/models/cnn:explain", good.replace("]]]]}", "]]]], \"parameters\": {\"method\": \"magic\"}}")));
    // At most --max-instances (256 by default) instances per request.
    String many = "{\"instances\": [" + String.join(",", java.util.Collections.nCopies(257, "[1,2,3,4,5,6,7,8,9,10]")) + "]}";
    assertError(400, "at most 256 per request (its --max-instances)", http.post("/v1/models/text:explain", many));
    // A known path with the wrong verb: 405 with a JSON body, not 404.
    Http.Reply wrongVerb = http.post("/v1/models", "{}");
    assertEquals(405, wrongVerb.status(), wrongVerb.text());
    assertTrue(wrongVerb.text().contains("take GET"), wrongVerb.text());
    // The response's size is bounded: at most --max-targets (20 by default) maps per instance.
    assertError(400, "at most 20 (its --max-targets)", http.post("/v1/models/cnn:explain",
        good.replace("]]]]}", "]]]], \"parameters\": {\"top_k\": 21}}")));
    assertError(400, "at most 20 (its --max-targets)", http.post("/v1/models/cnn:explain", good.replace("]]]]}",
        "]]]], \"parameters\": {\"targets\": [" + "0,".repeat(20) + "0]}}")));
    assertError(400, "int32", http.post("/v1/models/text:explain", "{\"instances\": [[1.5,2,3,4,5,6,7,8,9,10]]}"));
    assertError(404, "serves [cnn, text]", http.post("/v1/models/nope:explain", good));
    assertError(404, "No endpoint", http.post("/v1/models/cnn:train", good));
    assertError(413, "", http.post("/v1/models/cnn:explain", new byte[300_000], "application/json"));
    assertError(415, "image/png", http.post("/v1/models/cnn:explain", new byte[10], "image/gif"));
    assertError(400, "instance 0", http.post("/v1/models/cnn:explain", new byte[10], "image/png"));
    ok(http.post("/v1/models/cnn:explain", good));
  }

  @Test
  void metricsCountRequestsByEndpointAndStatus() {
    ok(http.post("/v1/models/cnn:predict", Http.instances(TestModels.imageValues(1, 15), 1, H, W, 3, null)));
    http.post("/v1/models/nope:predict", "{}");
    String metrics = http.get("/metrics").text();
    assertTrue(metrics.contains("explain4j_requests_total{endpoint=\"predict\",model=\"cnn\",status=\"200\"}"), metrics);
    // An unknown model's name is no label value: labels stay bounded whatever clients send.
    assertTrue(metrics.contains("explain4j_requests_total{endpoint=\"predict\",model=\"\",status=\"404\"}"), metrics);
    assertTrue(!metrics.contains("model=\"nope\""), metrics);
    assertTrue(metrics.contains("explain4j_requests_in_flight"), metrics);
    for (String jvm : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds")) {
      assertTrue(metrics.contains(jvm), jvm + " in\n" + metrics);
    }
    assertTrue(metrics.contains("explain4j_request_duration_seconds_bucket"), metrics);
    assertTrue(metrics.contains("explain4j_batch_size_items_bucket"), metrics);
    assertTrue(metrics.contains("explain4j_queue_depth"), metrics);
  }

  static JsonNode ok(Http.Reply r) {
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  static void assertError(int status, String fragment, Http.Reply r) {
    assertEquals(status, r.status(), r.text());
    JsonNode body = r.json();
    assertEquals(status, body.get("status").asInt());
    assertNotNull(body.get("error"));
    assertTrue(body.get("error").asText().contains(fragment), "expected '" + fragment + "' in: " + body.get("error").asText());
  }

  static void assertMap(HeatMap expected, JsonNode got) {
    assertNotNull(got, "map missing");
    assertEquals(expected.height(), got.get("shape").get(0).asInt());
    assertEquals(expected.width(), got.get("shape").get(1).asInt());
    float[] values = expected.values();
    assertEquals(values.length, got.get("values").size());
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], got.get("values").get(i).floatValue(), 1e-5 * Math.max(1, Math.abs(values[i])), "value " + i);
    }
  }
}
