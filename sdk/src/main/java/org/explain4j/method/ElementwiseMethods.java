package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.model.LayerKind;

/** Methods whose map at a cell is a sum over channels of a product of gradient and activation there. */
abstract class ElementwiseMethods implements AttributionMethod {

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** The term of channel {@code c} at a cell, from its gradient and activation there. */
  abstract double term(double gradient, double activation);

  /** The engine formula with these terms, or null where no engine has one. */
  org.explain4j.engine.CamFormula formula() {
    return null;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    MethodMaps onEngine = EngineFormulas.tryEngine(input, formula());
    if (onEngine != null) {
      return onEngine;
    }
    LayerValues v = new LayerValues(input, true);
    int cells = v.cells();
    float[] raw = new float[input.layout().batch() * cells];
    for (int item = 0; item < input.layout().batch(); item++) {
      double[][] contributions = new double[cells][v.channels()];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < v.channels(); c++) {
          contributions[cell][c] = term(v.g(item, cell, c), v.a(item, cell, c));
        }
      }
      EigenSmoothing.fill(raw, item, contributions, input.eigenSmooth());
    }
    return LayerValues.finish(input, raw);
  }
}
