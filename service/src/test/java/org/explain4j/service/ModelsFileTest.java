package org.explain4j.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.explain4j.Explainer;
import org.explain4j.Explanation;
import org.explain4j.Targets;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.Images;
import org.explain4j.testkit.TestData;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several models, each with its own labels, pixel settings and default method, from one models file. */
class ModelsFileTest {
  @TempDir
  Path tmp;

  @Test
  void eachModelGetsItsOwnLabelsPixelsAndMethod() throws Exception {
    // The two models of the issue: MobileNet's 1001 labels would fail the 4-class CNN were they shared.
    Path mobilenet = TestData.model("mobilenet-v1-025-128-frozen").toAbsolutePath();
    Files.copy(mobilenet.resolve("frozen_graph.pb"), tmp.resolve("mobilenet.pb"));
    Files.copy(mobilenet.resolve("labels.txt"), tmp.resolve("imagenet-labels.txt"));
    TestModels.cnn(tmp.resolve("shapes"), true);
    Path file = Files.writeString(tmp.resolve("models.json"), """
        {"models": [
          {"name": "mobilenet", "path": "mobilenet.pb", "labels": "imagenet-labels.txt",
           "pixels": {"scale": 0.0078431373, "mean": [1, 1, 1]}},
          {"name": "shapes", "path": "shapes", "labels": ["circle", "square", "triangle", "cross"], "method": "grad-cam++"}
        ]}""");
    byte[] photo = Files.readAllBytes(TestData.image("grace_hopper.jpg"));
    try (ExplainService service = ExplainService.start(ServiceConfig.builder().addModels(file).optPort(0).build());
        Explainer reference = Explainer.builder().setModel(tmp.resolve("mobilenet.pb")).optLabels(tmp.resolve("imagenet-labels.txt"))
            .build()) {
      assertEquals(List.of("mobilenet", "shapes"), service.models());
      Http http = new Http(service.uri());
      // MobileNet: the photo prepared as the file says (x / 127.5 - 1), not with the default 0..1 scaling.
      JsonNode r = ServiceEndpointsTest.ok(http.post("/v1/models/mobilenet:explain",
          "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(photo) + "\"}]}"));
      ImagePreprocessor pixels = ImagePreprocessor.forModel(reference.model()).optScale(1 / 127.5f).optMean(1, 1, 1).build();
      Explanation expected = reference.explain(pixels.toBatch(List.of(Images.decode(photo, "photo"))), Targets.predicted());
      JsonNode t = r.get("explanations").get(0).get("targets").get(0);
      assertEquals(expected.first(0).target(), t.get("target").asInt());
      assertEquals(expected.first(0).label().orElseThrow(), t.get("label").asText());
      assertEquals(expected.first(0).probability().getAsDouble(), t.get("probability").asDouble(), 1e-4);
      ServiceEndpointsTest.assertMap(expected.first(0).layerMap(), t.get("layerMap"));
      // The CNN: its own four labels and its own default method.
      JsonNode s = ServiceEndpointsTest.ok(http.post("/v1/models/shapes:explain", ServiceLoadAndFaultsTest.body(3)));
      JsonNode st = s.get("explanations").get(0).get("targets").get(0);
      assertEquals(List.of("circle", "square", "triangle", "cross").get(st.get("target").asInt()), st.get("label").asText());
      assertEquals("grad-cam++", st.get("method").asText());
      assertEquals("grad-cam++", http.get("/v1/models/shapes").json().get("method").asText());
    }
  }

  @Test
  void mistakesNameTheFileTheModelAndWhatIsExpected() throws Exception {
    TestModels.cnn(tmp.resolve("shapes"), true);
    ExplainException unknown = assertThrows(ExplainException.class, () -> ModelsFile.read(Files.writeString(tmp.resolve("a.json"),
        "{\"models\": [{\"name\": \"shapes\", \"path\": \"shapes\", \"lables\": [\"a\"]}]}")));
    assertTrue(unknown.getMessage().contains("a.json, model 0 ('shapes') has an unknown key \"lables\"")
        && unknown.getMessage().contains("labels"), unknown.getMessage());
    ExplainException noPath = assertThrows(ExplainException.class, () -> ModelsFile.read(Files.writeString(tmp.resolve("b.json"),
        "{\"models\": [{\"name\": \"shapes\"}]}")));
    assertTrue(noPath.getMessage().contains("has no \"path\""), noPath.getMessage());
    ExplainException empty = assertThrows(ExplainException.class, () -> ModelsFile.read(Files.writeString(tmp.resolve("c.json"),
        "{\"model\": []}")));
    assertTrue(empty.getMessage().contains("must be {\"models\": ["), empty.getMessage());
    ExplainException badOrder = assertThrows(ExplainException.class, () -> ModelsFile.read(Files.writeString(tmp.resolve("d.json"),
        "{\"models\": [{\"name\": \"shapes\", \"path\": \"shapes\", \"pixels\": {\"channelOrder\": \"gbr\"}}]}")));
    assertTrue(badOrder.getMessage().contains("pixels.channelOrder must be \"rgb\" or \"bgr\""), badOrder.getMessage());
    ExplainException notJson = assertThrows(ExplainException.class, () -> ModelsFile.read(Files.writeString(tmp.resolve("e.json"), "{")));
    assertTrue(notJson.getMessage().contains("Cannot read the models file"), notJson.getMessage());
  }
}
