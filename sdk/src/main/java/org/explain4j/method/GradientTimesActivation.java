package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.cam.GradCam;
import org.explain4j.engine.CamTask;
import org.explain4j.exceptions.NonFiniteMapException;
import org.explain4j.model.LayerKind;

/**
 * For a {@code [batch, units]} layer, where Grad-CAM has no positions to pool over: each unit's
 * gradient times its activation (the per-channel terms of the Grad-CAM sum), as a 1 x units map.
 * Computed in Java: the work is one multiplication per unit.
 */
public final class GradientTimesActivation implements AttributionMethod {

  @Override
  public String name() {
    return "gradient-x-activation";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.UNITS;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    CamTask.Layout layout = input.layout();
    int batch = layout.batch();
    int units = layout.itemSize();
    float[] acts = input.activationValues();
    float[] grads = input.gradientValues();
    float sign = input.options().sign();
    float[] layerMaps = new float[batch * units];
    float[] heatMaps = new float[batch * units];
    boolean[] allZero = new boolean[batch];
    for (int item = 0; item < batch; item++) {
      float[] map = new float[units];
      for (int u = 0; u < units; u++) {
        map[u] = sign * grads[item * units + u] * acts[item * units + u];
      }
      if (!GradCam.allFinite(map)) {
        throw new NonFiniteMapException(item);
      }
      if (input.options().relu()) {
        GradCam.relu(map);
      }
      System.arraycopy(map, 0, layerMaps, item * units, units);
      allZero[item] = !GradCam.normalise(map);
      System.arraycopy(map, 0, heatMaps, item * units, units);
    }
    return new MethodMaps(1, units, layerMaps, 1, units, heatMaps, allZero, "java");
  }
}
