package org.explain4j.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explain4j.cam.Interpolation;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.model.LayerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KPCA-CAM against kernel PCA done another way (the kernel centred by explicit products with the
 * averaging matrix, diagonalised by Jacobi rotations), and Random-CAM against its definition: a
 * mix of the channel maps with weights in [-1, 1], fixed by its seed, drawn afresh for each item.
 */
class BaselineAndKernelCamTest {
  static final int B = MethodFormulasTest.B;
  static final int C = MethodFormulasTest.C;
  static final int CELLS = MethodFormulasTest.H * MethodFormulasTest.W;

  @ParameterizedTest(name = "channelsFirst={0}")
  @ValueSource(booleans = {false, true})
  void kpcaCamIsEachCellsCoordinateOnTheFirstKernelPrincipalComponent(boolean channelsFirst) {
    MethodFormulasTest.Data d = MethodFormulasTest.data(channelsFirst, 21);
    MethodMaps maps = Methods.choose("kpca-cam", LayerKind.SPATIAL).compute(MethodFormulasTest.input(d, channelsFirst, 1, false));
    for (int b = 0; b < B; b++) {
      double[] want = kernelPca(d.a()[b]);
      float[] got = maps.layerMap(b);
      double scale = 0;
      for (double v : want) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 1e-3, "a component worth comparing: " + scale);
      for (int i = 0; i < CELLS; i++) {
        assertEquals(want[i], got[i], 1e-4 * scale, "item " + b + " cell " + i);
      }
    }
  }

  /** scikit-learn's KernelPCA(n_components=1, kernel='sigmoid') on the column-centred rows, written from its definition. */
  static double[] kernelPca(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] c = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += x[i][j] / n;
      }
      for (int i = 0; i < n; i++) {
        c[i][j] = x[i][j] - mean;
      }
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int t = 0; t < d; t++) {
          dot += c[i][t] * c[j][t];
        }
        k[i][j] = Math.tanh(dot / d + 1); // gamma = 1 / n_features, coef0 = 1
      }
    }
    // K - 1n K - K 1n + 1n K 1n, with 1n the matrix whose every entry is 1/n.
    double[][] ones = new double[n][n];
    for (double[] row : ones) {
      java.util.Arrays.fill(row, 1.0 / n);
    }
    double[][] oneK = product(ones, k);
    double[][] kOne = product(k, ones);
    double[][] oneKOne = product(oneK, ones);
    double[][] centred = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        centred[i][j] = k[i][j] - oneK[i][j] - kOne[i][j] + oneKOne[i][j];
      }
    }
    double[] top = JacobiPca.topEigen(centred);
    int largest = 1;
    for (int i = 1; i <= n; i++) {
      if (Math.abs(top[i]) > Math.abs(top[largest])) {
        largest = i;
      }
    }
    double sign = Math.signum(top[largest]);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = sign * top[i + 1] * Math.sqrt(Math.max(0, top[0]));
    }
    return out;
  }

  static double[][] product(double[][] a, double[][] b) {
    int n = a.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < n; t++) {
        for (int j = 0; j < n; j++) {
          out[i][j] += a[i][t] * b[t][j];
        }
      }
    }
    return out;
  }

  @Test
  void randomCamMixesTheChannelMapsWithWeightsInMinusOneToOneNewForEachItemAndRepeatable() {
    MethodFormulasTest.Data d = MethodFormulasTest.data(false, 5);
    // Item 1 gets item 0's activations: only fresh weights can make their maps differ.
    float[] acts = d.acts().clone();
    System.arraycopy(acts, 0, acts, CELLS * C, CELLS * C);
    MethodInput input = new MethodInput(LayerKind.SPATIAL, new int[] {0, 1}, new CamTask.Layout(B, MethodFormulasTest.H,
        MethodFormulasTest.W, C, false), CamTask.Buffers.of(acts, d.grads()), new CamTask.Options(1, false, 8, 10,
        Interpolation.NEAREST), new JavaCamEngine(), null, Perturbation.ALL, false);
    AttributionMethod random = Methods.choose("random-cam", LayerKind.SPATIAL);
    MethodMaps first = random.compute(input);
    assertArrayEquals(first.layerMap(0), random.compute(input).layerMap(0), "the same seed, the same map");
    double[][] a = d.a()[0];
    double[] w0 = leastSquares(a, first.layerMap(0));
    double[] w1 = leastSquares(a, first.layerMap(1));
    for (int item = 0; item < 2; item++) {
      double[] w = item == 0 ? w0 : w1;
      float[] map = first.layerMap(item);
      for (int cell = 0; cell < CELLS; cell++) {
        double fit = 0;
        for (int c = 0; c < C; c++) {
          fit += w[c] * a[cell][c];
        }
        assertEquals(map[cell], fit, 1e-4, "the map is a mix of the channel maps, item " + item + " cell " + cell);
      }
      double spread = 0;
      for (double v : w) {
        assertTrue(v >= -1 - 1e-4 && v <= 1 + 1e-4, "weight " + v + " in [-1, 1]");
        spread = Math.max(spread, Math.abs(v - w[0]));
      }
      assertTrue(spread > 0.1, "the weights differ between channels");
    }
    double differ = 0;
    for (int c = 0; c < C; c++) {
      differ = Math.max(differ, Math.abs(w0[c] - w1[c]));
    }
    assertTrue(differ > 0.1, "each item draws its own weights");
  }

  /** The weights w minimising |A w - map| (normal equations, Gaussian elimination with pivoting). */
  static double[] leastSquares(double[][] a, float[] map) {
    int n = a[0].length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int r = 0; r < a.length; r++) {
          m[i][j] += a[r][i] * a[r][j];
        }
      }
      for (int r = 0; r < a.length; r++) {
        m[i][n] += a[r][i] * map[r];
      }
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int j = col; j <= n; j++) {
            m[r][j] -= f * m[col][j];
          }
        }
      }
    }
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = m[i][n] / m[i][i];
    }
    return w;
  }
}
