package org.explain4j.method;

import org.explain4j.engine.CamFormula;

/**
 * Grad-CAM (Selvaraju et al. 2017): each channel weighted by the spatial mean of its gradients,
 * the weighted activations summed over channels. Runs on the CAM engine; in Java only when
 * eigen-smoothed (the projection needs each channel's contribution).
 */
public final class GradCamMethod extends WeightedChannels {

  @Override
  public String name() {
    return "grad-cam";
  }

  @Override
  CamFormula formula() {
    return CamFormula.GRAD_CAM;
  }

  /** Each channel's mean gradient. */
  @Override
  double[] weights(LayerValues v, int item) {
    double[] w = new double[v.channels()];
    for (int cell = 0; cell < v.cells(); cell++) {
      for (int c = 0; c < v.channels(); c++) {
        w[c] += v.g(item, cell, c) / v.cells();
      }
    }
    return w;
  }
}
