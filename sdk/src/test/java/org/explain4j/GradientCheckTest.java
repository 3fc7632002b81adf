package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;

/** The gradients explain4j computes match central finite differences of the model's logits. */
class GradientCheckTest {
  @TempDir static Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"conv2/Relu", "conv1/Relu", "pool"})
  void gradientsMatchFiniteDifferences(String layer) {
    Path dir = tmp.resolve("cnn_" + layer.replace('/', '_'));
    TestModels.cnn(dir, true);
    InputBatch batch = TestInputs.images(2, 17);
    int target = 3;
    LayerGradients raw;
    try (Explainer explainer = Explainer.builder().setModel(dir).optLayer(layer).build()) {
      raw = explainer.gradients(batch, Targets.of(target));
    }
    float[] acts = raw.activations();
    float[] grads = raw.ranks().get(0).gradients();
    long[] shape = raw.layerShape();
    int perItem = acts.length / 2;
    Random pick = new Random(1);
    int checked = 0;
    double eps = 1e-2;
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      for (int n = 0; n < 24; n++) {
        int item = n % 2;
        int j = item * perItem + pick.nextInt(perItem);
        double up = logit(bundle, layer, acts, shape, j, eps, item, target);
        double down = logit(bundle, layer, acts, shape, j, -eps, item, target);
        double numeric = (up - down) / (2 * eps);
        assertEquals(numeric, grads[j], 2e-3 + 2e-2 * Math.abs(numeric), "d logit / d " + layer + "[" + j + "]");
        checked++;
      }
      // The other item's gradient does not leak into this item: perturbing item 0 leaves item 1's logit alone.
      int j = pick.nextInt(perItem);
      assertEquals(logit(bundle, layer, acts, shape, j, 0, 1, target), logit(bundle, layer, acts, shape, j, 1.0, 1, target), 1e-5);
    }
    assertTrue(checked > 0);
  }

  /** The target logit of {@code item} with the layer fed its activations, element j shifted by delta. */
  private static double logit(SavedModelBundle bundle, String layer, float[] acts, long[] shape, int j, double delta, int item, int target) {
    float[] fed = acts.clone();
    fed[j] += (float) delta;
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(fed, true, false));
        Result r = bundle.session().runner().feed(layer, t).fetch("logits").run()) {
      return ((TFloat32) r.get(0)).getFloat(item, target);
    }
  }
}
