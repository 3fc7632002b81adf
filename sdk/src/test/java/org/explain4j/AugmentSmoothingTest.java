package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explain4j.exceptions.InvalidInputException;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test-time augmentation against the six explanations made one by one here, mirrored back and averaged by hand. */
class AugmentSmoothingTest {
  static final int H = TestModels.H;
  static final int W = TestModels.W;

  @TempDir
  Path dir;

  @Test
  void averagesTheMapsOfMirroredAndScaledCopiesForTheImagesOwnTargets() {
    Path model = TestModels.cnn(dir.resolve("cnn"), true);
    InputBatch images = TestInputs.images(2, 41);
    float[] x = images.toFloats();
    try (Explainer plain = Explainer.builder().setModel(model).optMethod("grad-cam,layer-cam").build();
        Explainer smoothed = Explainer.builder().setModel(model).optMethod("grad-cam,layer-cam").optAugmentSmooth(true).build()) {
      Explanation got = smoothed.explain(images, Targets.topK(2));
      Explanation base = plain.explain(images, Targets.topK(2));
      List<int[]> targets = new ArrayList<>();
      for (int item = 0; item < 2; item++) {
        targets.add(new int[] {base.forItem(item).get(0).target(), base.forItem(item).get(2).target()});
      }
      int n = base.targets().size();
      double[][] heat = new double[n][H * W];
      double[][] layer = new double[n][];
      for (boolean mirror : new boolean[] {false, true}) {
        for (float k : new float[] {1f, 0.9f, 1.1f}) {
          float[] aug = new float[x.length];
          for (int item = 0; item < 2; item++) {
            for (int y = 0; y < H; y++) {
              for (int xx = 0; xx < W; xx++) {
                for (int c = 0; c < 3; c++) {
                  aug[((item * H + y) * W + xx) * 3 + c] = k * x[((item * H + y) * W + (mirror ? W - 1 - xx : xx)) * 3 + c];
                }
              }
            }
          }
          Explanation e = plain.explain(InputBatch.ofFloats(aug, 2, H, W, 3), Targets.perItem(targets));
          for (int t = 0; t < n; t++) {
            HeatMap h = e.targets().get(t).heatMap();
            HeatMap l = e.targets().get(t).layerMap();
            if (layer[t] == null) {
              layer[t] = new double[l.height() * l.width()];
            }
            for (int y = 0; y < H; y++) {
              for (int xx = 0; xx < W; xx++) {
                heat[t][y * W + xx] += h.get(y, mirror ? W - 1 - xx : xx) / 6;
              }
            }
            for (int y = 0; y < l.height(); y++) {
              for (int xx = 0; xx < l.width(); xx++) {
                layer[t][y * l.width() + xx] += l.get(y, mirror ? l.width() - 1 - xx : xx) / 6;
              }
            }
          }
        }
      }
      assertEquals(n, got.targets().size());
      for (int t = 0; t < n; t++) {
        TargetExplanation g = got.targets().get(t);
        TargetExplanation b = base.targets().get(t);
        assertEquals(b.target(), g.target());
        assertEquals(b.method(), g.method());
        assertEquals(b.score(), g.score(), 1e-6);
        assertEquals(b.probability().getAsDouble(), g.probability().getAsDouble(), 1e-6);
        double max = 0;
        for (double v : heat[t]) {
          max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < H * W; i++) {
          assertEquals(heat[t][i] / max, g.heatMap().values()[i], 1e-5, "heat " + t + " " + i);
        }
        for (int i = 0; i < layer[t].length; i++) {
          assertEquals(layer[t][i], g.layerMap().values()[i], 1e-5 * Math.max(1, Math.abs(layer[t][i])), "layer " + t + " " + i);
        }
      }
      assertEquals("augment", got.provenance().smoothing());
    }
  }

  @Test
  void nonImageInputsAreRefused() {
    Path model = TestModels.textCnn(dir.resolve("text"));
    try (Explainer e = Explainer.builder().setModel(model).optAugmentSmooth(true).build()) {
      InvalidInputException ex = assertThrows(InvalidInputException.class,
          () -> e.explain(InputBatch.ofInts(new int[TestModels.TEXT_LENGTH], 1, TestModels.TEXT_LENGTH)));
      org.junit.jupiter.api.Assertions.assertTrue(ex.getMessage().contains("image batch"), ex.getMessage());
    }
  }
}
