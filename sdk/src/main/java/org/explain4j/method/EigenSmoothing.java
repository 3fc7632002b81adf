package org.explain4j.method;

/**
 * Eigen-smoothing, as pytorch-grad-cam offers it: instead of summing a method's per-channel
 * contributions at each cell (weight x activation, or its element-wise term), project them on
 * their first principal component. The sign is chosen so that the projection correlates positively
 * with the plain sum it replaces, so that "more relevant" keeps its direction.
 */
final class EigenSmoothing {
  private EigenSmoothing() {}

  /** The smoothed map of one item from its contributions {@code [cells][channels]}. */
  static double[] project(double[][] contributions) {
    double[] projection = EigenCam.firstComponentProjection(contributions);
    double[] sum = new double[contributions.length];
    for (int cell = 0; cell < contributions.length; cell++) {
      for (double v : contributions[cell]) {
        sum[cell] += v;
      }
    }
    if (EigenCam.covariance(projection, sum) < 0) {
      for (int cell = 0; cell < projection.length; cell++) {
        projection[cell] = -projection[cell];
      }
    }
    return projection;
  }

  /** Sums or projects each item's contributions into {@code raw} ({@code [batch * cells]}). */
  static void fill(float[] raw, int item, double[][] contributions, boolean smooth) {
    int cells = contributions.length;
    // One channel (a dense layer's units) has no component to find: the plain sum stands.
    if (smooth && contributions.length > 0 && contributions[0].length > 1) {
      double[] p = project(contributions);
      for (int cell = 0; cell < cells; cell++) {
        raw[item * cells + cell] = (float) p[cell];
      }
      return;
    }
    for (int cell = 0; cell < cells; cell++) {
      double sum = 0;
      for (double v : contributions[cell]) {
        sum += v;
      }
      raw[item * cells + cell] = (float) sum;
    }
  }
}
