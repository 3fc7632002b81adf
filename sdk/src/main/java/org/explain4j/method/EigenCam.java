package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.model.LayerKind;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020): the projection of each cell's activations (centred over the
 * cells) on their first principal component; no gradient, so the map is the same for every target.
 * The component's sign is arbitrary: it is chosen so that the map correlates positively with the
 * sum of the activations.
 */
public class EigenCam implements AttributionMethod {
  private static final int MAX_ITERATIONS = 200;
  private static final double TOLERANCE = 1e-10;

  @Override
  public String name() {
    return "eigen-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** A principal component's sign is fixed by the activations, whatever the gradient's: no counterfactual. */
  @Override
  public boolean hasCounterfactual() {
    return false;
  }

  /** Whether the component is taken of gradient x activation rather than of the activations. */
  boolean weighted() {
    return false;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    LayerValues v = new LayerValues(input, weighted());
    int cells = v.cells();
    int channels = v.channels();
    float[] raw = new float[input.layout().batch() * cells];
    for (int item = 0; item < input.layout().batch(); item++) {
      double[][] x = new double[cells][channels];
      double[] activationSum = new double[cells];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < channels; c++) {
          double a = v.a(item, cell, c);
          x[cell][c] = weighted() ? v.g(item, cell, c) * a : a;
          activationSum[cell] += a;
        }
      }
      double[] projection = firstComponentProjection(x);
      if (covariance(projection, activationSum) < 0) {
        for (int cell = 0; cell < cells; cell++) {
          projection[cell] = -projection[cell];
        }
      }
      for (int cell = 0; cell < cells; cell++) {
        raw[item * cells + cell] = (float) projection[cell];
      }
    }
    return LayerValues.finish(input, raw);
  }

  /**
   * The rows of {@code x}, centred column by column, projected on the top right-singular vector,
   * found by power iteration on {@code X^T X} (applied as two products, never formed).
   */
  static double[] firstComponentProjection(double[][] x) {
    int rows = x.length;
    int cols = x[0].length;
    for (int c = 0; c < cols; c++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[c];
      }
      mean /= rows;
      for (double[] row : x) {
        row[c] -= mean;
      }
    }
    double[] v = new double[cols];
    // A start no principal vector is orthogonal to in practice: the columns' spreads, plus a ramp.
    for (int c = 0; c < cols; c++) {
      for (double[] row : x) {
        v[c] += Math.abs(row[c]);
      }
      v[c] += 1e-3 * (c + 1);
    }
    normalise(v);
    double[] xv = new double[rows];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      multiply(x, v, xv);
      double[] next = new double[cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          next[c] += x[r][c] * xv[r];
        }
      }
      if (normalise(next) == 0) {
        break; // all cells alike: no component, the map is zero
      }
      double change = 0;
      for (int c = 0; c < cols; c++) {
        change += (next[c] - v[c]) * (next[c] - v[c]);
      }
      v = next;
      if (change < TOLERANCE) {
        break;
      }
    }
    multiply(x, v, xv);
    return xv;
  }

  /** {@code out = x v}. */
  static void multiply(double[][] x, double[] v, double[] out) {
    for (int r = 0; r < x.length; r++) {
      double s = 0;
      for (int c = 0; c < v.length; c++) {
        s += x[r][c] * v[c];
      }
      out[r] = s;
    }
  }

  /** Scales {@code v} to unit length; returns its length before (0: left as it is). */
  static double normalise(double[] v) {
    double norm = 0;
    for (double d : v) {
      norm += d * d;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
    return norm;
  }

  /** The (unnormalised) covariance of two series: only its sign is read. */
  static double covariance(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - ma) * (b[i] - mb);
    }
    return s;
  }
}
