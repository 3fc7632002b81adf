package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.model.LayerKind;

/**
 * The shape of Grad-CAM's relatives that weight each activation channel by one number per item
 * and sum: subclasses say how the channel weights come from the activations and gradients.
 */
abstract class WeightedChannels implements AttributionMethod {

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** The weight of each channel of {@code item}. */
  abstract double[] weights(LayerValues v, int item);

  /** The engine formula with these weights, or null where no engine has one. */
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
      double[] w = weights(v, item);
      double[][] contributions = new double[cells][v.channels()];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < v.channels(); c++) {
          contributions[cell][c] = w[c] * v.a(item, cell, c);
        }
      }
      EigenSmoothing.fill(raw, item, contributions, input.eigenSmooth());
    }
    return LayerValues.finish(input, raw);
  }
}
