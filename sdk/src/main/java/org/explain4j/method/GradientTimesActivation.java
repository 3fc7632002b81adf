package org.explain4j.method;

import org.explain4j.model.LayerKind;

/**
 * For a {@code [batch, units]} layer, where Grad-CAM has no positions to pool over: each unit's
 * gradient times its activation (the per-channel terms of the Grad-CAM sum), as a 1 x units map:
 * HiResCAM's term over a layout of one channel per unit.
 */
public final class GradientTimesActivation extends ElementwiseMethods {

  @Override
  public String name() {
    return "gradient-x-activation";
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.UNITS;
  }

  @Override
  double term(double gradient, double activation) {
    return gradient * activation;
  }
}
