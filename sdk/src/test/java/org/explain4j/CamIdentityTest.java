package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/**
 * For conv -> ReLU -> global average pool -> dense, the Grad-CAM map of a logit is the classic CAM
 * of Zhou et al. (the activations weighted by the dense weights of that class) divided by H*W.
 */
class CamIdentityTest {
  @TempDir Path tmp;

  @Test
  void gradCamEqualsClassicCam() {
    TestModels.GapWeights w = TestModels.gap(tmp.resolve("gap"));
    int h = TestModels.GAP_H;
    int wd = TestModels.GAP_W;
    int c = w.channels();
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(5), 3 * h * wd * 2, 1.0), 3, h, wd, 2);
    try (Explainer explainer = Explainer.builder().setModel(tmp.resolve("gap")).optLayer("features").build()) {
      assertEquals("features", explainer.layer().name());
      for (int target = 0; target < w.classes(); target++) {
        Explanation e = explainer.explain(batch, Targets.of(target));
        LayerGradients raw = explainer.gradients(batch, Targets.of(target));
        float[] acts = raw.activations();
        for (int item = 0; item < 3; item++) {
          TargetExplanation t = e.first(item);
          double[] cam = new double[h * wd];
          double max = 0;
          for (int i = 0; i < h * wd; i++) {
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
              s += w.dense()[ch * w.classes() + target] * acts[(item * h * wd + i) * c + ch];
            }
            cam[i] = Math.max(0, s);
            max = Math.max(max, cam[i]);
          }
          float[] layerMap = t.layerMap().values();
          for (int i = 0; i < h * wd; i++) {
            assertEquals(cam[i] / (h * wd), layerMap[i], 1e-5 * Math.max(1, cam[i] / (h * wd)), "unnormalised cell " + i);
          }
          assertTrue(max > 0, "the fixture should produce a non-zero CAM");
          float[] heat = t.heatMap().values();
          for (int i = 0; i < h * wd; i++) {
            assertEquals(cam[i] / max, heat[i], 1e-5, "normalised cell " + i);
          }
        }
      }
    }
  }
}
