package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.explain4j.cam.Interpolation;
import org.explain4j.input.InputBatch;
import org.explain4j.model.ScoreKind;
import org.explain4j.render.raw.JsonFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.testkit.TestModels;

/** Each explanation says how it was made, and its JSON carries that. */
class ProvenanceTest {

  @Test
  void explanationsRecordHowTheyWereMade(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("gap");
    TestModels.gap(model);
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(3), 2 * TestModels.GAP_H * TestModels.GAP_W * 2, 1.0),
        2, TestModels.GAP_H, TestModels.GAP_W, 2);
    try (Explainer explainer = Explainer.builder().setModel(model).optLayer("features").optRelu(false).optCounterfactual(true)
        .optInterpolation(Interpolation.NEAREST).optEngine("java").build()) {
      Provenance p = explainer.explain(batch).provenance();
      assertEquals(model.toString(), p.model());
      assertEquals("serving_default", p.signature());
      assertEquals(List.of("serve"), p.tags());
      assertEquals("image", p.input());
      assertEquals("probabilities", p.output());
      assertEquals("features", p.layer());
      assertEquals("features", p.layerOp());
      assertEquals(org.explain4j.model.LayerKind.SPATIAL, p.layerKind());
      assertEquals("grad-cam", p.method());
      assertEquals(ScoreKind.LOGIT, p.score(), "the logit under the Softmax");
      assertEquals(false, p.relu());
      assertEquals(true, p.counterfactual());
      assertEquals(Interpolation.NEAREST, p.interpolation());
      assertEquals("java", p.engine());
      assertTrue(p.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), p.libraryVersion());
      assertTrue(p.tensorFlowVersion().startsWith("2.18"), p.tensorFlowVersion());

      JsonNode json = new ObjectMapper().readTree(JsonFormatter.toJson(explainer.explain(batch), "gap"));
      JsonNode provenance = json.get("provenance");
      assertEquals("features", provenance.get("layer").asText());
      assertEquals("spatial", provenance.get("layerKind").asText());
      assertEquals("logit", provenance.get("score").asText());
      assertEquals("nearest", provenance.get("interpolation").asText());
      assertEquals("serve", provenance.get("tags").get(0).asText());
      assertEquals(p.libraryVersion(), provenance.get("libraryVersion").asText());
      assertTrue(provenance.get("counterfactual").asBoolean());
      assertEquals(p.method(), json.get("method").asText(), "the explanation's method is its provenance's");
      assertFalse(provenance.get("smoothing").get("eigen").asBoolean());
      assertFalse(provenance.get("smoothing").get("augment").asBoolean());
      assertEquals(0, provenance.get("perturbation").get("maxChannels").asInt());
      assertEquals(0, provenance.get("perturbation").get("inputsPerRun").asInt());
    }
    try (Explainer output = Explainer.builder().setModel(model).optScore(ScoreKind.OUTPUT).build()) {
      assertEquals(ScoreKind.OUTPUT, output.explain(batch).provenance().score());
    }
  }

  @Test
  void theScoreKindIsTheOneActuallyUsed(@TempDir Path tmp) {
    // A regression output has no Softmax or Sigmoid: asking for the logit differentiates the output itself.
    Path model = TestModels.regression(tmp.resolve("regression"));
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(4), 64, 1.0), 1, 8, 8, 1);
      assertEquals(ScoreKind.OUTPUT, explainer.explain(batch).provenance().score());
    }
  }
}
