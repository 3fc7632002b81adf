package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.explain4j.exceptions.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.explain4j.input.InputBatch;
import org.explain4j.model.DataFormat;
import org.explain4j.exceptions.ModelLoadException;
import org.explain4j.testkit.TestModels;

/** Single-output, regression, channels-first and multi-input models. */
class ModelKindsTest {
  @TempDir Path tmp;

  private static InputBatch smallImages(int batch, long seed) {
    return InputBatch.ofFloats(TestModels.random(new Random(seed), batch * 64, 1.0), batch, 8, 8, 1);
  }

  @Test
  void oneSigmoidUnitIsTwoClassesScoredByTheLogitAndItsNegation() {
    // Class 1 differentiates the logit z, class 0 differentiates -z; the prediction is class 1 where p >= 0.5.
    Path dir = TestModels.sigmoid(tmp.resolve("sigmoid"));
    InputBatch batch = smallImages(6, 1);
    try (Explainer plain = Explainer.builder().setModel(dir).optRelu(false).build();
        Explainer other = Explainer.builder().setModel(dir).optRelu(false).optCounterfactual(true).build()) {
      assertEquals(2, plain.classes());
      assertEquals("features", plain.layer().name());
      float[] predicted = plain.predict(batch);
      assertEquals(6, predicted.length, "the output stays one probability per item");
      Explanation e = plain.explain(batch);
      Explanation both = plain.explain(batch, Targets.of(0, 1));
      Explanation c = other.explain(batch, Targets.of(1));
      boolean sawEach[] = new boolean[2];
      for (int item = 0; item < 6; item++) {
        double p = predicted[item];
        TargetExplanation t = e.first(item);
        assertEquals(p >= 0.5 ? 1 : 0, t.target(), "item " + item + " p " + p);
        sawEach[t.target()] = true;
        TargetExplanation zero = both.forItem(item).get(0);
        TargetExplanation one = both.forItem(item).get(1);
        assertEquals(0, zero.target());
        assertEquals(1, one.target());
        assertEquals(p, one.probability().getAsDouble(), 1e-6);
        assertEquals(1 - p, zero.probability().getAsDouble(), 1e-6);
        assertEquals(p, 1 / (1 + Math.exp(-one.score())), 1e-6, "class 1's score is the logit");
        assertEquals(-one.score(), zero.score(), 1e-6, "class 0's score is its negation");
        float[] a = one.layerMap().values();
        float[] b = zero.layerMap().values();
        float[] cf = c.first(item).layerMap().values();
        for (int i = 0; i < a.length; i++) {
          assertEquals(-a[i], b[i], 1e-6f, "class 0's map is class 1's negated");
          assertEquals(-a[i], cf[i], 1e-6f, "so is class 1's counterfactual");
        }
      }
      assertTrue(sawEach[0] && sawEach[1], "the batch holds predictions of both classes");
      assertThrows(InvalidInputException.class, () -> plain.explain(batch, Targets.of(2)));
    }
  }

