package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.explain4j.method.AttributionMethod;
import org.explain4j.method.Methods;
import org.explain4j.metric.Faithfulness;
import org.explain4j.metric.Metric;
import org.explain4j.model.LayerKind;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One image-layout rule everywhere: a channels-first model and its channels-last twin with the
 * same weights, shown the same pictures, give the same maps for every method (Score-CAM's masks
 * and Ablation-CAM's runs included), both smoothings, and the same faithfulness metrics.
 */
class ImageLayoutTest {
  @TempDir static Path tmp;
  static Path nchw;
  static Path nhwc;
  static InputBatch last;
  static InputBatch first;

  @BeforeAll
  static void models() {
    nchw = TestModels.nchwInput(tmp.resolve("nchw"));
    nhwc = TestModels.nhwcTwinOfNchw(tmp.resolve("nhwc"));
    int n = 2;
    float[] hwc = new float[n * 8 * 8 * 3];
    Random rng = new Random(12);
    for (int i = 0; i < hwc.length; i++) {
      hwc[i] = rng.nextFloat();
    }
    float[] chw = new float[hwc.length];
    for (int item = 0; item < n; item++) {
      for (int p = 0; p < 64; p++) {
        for (int c = 0; c < 3; c++) {
          chw[item * 192 + c * 64 + p] = hwc[item * 192 + p * 3 + c];
        }
      }
    }
    last = InputBatch.ofFloats(hwc, n, 8, 8, 3);
    first = InputBatch.ofFloats(chw, n, 3, 8, 8);
  }

  @Test
  void theRuleReadsBothLayouts() {
    assertEquals(new ImageLayout(8, 8, 3, false, false), ImageLayout.orNull(last));
    assertEquals(new ImageLayout(8, 8, 3, true, false), ImageLayout.orNull(first));
    assertEquals(first.item(0).toFloats()[ImageLayout.orNull(first).at(9, 2)], last.item(0).toFloats()[ImageLayout.orNull(last).at(9, 2)]);
  }

  @Test
  void everyMethodAndBothSmoothingsGiveTheSameMapsOnBothLayouts() {
    int compared = 0;
    for (AttributionMethod method : Methods.all()) {
      if (!method.supports(LayerKind.SPATIAL) || method.name().startsWith("test-")) {
        continue;
      }
      for (int smoothing = 0; smoothing < 3; smoothing++) {
        ExplainOptions options = ExplainOptions.builder().optLayer("features").optMethod(method.name()).optRelu(false)
            .optTargets(Targets.topK(2)).optEigenSmooth(smoothing == 1).optAugmentSmooth(smoothing == 2).build();
        same(options, method.name() + (smoothing == 1 ? " eigen-smoothed" : smoothing == 2 ? " augmented" : ""));
        compared++;
      }
    }
    assertTrue(compared >= 30, "every method, plain and smoothed: " + compared);
  }

  private static void same(ExplainOptions options, String what) {
    try (ExplainModel a = ExplainModel.load(Explainer.builder().setModel(nchw).config());
        ExplainModel b = ExplainModel.load(Explainer.builder().setModel(nhwc).config())) {
      Explanation x = a.explain(first, options);
      Explanation y = b.explain(last, options);
      assertEquals(y.targets().size(), x.targets().size(), what);
      for (int k = 0; k < x.targets().size(); k++) {
        assertEquals(y.targets().get(k).target(), x.targets().get(k).target(), what);
        assertArrayEquals(y.targets().get(k).layerMap().values(), x.targets().get(k).layerMap().values(), 1e-5f, what + " layer map " + k);
        assertArrayEquals(y.targets().get(k).heatMap().values(), x.targets().get(k).heatMap().values(), 1e-5f, what + " heat map " + k);
      }
    }
  }

  @Test
  void everyMetricIsTheSameOnBothLayouts() {
    // Boxes in the left half of item 0 and the lower half of item 1, for any class: the pointing game too.
    org.explain4j.metric.Regions regions = org.explain4j.metric.Regions.builder()
        .addBox(0, org.explain4j.metric.Regions.ANY_CLASS, 0, 0, 4, 8).addBox(1, org.explain4j.metric.Regions.ANY_CLASS, 0, 4, 8, 8).build();
    Faithfulness.Options options = Faithfulness.Options.builder().optSteps(4).optRoadFractions(0.25, 0.5).optRoadNoise(0)
        .optRegions(regions).build();
    EnumSet<Metric> metrics = EnumSet.allOf(Metric.class);
    try (Explainer a = Explainer.builder().setModel(nchw).optLayer("features").optMethod("grad-cam,score-cam").build();
        Explainer b = Explainer.builder().setModel(nhwc).optLayer("features").optMethod("grad-cam,score-cam").build()) {
      List<Faithfulness.Score> x = Faithfulness.evaluate(a, first, Targets.topK(2), metrics, options);
      List<Faithfulness.Score> y = Faithfulness.evaluate(b, last, Targets.topK(2), metrics, options);
      assertEquals(y.size(), x.size());
      assertTrue(x.get(0).values().containsKey("pointing"), "the pointing game was played: " + x.get(0).values().keySet());
      for (int i = 0; i < x.size(); i++) {
        assertEquals(y.get(i).values().keySet(), x.get(i).values().keySet());
        for (String key : x.get(i).values().keySet()) {
          assertEquals(y.get(i).values().get(key), x.get(i).values().get(key), 1e-5, key + " of score " + i);
        }
      }
    }
  }
}
