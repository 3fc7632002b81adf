package org.explain4j.method;

/**
 * HiResCAM (Draelos and Carin 2020): the element-wise product of gradients and activations summed
 * over channels, with no pooling, so that the map follows the score's gradient at every cell.
 */
public final class HiResCam extends ElementwiseMethods {

  @Override
  public String name() {
    return "hires-cam";
  }

  @Override
  double term(double gradient, double activation) {
    return gradient * activation;
  }

  @Override
  org.explain4j.engine.CamFormula formula() {
    return org.explain4j.engine.CamFormula.HIRES_CAM;
  }
}
