package org.explain4j.method;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018), with the closed-form coefficients that the exponential of
 * the score allows: {@code alpha = G^2 / (2 G^2 + sum(A) G^3)} (0 where {@code G} is 0), and each
 * channel weighted by {@code sum(alpha * ReLU(G))} over the cells.
 */
public final class GradCamPlusPlus extends WeightedChannels {
  /** Keeps the denominator away from zero, as the reference implementations do. */
  private static final double EPS = 1e-6;

  @Override
  public String name() {
    return "grad-cam++";
  }

  @Override
  double[] weights(LayerValues v, int item) {
    double[] w = new double[v.channels()];
    for (int c = 0; c < v.channels(); c++) {
      double sumA = 0;
      for (int cell = 0; cell < v.cells(); cell++) {
        sumA += v.a(item, cell, c);
      }
      double weight = 0;
      for (int cell = 0; cell < v.cells(); cell++) {
        double g = v.g(item, cell, c);
        if (g == 0) {
          continue;
        }
        double g2 = g * g;
        double alpha = g2 / (2 * g2 + sumA * g2 * g + EPS);
        weight += alpha * Math.max(0, g);
      }
      w[c] = weight;
    }
    return w;
  }
}
