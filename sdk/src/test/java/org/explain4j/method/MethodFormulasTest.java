package org.explain4j.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.explain4j.cam.Interpolation;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.model.LayerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each gradient method against a straightforward double-precision computation of its paper's
 * formula, written here from the formulas (not from the implementation), on random activations and
 * gradients, in both layouts and with the counterfactual sign.
 */
class MethodFormulasTest {
  static final int B = 2;
  static final int H = 4;
  static final int W = 5;
  static final int C = 6;

  /** Values: activations non-negative (after a ReLU, as at most explained layers), gradients of both signs. */
  record Data(double[][][] a, double[][][] g, float[] acts, float[] grads) {}

  static Data data(boolean channelsFirst, long seed) {
    Random rng = new Random(seed);
    double[][][] a = new double[B][H * W][C];
    double[][][] g = new double[B][H * W][C];
    float[] acts = new float[B * H * W * C];
    float[] grads = new float[B * H * W * C];
    for (int b = 0; b < B; b++) {
      for (int cell = 0; cell < H * W; cell++) {
        for (int c = 0; c < C; c++) {
          float av = (float) Math.max(0, rng.nextGaussian());
          float gv = (float) rng.nextGaussian();
          a[b][cell][c] = av;
          g[b][cell][c] = gv;
          int at = channelsFirst ? b * H * W * C + c * H * W + cell : (b * H * W + cell) * C + c;
          acts[at] = av;
          grads[at] = gv;
        }
      }
    }
    return new Data(a, g, acts, grads);
  }

  /** The map of each formula at one item, before the ReLU, with gradients times {@code sign}. */
  static double[] reference(String method, double[][] a, double[][] g0, double sign) {
    int cells = a.length;
    double[][] g = new double[cells][C];
    for (int i = 0; i < cells; i++) {
      for (int c = 0; c < C; c++) {
        g[i][c] = sign * g0[i][c];
      }
    }
    double[] map = new double[cells];
    double[] w = new double[C];
    for (int c = 0; c < C; c++) {
      double sumG = 0;
      double sumA = 0;
      double sumGA = 0;
      for (int i = 0; i < cells; i++) {
        sumG += g[i][c];
        sumA += a[i][c];
        sumGA += g[i][c] * a[i][c];
      }
      switch (method) {
        case "grad-cam" -> w[c] = sumG / cells;
        case "xgrad-cam" -> w[c] = sumA == 0 ? 0 : sumGA / sumA;
        case "grad-cam++" -> {
          // alpha_ij = g^2 / (2 g^2 + sum_ab(A) g^3), weights = sum_ij alpha_ij relu(g_ij)
          for (int i = 0; i < cells; i++) {
            double gi = g[i][c];
            if (gi != 0) {
              double alpha = gi * gi / (2 * gi * gi + sumA * gi * gi * gi + 1e-6);
              w[c] += alpha * Math.max(gi, 0);
            }
          }
        }
        default -> { }
      }
    }
    for (int i = 0; i < cells; i++) {
      double s = 0;
      for (int c = 0; c < C; c++) {
        s += switch (method) {
          case "hires-cam" -> g[i][c] * a[i][c];
          case "grad-cam-elementwise" -> Math.max(0, g[i][c] * a[i][c]);
          case "layer-cam" -> Math.max(0, g[i][c]) * a[i][c];
          default -> w[c] * a[i][c];
        };
      }
      map[i] = s;
    }
    return map;
  }

  static MethodInput input(Data d, boolean channelsFirst, float sign, boolean relu) {
    return new MethodInput(LayerKind.SPATIAL, new int[] {0, 1}, new CamTask.Layout(B, H, W, C, channelsFirst),
        CamTask.Buffers.of(d.acts(), d.grads()), new CamTask.Options(sign, relu, 8, 10, Interpolation.NEAREST), new JavaCamEngine(), null,
        org.explain4j.method.Perturbation.ALL, false);
  }

