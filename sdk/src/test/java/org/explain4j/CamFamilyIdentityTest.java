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

  /** Each item's {@code k} channels with the largest activation (all, in order, for k = 0), written here from the definition. */
  static java.util.List<Integer> topChannels(float[] activations, int item, int cells, int c, int k) {
    java.util.List<Integer> all = new java.util.ArrayList<>();
    double[] peak = new double[c];
    for (int ch = 0; ch < c; ch++) {
      all.add(ch);
      peak[ch] = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < cells; i++) {
        peak[ch] = Math.max(peak[ch], activations[(item * cells + i) * c + ch]);
      }
    }
    if (k == 0 || k >= c) {
      return all;
    }
    all.sort((a, b) -> peak[a] != peak[b] ? Double.compare(peak[b], peak[a]) : Integer.compare(a, b));
    return all.subList(0, k);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "top {0} channels, {1} items per run")
  @org.junit.jupiter.params.provider.CsvSource({"0, 0", "3, 0", "0, 6", "3, 1000"})
  void ablationCamWeighsEachChannelByItsDenseWeightTimesItsMeanOverTheLogit(int k, int perRun) {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int cells = TestModels.GAP_H * TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = batch();
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod("ablation-cam")
        .optRelu(false).optPerturbation(k, perRun).build()) {
      Explanation e = explainer.explain(batch, Targets.of(1));
      LayerGradients raw = explainer.gradients(batch, Targets.of(1));
      for (int item = 0; item < 2; item++) {
        double logit = raw.scores()[item * w.classes() + 1];
        double[] weight = new double[c];
        for (int ch : topChannels(raw.activations(), item, cells, c, k)) {
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

  @org.junit.jupiter.params.ParameterizedTest(name = "top {0} channels, {1} inputs per run")
  @org.junit.jupiter.params.provider.CsvSource({"0, 0", "3, 0", "0, 7", "3, 1000"})
  void scoreCamWeighsChannelsByTheSoftmaxOfTheScoresOfTheInputsTheyMask(int k, int inputsPerRun) {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int cells = TestModels.GAP_H * TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = batch();
    float[] x = batch.toFloats();
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").optMethod("score-cam")
        .optRelu(false).optPerturbation(k, inputsPerRun).build()) {
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
        java.util.List<Integer> taking = topChannels(raw.activations(), item, cells, c, k);
        double[] own = taking.stream().mapToDouble(ch -> 0).toArray();
        for (int j = 0; j < own.length; j++) {
          own[j] = scores[item][taking.get(j)];
        }
        double max = java.util.Arrays.stream(own).max().orElseThrow();
        double sum = java.util.Arrays.stream(own).map(v -> Math.exp(v - max)).sum();
        float[] map = e.first(item).layerMap().values();
        for (int i = 0; i < cells; i++) {
          double want = 0;
          for (int j = 0; j < own.length; j++) {
            want += Math.exp(own[j] - max) / sum * raw.activations()[(item * cells + i) * c + taking.get(j)];
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

  @org.junit.jupiter.api.Test
  void ablationRunsOfSeveralChannelsAgreeWithOneChannelPerRunAcrossAResidualConnection() {
    // layer4/block1/out feeds block2 twice: through its convolutions and through the residual
    // addition, so a run of several ablated copies must repeat the input to stay consistent.
    Path resnet = TestModels.resnet(tmp.resolve("resnet18"), 18);
    InputBatch images = InputBatch.ofFloats(TestModels.random(new java.util.Random(3), 2 * 224 * 224 * 3, 1.0), 2, 224, 224, 3);
    float[][] maps = new float[2][];
    for (int grouped = 0; grouped < 2; grouped++) {
      try (Explainer explainer = Explainer.builder().setModel(resnet).optLayer("layer4/block1/out").optMethod("ablation-cam")
          .optRelu(false).optPerturbation(4, grouped == 1 ? 8 : 0).build()) {
        Explanation e = explainer.explain(images, Targets.predicted());
        maps[grouped] = e.first(1).layerMap().values();
      }
    }
    for (int i = 0; i < maps[0].length; i++) {
      assertEquals(maps[0][i], maps[1][i], 1e-4 * Math.max(1, Math.abs(maps[0][i])), "cell " + i);
    }
  }
}
