package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.exceptions.ModelLoadException;
import org.explain4j.input.InputBatch;
import org.explain4j.model.ScoreKind;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frozen GraphDefs, TF-slim outputs (logits behind shape ops) and layers named by their scope. */
class FrozenGraphTest {
  @TempDir
  Path tmp;

  private static InputBatch images(int n, long seed) {
    return InputBatch.ofFloats(TestModels.random(new Random(seed), n * 8 * 8 * 3, 1.0), n, 8, 8, 3);
  }

  @Test
  void aFrozenGraphLoadsWithItsOnlyInputAndOutputAndScoresTheLogitBehindReshapes() {
    Path file = TestModels.frozenSlim(tmp.resolve("frozen_graph.pb"));
    InputBatch batch = images(3, 1);
    try (Explainer explainer = Explainer.builder().setModel(file).build()) {
      assertEquals("input", explainer.model().inputs().get(0).key());
      assertEquals("Net/Predictions/Reshape_1", explainer.model().outputs().get(0).key());
      assertEquals("Net/Conv2d_1/Relu6", explainer.layer().name(), "the activation after the last convolution");
      Explanation e = explainer.explain(batch);
      assertEquals(ScoreKind.LOGIT, e.provenance().score(), "the Softmax behind Reshape_1 is found");
      // The probabilities reported are the model's own output, and the scores are its logits:
      // the softmax of each item's scores, in double, gives the output TensorFlow computes.
      float[] predicted = explainer.predict(batch);
      LayerGradients raw = explainer.gradients(batch, Targets.predicted());
      for (int item = 0; item < 3; item++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 5; c++) {
          max = Math.max(max, raw.scores()[item * 5 + c]);
        }
        double sum = 0;
        for (int c = 0; c < 5; c++) {
          sum += Math.exp(raw.scores()[item * 5 + c] - max);
        }
        for (int c = 0; c < 5; c++) {
          assertEquals(predicted[item * 5 + c], Math.exp(raw.scores()[item * 5 + c] - max) / sum, 1e-5, "item " + item + " class " + c);
        }
        TargetExplanation t = e.first(item);
        assertEquals(predicted[item * 5 + t.target()], t.probability().getAsDouble(), 1e-5);
      }
    }
  }

  @Test
  void aDeclaredBatchOfOneIsFreedWhereNoOpDependsOnItAndKeptWhereOneDoes() {
    // The reference: the same weights exported with a free batch from the start.
    Path reference = TestModels.frozenSlim(tmp.resolve("free.pb"), -1, -1);
    Path declaredOne = TestModels.frozenSlim(tmp.resolve("declared-one.pb"), 1, -1);
    Path dependsOnOne = TestModels.frozenSlim(tmp.resolve("depends-on-one.pb"), 1, 1);
    InputBatch batch = images(3, 2);
    try (Explainer free = Explainer.builder().setModel(reference).build();
        Explainer freed = Explainer.builder().setModel(declaredOne).build();
        Explainer fixed = Explainer.builder().setModel(dependsOnOne).build()) {
      assertEquals(-1, freed.model().inputs().get(0).shape().asArray()[0], "batch 1 declared, nothing depends on it: freed");
      assertEquals(1, fixed.model().inputs().get(0).shape().asArray()[0], "a Reshape to [1, 5] depends on it: kept");
      Explanation expected = free.explain(batch, Targets.topK(2));
      for (Explainer model : java.util.List.of(freed, fixed)) {
        Explanation got = model.explain(batch, Targets.topK(2));
        for (int item = 0; item < 3; item++) {
          for (int rank = 0; rank < 2; rank++) {
            TargetExplanation want = expected.forItem(item).get(rank);
            TargetExplanation have = got.forItem(item).get(rank);
            assertEquals(want.target(), have.target());
            float[] w = want.layerMap().values();
            float[] h = have.layerMap().values();
            for (int i = 0; i < w.length; i++) {
              assertEquals(w[i], h[i], 1e-5 * Math.max(1, Math.abs(w[i])), "item " + item + " rank " + rank + " value " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void aRetrainPyGraphExplainsThroughItsUnfedPlaceholderWithDefault() {
    // retrain.py's bottleneck input: a PlaceholderWithDefault between the convolutions and the new head.
    // Unfed, it is an identity: the maps must equal those of the same graph with an Identity there.
    Path retrained = TestModels.frozenRetrain(tmp.resolve("retrained_graph.pb"), true);
    Path reference = TestModels.frozenRetrain(tmp.resolve("reference.pb"), false);
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(8), 2 * 12 * 12 * 3, 1.0), 2, 12, 12, 3);
    try (Explainer model = Explainer.builder().setModel(retrained).optOutput("final_result").build();
        Explainer expected = Explainer.builder().setModel(reference).optOutput("final_result").build()) {
      assertEquals("module/conv/Relu", model.layer().name());
      Explanation got = model.explain(batch, Targets.topK(2));
      Explanation want = expected.explain(batch, Targets.topK(2));
      for (int item = 0; item < 2; item++) {
        for (int rank = 0; rank < 2; rank++) {
          assertEquals(want.forItem(item).get(rank).target(), got.forItem(item).get(rank).target());
          float[] w = want.forItem(item).get(rank).layerMap().values();
          float[] h = got.forItem(item).get(rank).layerMap().values();
          for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], h[i], 1e-6 * Math.max(1, Math.abs(w[i])), "item " + item + " rank " + rank + " value " + i);
          }
        }
      }
      assertTrue(!got.first(0).allZero(), "a map, not zeros");
    }
  }

  @Test
  void theRealFrozenMobileNetDeclaresBatchOneButRunsSeveralItemsAtOnce() {
    Path mobilenet = org.explain4j.testkit.TestData.model("mobilenet-v1-025-128-frozen").resolve("frozen_graph.pb");
    try (Explainer explainer = Explainer.builder().setModel(mobilenet).build()) {
      assertEquals(-1, explainer.model().inputs().get(0).shape().asArray()[0]);
      Random rng = new Random(5);
      int size = 128 * 128 * 3;
      float[] a = TestModels.random(rng, size, 1.0);
      float[] b = TestModels.random(rng, size, 1.0);
      float[] both = new float[2 * size];
      System.arraycopy(a, 0, both, 0, size);
      System.arraycopy(b, 0, both, size, size);
      float[] alone = concat(explainer.predict(InputBatch.ofFloats(a, 1, 128, 128, 3)), explainer.predict(InputBatch.ofFloats(b, 1, 128, 128, 3)));
      float[] together = explainer.predict(InputBatch.ofFloats(both, 2, 128, 128, 3));
      assertEquals(alone.length, together.length);
      for (int i = 0; i < alone.length; i++) {
        assertEquals(alone[i], together[i], 1e-5, "probability " + i);
      }
    }
  }

  private static float[] concat(float[] x, float[] y) {
    float[] out = java.util.Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  @Test
  void aScopeNameResolvesToTheScopesOutput() {
    Path file = TestModels.frozenSlim(tmp.resolve("frozen_graph.pb"));
    try (Explainer explainer = Explainer.builder().setModel(file).optLayer("Conv2d_1").build()) {
      assertEquals("Net/Conv2d_1/Relu6", explainer.layer().name(), "the op the scope's output is read from outside it");
    }
    try (Explainer explainer = Explainer.builder().setModel(file).optLayer("Net/Conv2d_1").build()) {
      assertEquals("Net/Conv2d_1/Relu6", explainer.layer().name());
    }
  }

  @Test
  void theListingHasOneRowPerScope() {
    Path file = TestModels.frozenSlim(tmp.resolve("frozen_graph.pb"));
    org.explain4j.model.ModelDescription d = Explainer.builder().setModel(file).describe();
    assertEquals(java.util.List.of("Net/Conv2d_1 -> Net/Conv2d_1/Relu6", "Net/Logits -> Net/Logits/SpatialSqueeze",
        "Net/Predictions -> Net/Predictions/Reshape_1"),
        d.rows().stream().map(r -> r.name() + " -> " + r.layer().op()).toList());
    assertTrue(d.summary().contains("* Net/Conv2d_1 -> Net/Conv2d_1/Relu6 (Relu6)"), d.summary());
    assertTrue(d.summary(true).contains("Net/Conv2d_1/BiasAdd"), "every op with allOps: " + d.summary(true));
    assertTrue(!d.summary().contains("Net/Conv2d_1/BiasAdd"), d.summary());
  }

  @Test
  void namedOpsAndWhatIsMissing() {
    Path file = TestModels.frozenSlim(tmp.resolve("frozen_graph.pb"));
    try (Explainer explainer = Explainer.builder().setModel(file).optInput("input").optOutput("Net/Predictions/Softmax").build()) {
      assertEquals(ScoreKind.LOGIT, explainer.explain(images(1, 2)).provenance().score());
    }
    ModelLoadException missing = assertThrows(ModelLoadException.class,
        () -> Explainer.builder().setModel(file).optOutput("Net/Nothing").build());
    assertTrue(missing.getMessage().contains("'Net/Nothing'"), missing.getMessage());
    // The message lists what the graph has, and names the CLI's real option.
    assertTrue(missing.getMessage().contains("output candidates are ["), missing.getMessage());
    assertTrue(missing.getMessage().contains("--output-op"), missing.getMessage());
    ModelLoadException noInput = assertThrows(ModelLoadException.class,
        () -> Explainer.builder().setModel(file).optInput("images").build());
    assertTrue(noInput.getMessage().contains("input candidates are [input]") && noInput.getMessage().contains("--input-op"),
        noInput.getMessage());
    ModelLoadException garbage = assertThrows(ModelLoadException.class,
        () -> Explainer.builder().setModel(TestModels.frozenSlim(tmp.resolve("x.pb")).resolveSibling("x.pb"))
            .setModel(writeGarbage(tmp.resolve("garbage.pb"))).build());
    assertTrue(garbage.getMessage().contains("garbage.pb"), garbage.getMessage());
  }

  private static Path writeGarbage(Path file) {
    try {
      java.nio.file.Files.write(file, new byte[] {0x0a, (byte) 0xff, 0x13, 0x37});
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theLogitOfALinearOutputIsTheOutputAndANonLinearOneIsRefusedNamingItsProducer() {
    // A Dense output with no activation already is a logit: --score logit differentiates it, and says so.
    Path linear = TestModels.regression(tmp.resolve("regression"));
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(3), 2 * 64, 1.0), 2, 8, 8, 1);
    try (Explainer logit = Explainer.builder().setModel(linear).optScore(ScoreKind.LOGIT).build();
        Explainer output = Explainer.builder().setModel(linear).build()) {
      Explanation asLogit = logit.explain(batch);
      Explanation asOutput = output.explain(batch);
      assertEquals(ScoreKind.LOGIT, asLogit.provenance().score());
      assertEquals(ScoreKind.OUTPUT, asOutput.provenance().score());
      float[] predicted = output.predict(batch);
      for (int item = 0; item < 2; item++) {
        assertEquals(predicted[item], asLogit.first(item).score(), 1e-6);
        assertArrayEquals(asOutput.first(item).layerMap().values(), asLogit.first(item).layerMap().values(), 1e-6f);
      }
    }
    // A Tanh output is no logit: the refusal names the Tanh, not the Reshape or Identity nodes around it.
    Path bounded = TestModels.boundedRegression(tmp.resolve("bounded"));
    ExplainException e = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(bounded).optScore(ScoreKind.LOGIT).build());
    assertTrue(e.getMessage().contains("it comes from Tanh 'bounded'"), e.getMessage());
    assertTrue(!e.getMessage().contains("Identity"), e.getMessage());
  }
}
