package org.explain4j.method;

/**
 * Grad-CAM element-wise: the ReLU of each gradient-times-activation term, summed over channels.
 */
public final class GradCamElementwise extends ElementwiseMethods {

  @Override
  public String name() {
    return "grad-cam-elementwise";
  }

  @Override
  double term(double gradient, double activation) {
    return Math.max(0, gradient * activation);
  }

  @Override
  org.explain4j.engine.CamFormula formula() {
    return org.explain4j.engine.CamFormula.GRAD_CAM_ELEMENTWISE;
  }
}
