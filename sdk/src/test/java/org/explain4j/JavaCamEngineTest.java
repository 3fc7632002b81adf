package org.explain4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.explain4j.cam.AxisResampling;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.Engines;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.exceptions.NonFiniteMapException;
import org.explain4j.exceptions.ExplainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.explain4j.testkit.TestModels;

/** The Java engine against a straightforward, independent computation and closed-form cases. */
class JavaCamEngineTest {

  @ParameterizedTest
  @CsvSource({
      "2, 7, 7, 16, 224, 224, false, true, 1, BILINEAR",
      "1, 3, 5, 9, 17, 31, false, false, 1, BILINEAR",
      "3, 3, 5, 9, 17, 31, true, true, -1, NEAREST",
      "2, 6, 4, 3, 12, 8, false, true, 1, BICUBIC",
      "1, 1, 1, 4, 5, 5, false, false, 1, BILINEAR",
      "2, 9, 9, 2, 4, 4, false, true, 1, BILINEAR",
      "4, 1, 30, 6, 1, 100, false, true, 1, BILINEAR",
      "1, 1, 30, 6, 1, 100, true, false, -1, BICUBIC"})
  void matchesIndependentComputation(int batch, int h, int w, int c, int oh, int ow, boolean channelsFirst,
      boolean relu, float sign, Interpolation kind) {
    Random rng = new Random(batch * 1000L + h * 100L + w);
    float[] acts = TestModels.random(rng, batch * h * w * c, 1.0);
    float[] grads = TestModels.random(rng, batch * h * w * c, 1.0);
    CamMaps maps = new JavaCamEngine().gradCam(new CamTask(new CamTask.Layout(batch, h, w, c, channelsFirst), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(sign, relu, oh, ow, kind)));
    for (int b = 0; b < batch; b++) {
      double[] map = new double[h * w];
      double max = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int yy = 0; yy < h; yy++) {
              for (int xx = 0; xx < w; xx++) {
                mean += grads[index(b, yy, xx, ch, h, w, c, channelsFirst)];
              }
            }
            s += sign * mean / (h * w) * acts[index(b, y, x, ch, h, w, c, channelsFirst)];
          }
          map[y * w + x] = relu ? Math.max(0, s) : s;
          max = Math.max(max, Math.abs(map[y * w + x]));
        }
      }
      for (int i = 0; i < h * w; i++) {
        assertEquals(map[i], maps.layerMaps()[b * h * w + i], 1e-5 * Math.max(1, Math.abs(map[i])));
        map[i] = max > 0 ? map[i] / max : 0;
      }
      assertEquals(max == 0, maps.allZero()[b]);
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          double expected = Math.max(relu ? 0 : -1, Math.min(1, sample(map, h, w, y, x, oh, ow, kind)));
          assertEquals(expected, maps.heatMaps()[(b * oh + y) * ow + x], 1e-5, "item " + b + " (" + y + ", " + x + ")");
        }
      }
    }
  }

  private static int index(int b, int y, int x, int ch, int h, int w, int c, boolean channelsFirst) {
    return channelsFirst ? ((b * c + ch) * h + y) * w + x : ((b * h + y) * w + x) * c + ch;
  }

  /** Direct, unseparated resampling: the reference for the engine's separable version. */
  private static double sample(double[] map, int h, int w, int oy, int ox, int oh, int ow, Interpolation kind) {
    double sy = (oy + 0.5) * h / oh - 0.5;
    double sx = (ox + 0.5) * w / ow - 0.5;
    switch (kind) {
      case NEAREST:
        return map[Math.min((int) Math.floor((oy + 0.5) * h / oh), h - 1) * w + Math.min((int) Math.floor((ox + 0.5) * w / ow), w - 1)];
      case BILINEAR: {
        double cy = Math.max(0, Math.min(h - 1, sy));
        double cx = Math.max(0, Math.min(w - 1, sx));
        int y0 = (int) cy;
        int x0 = (int) cx;
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double ty = cy - y0;
        double tx = cx - x0;
        return (1 - ty) * ((1 - tx) * map[y0 * w + x0] + tx * map[y0 * w + x1]) + ty * ((1 - tx) * map[y1 * w + x0] + tx * map[y1 * w + x1]);
      }
      default: {
        double s = 0;
        int fy = (int) Math.floor(sy);
        int fx = (int) Math.floor(sx);
        for (int i = -1; i <= 2; i++) {
          for (int j = -1; j <= 2; j++) {
            int yy = Math.max(0, Math.min(h - 1, fy + i));
            int xx = Math.max(0, Math.min(w - 1, fx + j));
            s += cubic(sy - (fy + i)) * cubic(sx - (fx + j)) * map[yy * w + xx];
          }
        }
        return s;
      }
    }
  }

  /** Keys (1981), a = -0.5, written from the piecewise definition. */
  private static double cubic(double t) {
    double x = Math.abs(t);
    if (x <= 1) {
      return 1.5 * x * x * x - 2.5 * x * x + 1;
    }
    if (x < 2) {
      return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
    }
    return 0;
  }

  @Test
  void closedFormUpsampling() {
    // 1x2 map [0, 1] to 1x4, bilinear with half-pixel centres: sources -0.25, 0.25, 0.75, 1.25.
    float[] out = org.explain4j.cam.GradCam.resample(new float[] {0, 1},
        AxisResampling.of(1, 1, Interpolation.BILINEAR), AxisResampling.of(2, 4, Interpolation.BILINEAR), 0, 1);
    assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, out, 1e-7f);
    float[] nearest = org.explain4j.cam.GradCam.resample(new float[] {0, 1},
        AxisResampling.of(1, 1, Interpolation.NEAREST), AxisResampling.of(2, 4, Interpolation.NEAREST), 0, 1);
    assertArrayEquals(new float[] {0, 0, 1, 1}, nearest);
    // A linear ramp is reproduced exactly by cubic convolution away from the borders.
    float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7};
    float[] cubic = org.explain4j.cam.GradCam.resample(ramp,
        AxisResampling.of(1, 1, Interpolation.BICUBIC), AxisResampling.of(8, 16, Interpolation.BICUBIC), -100, 100);
    for (int x = 4; x < 12; x++) {
      assertEquals((x + 0.5) / 2 - 0.5, cubic[x], 1e-5);
    }
  }

  @Test
  void cubicWeightsSumToOne() {
    AxisResampling r = AxisResampling.of(7, 23, Interpolation.BICUBIC);
    for (int o = 0; o < 23; o++) {
      float s = 0;
      for (int k = 0; k < 4; k++) {
        s += r.weights()[o * 4 + k];
      }
      assertEquals(1f, s, 1e-6f);
    }
  }

  @Test
  void zeroMapsAreFlaggedAndStayZero() {
    // Item 0: zero activations. Item 1: every cell negative, cut by the ReLU. Item 2: a real map.
    float[] acts = {0, 0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4};
    float[] grads = {1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1};
    CamMaps maps = new JavaCamEngine().gradCam(new CamTask(new CamTask.Layout(3, 2, 2, 1, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 3, 3, Interpolation.BICUBIC)));
    assertArrayEquals(new boolean[] {true, true, false}, maps.allZero());
    for (int i = 0; i < 18; i++) {
      assertEquals(0f, maps.heatMaps()[i]);
    }
    assertEquals(1f, maps.layerMaps()[8 + 3] / 4f, 1e-6f);
    for (int i = 18; i < 27; i++) {
      assertTrue(maps.heatMaps()[i] >= 0 && maps.heatMaps()[i] <= 1);
    }
  }

  @Test
  void nonFiniteGradientsNameTheItem() {
    float[] acts = new float[2 * 4];
    float[] grads = new float[2 * 4];
    grads[5] = Float.NaN;
    NonFiniteMapException e = assertThrows(NonFiniteMapException.class, () -> new JavaCamEngine().gradCam(new CamTask(new CamTask.Layout(2, 2, 2, 1, false), CamTask.Buffers.of(acts, grads),
        new CamTask.Options(1, true, 4, 4, Interpolation.BILINEAR))));
    assertEquals(1, e.item());
  }

  @Test
  void engineSelection() {
    assertEquals("java", Engines.select("auto").name());
    assertEquals("java", Engines.select("JAVA").name());
    ExplainException e = assertThrows(ExplainException.class, () -> Engines.select("cuda"));
    assertTrue(e.getMessage().contains("'cuda'"), e.getMessage());
    assertEquals(Interpolation.BICUBIC, Interpolation.parse("cubic"));
    assertThrows(IllegalArgumentException.class, () -> Interpolation.parse("lanczos9"));
  }
}
