package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.explain4j.input.ImagePreprocessor;
import org.explain4j.input.InputBatch;
import org.explain4j.testkit.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that scale their pixels themselves (Keras Rescaling and Normalization) take raw 0..255
 * pixels: detected, said in the provenance, and fed raw by default; an explicit scale still wins.
 */
class InGraphScalingTest {
  @TempDir
  Path tmp;

  private static BufferedImage picture() {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        image.setRGB(x, y, (x * 15) << 16 | (y * 15) << 8 | ((x + y) * 7));
      }
    }
    return image;
  }

  @Test
  void aRescalingModelGetsRawPixelsAndPredictsAsItsUnscaledTwinDoes() {
    Path rescaling = TestModels.scaledInput(tmp.resolve("rescaling"), "rescaling");
    Path none = TestModels.scaledInput(tmp.resolve("none"), "none");
    try (Explainer scaled = Explainer.builder().setModel(rescaling).build();
        Explainer twin = Explainer.builder().setModel(none).build()) {
      assertTrue(scaled.model().inGraphScaling().startsWith("Mul by 0.00392157 at 'rescaling/mul'"), scaled.model().inGraphScaling());
      assertNull(twin.model().inGraphScaling());
      // The twin takes [0, 1] (the default scaling); the rescaling model, given the default, gets raw pixels.
      InputBatch raw = ImagePreprocessor.forModel(scaled.model()).build().toBatch(List.of(picture()));
      InputBatch unit = ImagePreprocessor.forModel(twin.model()).build().toBatch(List.of(picture()));
      assertEquals(225f, max(raw.toFloats()), 0f, "raw pixels: the picture's brightest value is 225");
      assertTrue(max(unit.toFloats()) <= 1f, "scaled to [0, 1]");
      assertArrayEquals(twin.predict(unit), scaled.predict(raw), 1e-5f);
      Explanation e = scaled.explain(raw);
      assertEquals(scaled.model().inGraphScaling(), e.provenance().inGraphScaling());
      assertNull(twin.explain(unit).provenance().inGraphScaling());
      // An explicit scale wins over the detection.
      InputBatch told = ImagePreprocessor.forModel(scaled.model()).optScale(1 / 255f).build().toBatch(List.of(picture()));
      assertArrayEquals(unit.toFloats(), told.toFloats(), 1e-6f);
    }
  }

  @Test
  void normalizationInPixelUnitsIsDetectedAndAnAffineMapOfUnitValuesIsNot() {
    try (Explainer normalization = Explainer.builder().setModel(TestModels.scaledInput(tmp.resolve("n"), "normalization")).build();
        Explainer unit = Explainer.builder().setModel(TestModels.scaledInput(tmp.resolve("u"), "unit")).build()) {
      assertTrue(normalization.model().inGraphScaling().startsWith("subtraction of [123.680, ...] at 'normalization/sub'"),
          normalization.model().inGraphScaling());
      assertNull(unit.model().inGraphScaling(), "x * 2 - 1 expects values in [0, 1]");
      assertTrue(max(ImagePreprocessor.forModel(normalization.model()).build().toBatch(List.of(picture())).toFloats()) > 200, "raw pixels");
    }
  }

  private static float max(float[] values) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
