package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.Methods;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.testkit.TestModels;

/** Attribution methods plug in by registration alone, and get activations, gradients and forward runs. */
class MethodSeamTest {
  @TempDir
  static Path tmp;
  static Path model;
  static TestModels.GapWeights weights;

  @BeforeAll
  static void build() {
    model = tmp.resolve("gap");
    weights = TestModels.gap(model);
  }

  private static InputBatch images(int batch, long seed) {
    int n = batch * TestModels.GAP_H * TestModels.GAP_W * 2;
    return InputBatch.ofFloats(TestModels.random(new Random(seed), n, 1.0), batch, TestModels.GAP_H, TestModels.GAP_W, 2);
  }

  @Test
  void registeredMethodsIncludeTheBuiltInOnesAndOneAddedByAServicesLine() {
    List<String> names = Methods.all().stream().map(AttributionMethod::name).toList();
    assertTrue(names.containsAll(List.of("grad-cam", "gradient-x-activation", "test-channel-sum", "test-forward-runs")), names.toString());
  }

  @Test
  void aMethodAddedByItsOwnFileIsUsedByName() {
    InputBatch batch = images(3, 1);
    try (Explainer explainer = Explainer.builder().setModel(model).optLayer("features").optMethod("test-channel-sum").build()) {
      LayerGradients raw = explainer.gradients(batch, Targets.predicted());
      Explanation e = explainer.explain(batch);
      assertEquals("test-channel-sum", e.method());
      assertEquals("test-channel-sum", e.provenance().method());
      int cells = TestModels.GAP_H * TestModels.GAP_W;
      int c = weights.channels();
      for (int item = 0; item < 3; item++) {
        float[] map = e.first(item).layerMap().values();
        for (int cell = 0; cell < cells; cell++) {
          double sum = 0;
          for (int ch = 0; ch < c; ch++) {
            sum += raw.activations()[(item * cells + cell) * c + ch];
          }
          assertEquals(sum, map[cell], 1e-5, "item " + item + " cell " + cell);
        }
      }
    }
  }

  @Test
  void forwardRunsRepeatTheScoreAndReplaceTheLayer() {
    InputBatch batch = images(4, 2);
    try (Explainer explainer = Explainer.builder().setModel(model).optLayer("features").optMethod("test-forward-runs").build()) {
      LayerGradients raw = explainer.gradients(batch, Targets.topK(2));
      Explanation e = explainer.explain(batch, Targets.topK(2));
      int cells = TestModels.GAP_H * TestModels.GAP_W;
      int c = weights.channels();
      int k = weights.classes();
      for (TargetExplanation t : e.targets()) {
        float[] map = t.layerMap().values();
        assertEquals(t.score(), map[0], 1e-5, "the input run again");
        assertEquals(t.score(), map[1], 1e-5, "the layer fed its own activations");
        // logits = mean over cells of the features, times the dense kernel, plus the bias: doubled features, in double.
        double logit = weights.denseBias()[t.target()];
        for (int ch = 0; ch < c; ch++) {
          double mean = 0;
          for (int cell = 0; cell < cells; cell++) {
            mean += 2.0 * raw.activations()[(t.item() * cells + cell) * c + ch];
          }
          logit += mean / cells * weights.dense()[ch * k + t.target()];
        }
        assertEquals(logit, map[2], 1e-4, "the layer fed twice its activations");
      }
    }
  }

  @Test
  void unknownOrUnfitMethodsSayWhichFit() {
    ExplainException unknown = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(model).optMethod("magic-cam").build());
    assertTrue(unknown.getMessage().contains("magic-cam") && unknown.getMessage().contains("grad-cam"), unknown.getMessage());
    ExplainException unfit = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(model).optLayer("logits").optMethod("grad-cam").build());
    assertTrue(unfit.getMessage().contains("gradient-x-activation"), unfit.getMessage());
    try (Explainer dense = Explainer.builder().setModel(model).optLayer("logits").optRelu(false).build()) {
      assertEquals("gradient-x-activation", dense.method());
      // The layer is the score itself (the logits): its map is each logit times its own gradient,
      // which is 1 for the target and 0 elsewhere.
      InputBatch batch = images(2, 5);
      Explanation e = dense.explain(batch);
      for (int item = 0; item < 2; item++) {
        TargetExplanation t = e.first(item);
        float[] map = t.layerMap().values();
        for (int u = 0; u < weights.classes(); u++) {
          assertEquals(u == t.target() ? t.score() : 0f, map[u], 1e-6f, "item " + item + " unit " + u);
        }
      }
    }
  }

  @Test
  void severalMethodsComeFromOnePassAndEachEqualsItsOwnExplanation() throws Exception {
    InputBatch batch = images(2, 8);
    List<String> names = List.of("grad-cam", "hires-cam", "xgrad-cam", "grad-cam++");
    try (Explainer several = Explainer.builder().setModel(model).optLayer("features").optMethod(String.join(", ", names)).build()) {
      assertEquals(String.join(",", names), several.method());
      Explanation e = several.explain(batch, Targets.topK(2));
      assertEquals(2 * 2 * names.size(), e.targets().size(), "items x ranks x methods");
      for (String name : names) {
        try (Explainer alone = Explainer.builder().setModel(model).optLayer("features").optMethod(name).build()) {
          Explanation one = alone.explain(batch, Targets.topK(2));
          List<TargetExplanation> mine = e.targets().stream().filter(t -> t.method().equals(name)).toList();
          assertEquals(one.targets().size(), mine.size(), name);
          for (int i = 0; i < mine.size(); i++) {
            assertEquals(one.targets().get(i).item(), mine.get(i).item());
            assertEquals(one.targets().get(i).target(), mine.get(i).target());
            org.junit.jupiter.api.Assertions.assertArrayEquals(one.targets().get(i).heatMap().values(), mine.get(i).heatMap().values(),
                1e-6f, name + " " + i);
          }
        }
      }
      com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(org.explain4j.render.raw.JsonFormatter.toJson(e, "gap"));
      assertEquals("grad-cam++", json.get("explanations").get(3).get("method").asText(), "each entry names its method");
    }
  }
}
