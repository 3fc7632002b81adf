package org.explain4j.method;

import java.util.function.Function;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.model.LayerKind;

/**
 * Hands a method's formula to the engine when the engine has it, the maps are plain sums, and the
 * engine passed the formula's check against the method's Java computation ({@link FormulaCheck}).
 */
final class EngineFormulas {
  private EngineFormulas() {}

  /**
   * The engine's maps, or null when the method must compute them in Java; {@code inJava} is the
   * method's own Java computation, the reference of the check.
   */
  static MethodMaps tryEngine(MethodInput input, CamFormula formula, Function<MethodInput, MethodMaps> inJava) {
    CamEngine engine = input.engine();
    // Eigen-smoothing needs each channel's contribution, which the engines do not return.
    if (formula == null || input.eigenSmooth() || input.kind() == LayerKind.UNITS || !engine.supports(formula)
        || !FormulaCheck.trusted(engine, formula, inJava)) {
      return null;
    }
    CamTask.Layout layout = input.layout();
    CamMaps maps = engine.compute(new CamTask(layout, input.buffers(), input.options()), formula);
    return new MethodMaps(layout.height(), layout.width(), maps.layerMaps(), input.options().outHeight(),
        input.options().outWidth(), maps.heatMaps(), maps.allZero(), engine.name());
  }
}
