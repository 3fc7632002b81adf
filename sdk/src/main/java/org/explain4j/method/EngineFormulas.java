package org.explain4j.method;

import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.model.LayerKind;

/** Hands a method's formula to the engine when the engine has it (and the maps are plain sums). */
final class EngineFormulas {
  private EngineFormulas() {}

  /** The engine's maps, or null when the method must compute them in Java. */
  static MethodMaps tryEngine(MethodInput input, CamFormula formula) {
    CamEngine engine = input.engine();
    // Eigen-smoothing needs each channel's contribution, which the engines do not return.
    if (formula == null || input.eigenSmooth() || input.kind() == LayerKind.UNITS || !engine.supports(formula)) {
      return null;
    }
    CamTask.Layout layout = input.layout();
    CamMaps maps = engine.compute(new CamTask(layout, input.buffers(), input.options()), formula);
    return new MethodMaps(layout.height(), layout.width(), maps.layerMaps(), input.options().outHeight(),
        input.options().outWidth(), maps.heatMaps(), maps.allZero(), engine.name());
  }
}
