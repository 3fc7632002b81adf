package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closed forms on conv -> ReLU -> global average pool -> dense, under the logit: Grad-CAM, HiResCAM
 * and XGrad-CAM are the classic CAM up to a positive factor (the gradient at every cell is the dense
 * weight over H*W), and zeroing channel c lowers the logit by that channel's dense weight times its
 * spatial mean, which Ablation-CAM divides by the logit.
 */
class CamFamilyIdentityTest {
  @TempDir
  Path tmp;

  private static InputBatch batch() {
    return InputBatch.ofFloats(TestModels.random(new Random(11), 2 * TestModels.GAP_H * TestModels.GAP_W * 2, 1.0),
        2, TestModels.GAP_H, TestModels.GAP_W, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grad-cam", "hires-cam", "xgrad-cam"})
  void theseMethodsAreClassicCamUpToAFactor(String method) {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int cells = TestModels.GAP_H * TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = batch();
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod(method)
        .optRelu(false).build()) {
      for (int target = 0; target < w.classes(); target++) {
        Explanation e = explainer.explain(batch, Targets.of(target));
        float[] acts = explainer.gradients(batch, Targets.of(target)).activations();
        for (int item = 0; item < 2; item++) {
          double[] cam = new double[cells];
          double max = 0;
          for (int i = 0; i < cells; i++) {
            for (int ch = 0; ch < c; ch++) {
              cam[i] += w.dense()[ch * w.classes() + target] * acts[(item * cells + i) * c + ch];
            }
            max = Math.max(max, Math.abs(cam[i]));
          }
          float[] map = e.first(item).layerMap().values();
          double mapMax = 0;
          for (float v : map) {
            mapMax = Math.max(mapMax, Math.abs(v));
          }
          for (int i = 0; i < cells; i++) {
            assertEquals(cam[i] / max, map[i] / mapMax, 1e-4, method + " target " + target + " item " + item + " cell " + i);
          }
        }
      }
    }
  }

  @Test
  void ablationCamWeighsEachChannelByItsDenseWeightTimesItsMeanOverTheLogit() {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int cells = TestModels.GAP_H * TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = batch();
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod("ablation-cam")
        .optRelu(false).build()) {
      Explanation e = explainer.explain(batch, Targets.of(1));
      LayerGradients raw = explainer.gradients(batch, Targets.of(1));
      for (int item = 0; item < 2; item++) {
        double logit = raw.scores()[item * w.classes() + 1];
        double[] weight = new double[c];
        for (int ch = 0; ch < c; ch++) {
          double mean = 0;
          for (int i = 0; i < cells; i++) {
            mean += raw.activations()[(item * cells + i) * c + ch];
          }
          weight[ch] = w.dense()[ch * w.classes() + 1] * (mean / cells) / logit;
        }
        float[] map = e.first(item).layerMap().values();
        for (int i = 0; i < cells; i++) {
          double want = 0;
          for (int ch = 0; ch < c; ch++) {
            want += weight[ch] * raw.activations()[(item * cells + i) * c + ch];
          }
          assertEquals(want, map[i], 1e-4 * Math.max(1, Math.abs(want)), "item " + item + " cell " + i);
        }
      }
      assertTrue(e.provenance().method().equals("ablation-cam"));
    }
  }

  @Test
  void scoreCamWeighsChannelsByTheSoftmaxOfTheScoresOfTheInputsTheyMask() {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int cells = TestModels.GAP_H * TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = batch();
    float[] x = batch.toFloats();
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod("score-cam")
        .optRelu(false).build()) {
      Explanation e = explainer.explain(batch, Targets.of(2));
      LayerGradients raw = explainer.gradients(batch, Targets.of(2));
      // The layer has the input's size (SAME convolution): each channel masks the input cell for cell.
      double[][] scores = new double[2][c];
      for (int ch = 0; ch < c; ch++) {
        float[] masked = new float[x.length];
        for (int item = 0; item < 2; item++) {
          double lo = Double.MAX_VALUE;
          double hi = -Double.MAX_VALUE;
          for (int i = 0; i < cells; i++) {
            double a = raw.activations()[(item * cells + i) * c + ch];
            lo = Math.min(lo, a);
            hi = Math.max(hi, a);
          }
          for (int i = 0; i < cells; i++) {
            double a = raw.activations()[(item * cells + i) * c + ch];
            double m = hi > lo ? (a - lo) / (hi - lo) : 0;
            for (int d = 0; d < 2; d++) {
              masked[(item * cells + i) * 2 + d] = (float) (x[(item * cells + i) * 2 + d] * m);
            }
          }
        }
        float[] logits = explainer.gradients(InputBatch.ofFloats(masked, 2, TestModels.GAP_H, TestModels.GAP_W, 2), Targets.of(2)).scores();
        for (int item = 0; item < 2; item++) {
          scores[item][ch] = logits[item * w.classes() + 2];
        }
      }
      for (int item = 0; item < 2; item++) {
        double max = java.util.Arrays.stream(scores[item]).max().orElseThrow();
        double sum = java.util.Arrays.stream(scores[item]).map(v -> Math.exp(v - max)).sum();
        float[] map = e.first(item).layerMap().values();
        for (int i = 0; i < cells; i++) {
          double want = 0;
          for (int ch = 0; ch < c; ch++) {
            want += Math.exp(scores[item][ch] - max) / sum * raw.activations()[(item * cells + i) * c + ch];
          }
          assertEquals(want, map[i], 1e-4 * Math.max(1, Math.abs(want)), "item " + item + " cell " + i);
        }
      }
    }
    org.explain4j.exceptions.ExplainException none = org.junit.jupiter.api.Assertions.assertThrows(
        org.explain4j.exceptions.ExplainException.class,
        () -> Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod("score-cam").optCounterfactual(true).build());
    assertTrue(none.getMessage().contains("no counterfactual form"), none.getMessage());
  }
}