  @Test
  void automaticChoiceStopsBeforeGlobalPoolingWhenSizesAreUnknown() {
    // With height and width unknown, the 1x1 logits convolution after the pool looks spatial: it is not.
    Path dir = TestModels.slimHeadAnySize(tmp.resolve("slim"));
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(6), 2 * 4 * 4 * 3, 1.0), 2, 4, 4, 3);
    try (Explainer explainer = Explainer.builder().setModel(dir).build()) {
      assertEquals("features", explainer.layer().name());
      Explanation e = explainer.explain(batch);
      assertEquals(4, e.first(0).layerMap().height(), "a 4x4 map over the features, not 1x1");
      assertEquals(4, e.first(0).layerMap().width());
    }
  }

  @Test
  void regressionOutputIsTheScore() {
    Path dir = TestModels.regression(tmp.resolve("regression"));
    InputBatch batch = smallImages(2, 2);
    try (Explainer explainer = Explainer.builder().setModel(dir).build()) {
      assertEquals(1, explainer.classes());
      float[] predicted = explainer.predict(batch);
      Explanation e = explainer.explain(batch);
      for (int item = 0; item < 2; item++) {
        assertEquals(predicted[item], e.first(item).score(), 1e-6);
        assertTrue(e.first(item).probability().isEmpty());
        assertEquals(8, e.first(item).heatMap().height());
      }
    }
  }

  @Test
  void channelsFirstLayerIsDetectedFromTheGraph() {
    Path dir = TestModels.channelsFirst(tmp.resolve("nchw"));
    InputBatch batch = InputBatch.ofFloats(TestModels.random(new Random(4), 2 * 12 * 10 * 3, 1.0), 2, 12, 10, 3);
    try (Explainer explainer = Explainer.builder().setModel(dir).optLayer("features_nchw").build()) {
      assertEquals(DataFormat.CHANNELS_FIRST, explainer.layer().dataFormat());
      assertEquals(DataFormat.CHANNELS_FIRST, explainer.model().layer("bias_nchw").dataFormat());
      assertEquals(DataFormat.CHANNELS_LAST, explainer.model().layer("nchw").dataFormat(), "a bare transpose says nothing");
      Explanation e = explainer.explain(batch, Targets.of(2));
      LayerGradients raw = explainer.gradients(batch, Targets.of(2));
      int c = 6;
      int h = 12;
      int w = 10;
      for (int item = 0; item < 2; item++) {
        TargetExplanation t = e.first(item);
        assertEquals(12, t.layerMap().height());
        assertEquals(10, t.layerMap().width());
        assertEquals(12, t.heatMap().height(), "the heat map has the NHWC input's size");
        assertEquals(10, t.heatMap().width());
        // Independent computation on [C, H, W] planes.
        float[] acts = raw.activations();
        float[] grads = raw.ranks().get(0).gradients();
        float[] expected = new float[h * w];
        for (int ch = 0; ch < c; ch++) {
          double mean = 0;
          for (int i = 0; i < h * w; i++) {
            mean += grads[(item * c + ch) * h * w + i];
          }
          mean /= h * w;
          for (int i = 0; i < h * w; i++) {
            expected[i] += (float) (mean * acts[(item * c + ch) * h * w + i]);
          }
        }
        for (int i = 0; i < h * w; i++) {
          expected[i] = Math.max(0, expected[i]);
        }
        assertArrayEquals(expected, t.layerMap().values(), 1e-5f);
      }
    }
    // Declaring the wrong format changes the geometry: the declaration is honoured.
    try (Explainer declared = Explainer.builder().setModel(dir).optLayer("features_nchw").optDataFormat(DataFormat.CHANNELS_LAST).build()) {
      assertEquals(DataFormat.CHANNELS_LAST, declared.layer().dataFormat());
      assertEquals(6, declared.explain(batch).first(0).layerMap().height());
    }
  }

  @Test
  void severalInputsAreChosenAndFedByName() {
    Path dir = TestModels.twoInputs(tmp.resolve("two"));
    ModelLoadException none = assertThrows(ModelLoadException.class, () -> Explainer.builder().setModel(dir).build());
    assertTrue(none.getMessage().contains("2 inputs") && none.getMessage().contains("optInput"), none.getMessage());
    InputBatch images = smallImages(2, 3);
    try (Explainer explainer = Explainer.builder().setModel(dir).optInput("image").build()) {
      InvalidInputException missing = assertThrows(InvalidInputException.class, () -> explainer.explain(images));
      assertTrue(missing.getMessage().contains("Missing input 'gain'"), missing.getMessage());
      InputBatch gain1 = InputBatch.ofFloats(new float[] {1, 1}, 2, 1);
      InputBatch gain3 = InputBatch.ofFloats(new float[] {3, 3}, 2, 1);
      Explanation e1 = explainer.explain(Map.of("image", images, "gain", gain1), Targets.of(0));
      Explanation e3 = explainer.explain(Map.of("image", images, "gain", gain3), Targets.of(0));
      // Scaling the logit scales the gradients, hence the unnormalised map, but not the heat map.
      assertEquals(3 * e1.first(0).score(), e3.first(0).score(), 1e-5);
      float[] l1 = e1.first(0).layerMap().values();
      float[] l3 = e3.first(0).layerMap().values();
      for (int i = 0; i < l1.length; i++) {
        assertEquals(3 * l1[i], l3[i], 1e-5);
      }
      assertArrayEquals(e1.first(0).heatMap().values(), e3.first(0).heatMap().values(), 1e-6f);
      InvalidInputException mismatch = assertThrows(InvalidInputException.class,
          () -> explainer.explain(Map.of("image", images, "gain", InputBatch.ofFloats(new float[] {1}, 1, 1)), Targets.of(0)));
      assertTrue(mismatch.getMessage().contains("batch size"), mismatch.getMessage());
    }
  }
}