  @ParameterizedTest(name = "{0} channelsFirst={1} sign={2} relu={3}")
  @CsvSource({
      "grad-cam, false, 1, false", "grad-cam, true, -1, true",
      "hires-cam, false, 1, false", "hires-cam, true, -1, true",
      "grad-cam-elementwise, false, 1, false", "grad-cam-elementwise, true, -1, true",
      "xgrad-cam, false, 1, false", "xgrad-cam, true, -1, true",
      "grad-cam++, false, 1, false", "grad-cam++, true, -1, true",
      "layer-cam, false, 1, false", "layer-cam, true, -1, true"})
  void matchesItsFormula(String name, boolean channelsFirst, float sign, boolean relu) {
    Data d = data(channelsFirst, name.hashCode());
    MethodMaps maps = Methods.choose(name, LayerKind.SPATIAL).compute(input(d, channelsFirst, sign, relu));
    assertEquals(H, maps.mapHeight());
    assertEquals(W, maps.mapWidth());
    for (int b = 0; b < B; b++) {
      double[] want = reference(name, d.a()[b], d.g()[b], sign);
      float[] got = maps.layerMap(b);
      double scale = 0;
      for (double v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < want.length; i++) {
        double expected = relu ? Math.max(0, want[i]) : want[i];
        assertEquals(expected, got[i], 1e-5 * Math.max(1, scale), name + " item " + b + " cell " + i);
      }
      // The heat map is the layer map normalised by its largest magnitude and resampled (nearest,
      // doubling each side, so every cell appears): its largest magnitude is exactly 1.
      float[] heat = maps.heatMap(b);
      float max = 0;
      for (float v : heat) {
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(maps.allZero()[b] || Math.abs(max - 1) < 1e-6, name + " heat map peak " + max);
    }
  }

  @ParameterizedTest(name = "{0} channelsFirst={1}")
  @CsvSource({"eigen-cam, false", "eigen-cam, true", "eigen-grad-cam, false"})
  void eigenMethodsProjectOnTheFirstPrincipalComponent(String name, boolean channelsFirst) {
    Data d = data(channelsFirst, 7 + name.length());
    MethodMaps maps = Methods.choose(name, LayerKind.SPATIAL).compute(input(d, channelsFirst, 1, false));
    for (int b = 0; b < B; b++) {
      int cells = H * W;
      double[][] x = new double[cells][C];
      double[] activationSum = new double[cells];
      for (int i = 0; i < cells; i++) {
        for (int c = 0; c < C; c++) {
          x[i][c] = name.equals("eigen-cam") ? d.a()[b][i][c] : d.g()[b][i][c] * d.a()[b][i][c];
          activationSum[i] += d.a()[b][i][c];
        }
      }
      assertProjection(x, activationSum, maps.layerMap(b), name + " item " + b);
    }
  }

  @ParameterizedTest(name = "{0} channelsFirst={1}")
  @CsvSource({"grad-cam, false", "grad-cam, true", "layer-cam, false", "hires-cam, true"})
  void eigenSmoothingProjectsTheContributionsOnTheirFirstPrincipalComponent(String name, boolean channelsFirst) {
    Data d = data(channelsFirst, 11 + name.length());
    MethodInput plain = input(d, channelsFirst, 1, false);
    MethodInput smoothed = new MethodInput(plain.kind(), plain.targets(), plain.layout(), plain.buffers(), plain.options(),
        plain.engine(), null, Perturbation.ALL, true);
    MethodMaps maps = Methods.choose(name, LayerKind.SPATIAL).compute(smoothed);
    int cells = H * W;
    for (int b = 0; b < B; b++) {
      double[] weight = new double[C];
      for (int i = 0; i < cells; i++) {
        for (int c = 0; c < C; c++) {
          weight[c] += d.g()[b][i][c] / cells;
        }
      }
      // Each cell's per-channel contributions, as the method's formula defines them.
      double[][] x = new double[cells][C];
      double[] sum = new double[cells];
      for (int i = 0; i < cells; i++) {
        for (int c = 0; c < C; c++) {
          double a = d.a()[b][i][c];
          double g = d.g()[b][i][c];
          x[i][c] = switch (name) {
            case "grad-cam" -> weight[c] * a;
            case "layer-cam" -> Math.max(0, g) * a;
            default -> g * a;
          };
          sum[i] += x[i][c];
        }
      }
      assertProjection(x, sum, maps.layerMap(b), name + " item " + b);
    }
  }

  /** {@code got} is the rows of {@code x} projected on their first principal component (Jacobi), signed to follow {@code sign}. */
  static void assertProjection(double[][] x, double[] sign, float[] got, String what) {
    double[] want = JacobiPca.projection(x);
    if (JacobiPca.covariance(want, sign) < 0) {
      for (int i = 0; i < want.length; i++) {
        want[i] = -want[i];
      }
    }
    double scale = 0;
    for (double v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4 * scale, what + " cell " + i);
    }
  }
}
