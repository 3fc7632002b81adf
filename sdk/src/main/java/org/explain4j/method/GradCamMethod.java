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
    CamTask.Layout layout = input.layout();
    CamMaps maps = input.engine().gradCam(new CamTask(layout, input.buffers(), input.options()));
    return new MethodMaps(layout.height(), layout.width(), maps.layerMaps(), input.options().outHeight(),
        input.options().outWidth(), maps.heatMaps(), maps.allZero(), input.engine().name());
  }
}
