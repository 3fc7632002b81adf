package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models that take images of any size: layers of unknown height and width are chosen and explained at the batch's size. */
class AnySizeTest {

  @Test
  void automaticChoiceAndMapsFollowTheBatch(@TempDir Path tmp) {
    Path model = TestModels.anySize(tmp.resolve("any"));
    try (Explainer explainer = Explainer.builder().setModel(model).build()) {
      assertEquals("conv2/Relu", explainer.layer().name(), "the activation after the last convolution, of unknown size");
      assertEquals("[-1, -1, -1, 8]", explainer.layer().shape().toString());
      for (int[] size : new int[][] {{20, 24}, {12, 12}}) {
        int h = size[0];
        int w = size[1];
        InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(h), 2 * h * w * 3, 1.0), 2, h, w, 3);
        Explanation e = explainer.explain(batch);
        LayerGradients raw = explainer.gradients(batch, Targets.predicted());
        for (int item = 0; item < 2; item++) {
          TargetExplanation t = e.first(item);
          assertEquals(h, t.heatMap().height());
          assertEquals(w, t.heatMap().width());
          assertEquals(h, t.layerMap().height(), "SAME convolutions keep the input's size");
          // Grad-CAM in double from the raw activations and gradients: channel means of the gradients, weighted sum, ReLU.
          int cells = h * w;
          double[] weights = new double[8];
          for (int c = 0; c < 8; c++) {
            for (int cell = 0; cell < cells; cell++) {
              weights[c] += raw.ranks().get(0).gradients()[(item * cells + cell) * 8 + c];
            }
            weights[c] /= cells;
          }
          float[] map = t.layerMap().values();
          for (int cell = 0; cell < cells; cell += 7) {
            double v = 0;
            for (int c = 0; c < 8; c++) {
              v += weights[c] * raw.activations()[(item * cells + cell) * 8 + c];
            }
            assertEquals(Math.max(0, v), map[cell], 1e-5 * Math.max(1, Math.abs(v)), "size " + h + "x" + w + " item " + item + " cell " + cell);
          }
          assertTrue(t.heatMap().max() > 0);
        }
      }
    }
  }
}
