package org.explain4j.method;

/**
 * XGrad-CAM (Fu et al. 2020): each channel weighted by the activation-weighted sum of its gradients,
 * {@code sum(G * A) / sum(A)} over the cells; then the weighted sum of the activations.
 */
public final class XGradCam extends WeightedChannels {

  @Override
  public String name() {
    return "xgrad-cam";
  }

  @Override
  double[] weights(LayerValues v, int item) {
    double[] w = new double[v.channels()];
    for (int c = 0; c < v.channels(); c++) {
      double ga = 0;
      double a = 0;
      for (int cell = 0; cell < v.cells(); cell++) {
        ga += v.g(item, cell, c) * v.a(item, cell, c);
        a += v.a(item, cell, c);
      }
      // A channel that is zero everywhere adds nothing to the map, whatever its weight.
      w[c] = a == 0 ? 0 : ga / a;
    }
    return w;
  }

  @Override
  org.explain4j.engine.CamFormula formula() {
    return org.explain4j.engine.CamFormula.XGRAD_CAM;
  }
}
