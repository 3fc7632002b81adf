package org.explain4j.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one resampler: the engines' taps when growing, antialiased shrinking for images. */
class AxisResamplingTest {

  private static float[] stripes(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 2;
    }
    return v;
  }

  private static float[] resample1d(float[] v, AxisResampling cols) {
    return GradCam.resample(v, AxisResampling.of(1, 1, Interpolation.NEAREST), cols, -10, 10);
  }

  @Test
  void shrinkingWithAntialiasAveragesWhatNearestWouldAlias() {
    float[] v = stripes(32);
    float[] aliased = resample1d(v, AxisResampling.of(32, 4, Interpolation.NEAREST, false));
    float[] averaged = resample1d(v, AxisResampling.of(32, 4, Interpolation.NEAREST, true));
    for (float a : aliased) {
      assertTrue(a == 0f || a == 1f, "nearest picks single cells: " + a);
    }
    // A box of 8 cells (4 odd) around each interior output: exactly one half.
    assertEquals(0.5, averaged[1], 1e-6);
    assertEquals(0.5, averaged[2], 1e-6);
  }

  @ParameterizedTest
  @EnumSource(value = Interpolation.class, names = {"NEAREST", "BILINEAR", "BICUBIC"})
  void growingIsTheSameWithOrWithoutAntialias(Interpolation kind) {
    float[] v = {0.1f, 0.9f, 0.4f, 0.7f, 0.2f};
    assertArrayEquals(resample1d(v, AxisResampling.of(5, 17, kind, false)), resample1d(v, AxisResampling.of(5, 17, kind, true)), 1e-6f);
  }

  @ParameterizedTest
  @EnumSource(Interpolation.class)
  void weightsSumToOneGrowingAndShrinking(Interpolation kind) {
    for (int[] sizes : new int[][] {{5, 17}, {17, 5}, {7, 7}, {30, 4}}) {
      for (boolean antialias : new boolean[] {false, true}) {
        AxisResampling r = AxisResampling.of(sizes[0], sizes[1], kind, antialias);
        for (int o = 0; o < r.out(); o++) {
          double sum = 0;
          for (int k = 0; k < r.taps(); k++) {
            sum += r.weights()[o * r.taps() + k];
            assertTrue(r.indices()[o * r.taps() + k] >= 0 && r.indices()[o * r.taps() + k] < r.in());
          }
          assertEquals(1.0, sum, 1e-5, kind + " " + sizes[0] + "->" + sizes[1] + " antialias=" + antialias + " cell " + o);
        }
      }
    }
  }

  @Test
  void lanczosIsExactOnALine() {
    // Lanczos-3 reproduces a linear ramp in the interior (its weights are symmetric and sum to one).
    float[] ramp = new float[12];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i;
    }
    float[] out = resample1d(ramp, AxisResampling.of(12, 24, Interpolation.LANCZOS, true));
    for (int o = 8; o < 16; o++) {
      assertEquals((o + 0.5) / 2 - 0.5, out[o], 0.02, "cell " + o);
    }
  }
}
