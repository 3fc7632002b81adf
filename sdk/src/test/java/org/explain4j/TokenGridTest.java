package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.explain4j.exceptions.ExplainException;
import org.explain4j.input.InputBatch;
import org.explain4j.render.Rendering;
import org.explain4j.render.Renderers;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transformer's token layer over an image is read as a grid of patches, the class token dropped. */
class TokenGridTest {

  @Test
  void gradCamOnTheTokensOfAVisionTransformerBlock(@TempDir Path tmp) {
    Path model = TestModels.tinyVit(tmp.resolve("vit"));
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(3), 2 * 8 * 8 * 3, 1.0), 2, 8, 8, 3);
    try (Explainer explainer = Explainer.builder().setModel(model).optLayer("with_cls").optRelu(false).build()) {
      assertEquals("[-1, 17, 8]", explainer.layer().shape().toString());
      Explanation e = explainer.explain(batch);
      LayerGradients raw = explainer.gradients(batch, Targets.predicted());
      for (int item = 0; item < 2; item++) {
        TargetExplanation t = e.first(item);
        assertEquals(4, t.layerMap().height(), "16 patch tokens on a 4x4 grid, the class token dropped");
        assertEquals(4, t.layerMap().width());
        assertEquals(8, t.heatMap().height(), "the map lies over the image");
        // Grad-CAM in double over tokens 1..16: channel means of the gradients, weighted sum.
        double[] w = new double[8];
        for (int c = 0; c < 8; c++) {
          for (int token = 1; token <= 16; token++) {
            w[c] += raw.ranks().get(0).gradients()[(item * 17 + token) * 8 + c];
          }
          w[c] /= 16;
        }
        float[] map = t.layerMap().values();
        for (int cell = 0; cell < 16; cell++) {
          double v = 0;
          for (int c = 0; c < 8; c++) {
            v += w[c] * raw.activations()[(item * 17 + 1 + cell) * 8 + c];
          }
          assertEquals(v, map[cell], 1e-5 * Math.max(1, Math.abs(v)), "item " + item + " patch " + cell);
        }
        assertTrue(t.layerMap().max() != t.layerMap().min(), "the attention spreads evidence over the patches");
      }
      assertEquals(Rendering.Format.PNG, Renderers.show(explainer, batch).format(), "drawn over the image, not as tokens");
    }
    try (Explainer declared = Explainer.builder().setModel(model).optLayer("with_cls").optTokenGrid(1, 4, 4).build()) {
      assertEquals(4, declared.explain(batch).first(0).layerMap().width());
    }
    ExplainException wrong = assertThrows(ExplainException.class,
        () -> Explainer.builder().setModel(model).optLayer("with_cls").optTokenGrid(0, 2, 8).build());
    assertTrue(wrong.getMessage().contains("17 tokens") && wrong.getMessage().contains("16"), wrong.getMessage());
  }
}
