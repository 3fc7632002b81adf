package org.explain4j.method;

/**
 * LayerCAM (Jiang et al. 2021): positive gradients times activations, element-wise, summed over
 * channels; meant for earlier layers too.
 */
public final class LayerCam extends ElementwiseMethods {

  @Override
  public String name() {
    return "layer-cam";
  }

  @Override
  double term(double gradient, double activation) {
    return Math.max(0, gradient) * activation;
  }

  @Override
  org.explain4j.engine.CamFormula formula() {
    return org.explain4j.engine.CamFormula.LAYER_CAM;
  }
}
