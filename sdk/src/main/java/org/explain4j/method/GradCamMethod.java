package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.model.LayerKind;

/**
 * Grad-CAM (Selvaraju et al. 2017): each channel weighted by the spatial mean of its gradients,
 * the weighted activations summed over channels. Runs on the CAM engine.
 */
public final class GradCamMethod implements AttributionMethod {

  /** Grad-CAM's weights (each channel's mean gradient) for the eigen-smoothed path. */
  private static final WeightedChannels SMOOTHED = new WeightedChannels() {
    @Override
    public String name() {
      return "grad-cam";
    }

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
  };

  @Override
  public String name() {
    return "grad-cam";
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    if (input.eigenSmooth()) {
      // The engines sum; the projection needs each channel's contribution: computed here, in Java.
      return SMOOTHED.compute(input);
    }
    CamTask.Layout layout = input.layout();
    CamMaps maps = input.engine().gradCam(new CamTask(layout, input.buffers(), input.options()));
    return new MethodMaps(layout.height(), layout.width(), maps.layerMaps(), input.options().outHeight(),
        input.options().outWidth(), maps.heatMaps(), maps.allZero(), input.engine().name());
  }
}
