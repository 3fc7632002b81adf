package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.model.LayerKind;

/**
 * KPCA-CAM (Karmani et al. 2024, as pytorch-grad-cam 1.5.5 computes it with scikit-learn's
 * {@code KernelPCA}): the cells' activations, centred over the cells, are compared pairwise with
 * the sigmoid kernel {@code tanh(x.y / channels + 1)}; the kernel matrix is centred and the map is
 * its top eigenvector scaled by the root of its eigenvalue (each cell's coordinate on the first
 * kernel principal component). As in scikit-learn, the sign makes the eigenvector's largest entry
 * positive. No gradient: the same map for every target.
 */
public class KpcaCam implements AttributionMethod {
  private static final int MAX_ITERATIONS = 2000;
  private static final double TOLERANCE = 1e-13;

  @Override
  public String name() {
    return "kpca-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** A component's sign is fixed by the activations alone: no counterfactual. */
  @Override
  public boolean hasCounterfactual() {
    return false;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    LayerValues v = new LayerValues(input, false);
    int cells = v.cells();
    int channels = v.channels();
    float[] raw = new float[input.layout().batch() * cells];
    for (int item = 0; item < input.layout().batch(); item++) {
      double[][] x = new double[cells][channels];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < channels; c++) {
          x[cell][c] = v.a(item, cell, c);
        }
      }
      double[] projection = projection(x);
      for (int cell = 0; cell < cells; cell++) {
        raw[item * cells + cell] = (float) projection[cell];
      }
    }
    return LayerValues.finish(input, raw);
  }

  /** Each row's coordinate on the first kernel principal component of the rows of {@code x} (centred here). */
  static double[] projection(double[][] x) {
    double[][] k = centredKernel(x);
    int n = k.length;
    // The sigmoid kernel need not be positive semi-definite: shift the spectrum by the Gershgorin
    // bound, so that power iteration finds the largest eigenvalue, not the largest in magnitude.
    double shift = 0;
    for (double[] row : k) {
      double s = 0;
      for (double e : row) {
        s += Math.abs(e);
      }
      shift = Math.max(shift, s);
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 1 + 1e-3 * i; // no eigenvector of a centred kernel is orthogonal to this in practice
    }
    EigenCam.normalise(v);
    double[] next = new double[n];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      EigenCam.multiply(k, v, next);
      for (int i = 0; i < n; i++) {
        next[i] += shift * v[i];
      }
      if (EigenCam.normalise(next) == 0) {
        return new double[n];
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        change += (next[i] - v[i]) * (next[i] - v[i]);
      }
      double[] t = v;
      v = next;
      next = t;
      if (change < TOLERANCE) {
        break;
      }
    }
    EigenCam.multiply(k, v, next);
    double eigenvalue = 0;
    int largest = 0;
    for (int i = 0; i < n; i++) {
      eigenvalue += v[i] * next[i];
      if (Math.abs(v[i]) > Math.abs(v[largest])) {
        largest = i;
      }
    }
    double scale = eigenvalue > 0 ? Math.sqrt(eigenvalue) : 0; // scikit-learn clips a non-positive eigenvalue to 0
    double sign = v[largest] < 0 ? -1 : 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = sign * scale * v[i];
    }
    return out;
  }

  /** The sigmoid kernel of the column-centred rows, double-centred ({@code K - 1K - K1 + 1K1}). */
  static double[][] centredKernel(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] c = new double[n][d];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[j];
      }
      mean /= n;
      for (int i = 0; i < n; i++) {
        c[i][j] = x[i][j] - mean;
      }
    }
    double gamma = 1.0 / d;
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double dot = 0;
        for (int t = 0; t < d; t++) {
          dot += c[i][t] * c[j][t];
        }
        k[i][j] = k[j][i] = Math.tanh(gamma * dot + 1);
      }
    }
    double[] rowMean = new double[n];
    double all = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        rowMean[i] += k[i][j];
      }
      rowMean[i] /= n;
      all += rowMean[i];
    }
    all /= n;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        k[i][j] += all - rowMean[i] - rowMean[j];
      }
    }
    return k;
  }
}
