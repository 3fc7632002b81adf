package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.Methods;
import org.explain4j.model.LayerKind;
import org.explain4j.testkit.TestData;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Target ranks after the first feed the first run's layer values and run only the graph above the
 * layer. Their maps, scores and probabilities must equal those of running the whole model for each
 * rank, for every method and the counterfactual, on a residual connection above the layer and on
 * a real model.
 */
class SharedFirstRunTest {
  @TempDir static Path tmp;

  @Test
  void aResidualConnectionAboveTheLayer() {
    // layer4/block1/out feeds block2 through its convolutions and through the residual addition.
    Path resnet = TestModels.resnet(tmp.resolve("resnet18"), 18);
    InputBatch images = InputBatch.ofFloats(TestModels.random(new java.util.Random(5), 2 * 224 * 224 * 3, 1.0), 2, 224, 224, 3);
    compare(Explainer.builder().setModel(resnet).config(), "layer4/block1/out", images, Targets.topK(3));
  }

  @Test
  void aGraphThatFixesItsBatchAboveTheLayer() {
    // The flatten above conv2 reshapes to [2, -1]: later ranks cannot share one run of their tiled
    // values, and each gets its own run instead, with the same results.
    Path fixed = TestModels.cnnFixedBatch(tmp.resolve("fixed"), 2);
    compare(Explainer.builder().setModel(fixed).config(), "conv2/Relu", TestInputs.images(3, 9), Targets.topK(3));
  }

  @Test
  void theFrozenMobileNetOnAPhoto() {
    Path dir = TestData.model("mobilenet-v1-025-128-frozen");
    ExplainerConfig config = Explainer.builder().setModel(dir.resolve("frozen_graph.pb")).config();
    InputBatch photo;
    try (ExplainModel probe = ExplainModel.load(config)) {
      photo = ImagePreprocessor.forModel(probe.describe()).optScale(1 / 127.5f).optMean(1f).build()
          .toBatch(List.of(org.explain4j.input.Images.read(TestData.image("grace_hopper.jpg"))));
    }
    compare(config, "MobilenetV1/MobilenetV1/Conv2d_11_pointwise/Relu6", photo, Targets.topK(4));
  }

  /** Every spatial method, with and without the counterfactual, shared first run against a run per rank. */
  private static void compare(ExplainerConfig config, String layer, InputBatch input, Targets targets) {
    try (ExplainModel shared = ExplainModel.load(config); ExplainModel perRank = ExplainModel.load(config)) {
      perRank.rerunWholeModelPerRank();
      int checked = 0;
      for (AttributionMethod method : Methods.all()) {
        if (!method.supports(LayerKind.SPATIAL)) {
          continue;
        }
        for (boolean counterfactual : new boolean[] {false, true}) {
          if (counterfactual && !method.hasCounterfactual()) {
            continue;
          }
          ExplainOptions options = ExplainOptions.builder().optLayer(layer).optMethod(method.name()).optTargets(targets)
              .optCounterfactual(counterfactual).optRelu(false).optPerturbation(6, 0).build();
          Explanation a = shared.explain(input, options);
          Explanation b = perRank.explain(input, options);
          String what = method.name() + (counterfactual ? " counterfactual" : "");
          assertEquals(b.targets().size(), a.targets().size(), what);
          for (int k = 0; k < a.targets().size(); k++) {
            TargetExplanation x = a.targets().get(k);
            TargetExplanation y = b.targets().get(k);
            assertEquals(y.item(), x.item(), what);
            assertEquals(y.target(), x.target(), what + ": the same classes in the same order");
            assertEquals(y.score(), x.score(), 1e-5 * Math.max(1, Math.abs(y.score())), what + " score");
            assertEquals(y.probability().orElse(-1), x.probability().orElse(-1), 1e-5, what + " probability");
            close(y.layerMap().values(), x.layerMap().values(), what + " layer map of " + y.target());
            close(y.heatMap().values(), x.heatMap().values(), what + " heat map of " + y.target());
          }
          checked++;
        }
      }
      assertTrue(checked >= 15, "every method and counterfactual compared: " + checked);
    }
  }

  private static void close(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
    }
  }
}
