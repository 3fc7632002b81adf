package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;

/** Eigen-Grad-CAM: {@link EigenCam} on gradient x activation, so the map depends on the target. */
public final class EigenGradCam extends EigenCam {

  @Override
  public String name() {
    return "eigen-grad-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  boolean weighted() {
    return true;
  }
}
