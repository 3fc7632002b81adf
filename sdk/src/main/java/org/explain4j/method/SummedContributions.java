package org.explain4j.method;

import java.util.EnumSet;
import java.util.Set;
import org.explain4j.engine.CamFormula;
import org.explain4j.model.LayerKind;

/**
 * Methods whose map at a cell sums one contribution per channel, computed from the gradients and
 * activations: on the engine when it has the method's formula, else here, where eigen-smoothing
 * may project the contributions instead of summing them.
 */
abstract class SummedContributions implements AttributionMethod {

  /** One item's contribution of channel {@code c} at {@code cell}. */
  interface Contributions {
    double of(int cell, int c);
  }

  @Override
  public Set<Need> needs() {
    return EnumSet.of(Need.ACTIVATIONS, Need.GRADIENTS);
  }

  @Override
  public boolean supports(LayerKind kind) {
    return kind == LayerKind.SPATIAL || kind == LayerKind.TEMPORAL;
  }

  /** The contributions of {@code item}. */
  abstract Contributions contributions(LayerValues v, int item);

  /** The engine formula of this method, or null where no engine has one. */
  CamFormula formula() {
    return null;
  }

  @Override
  public String engineMismatch(org.explain4j.engine.CamEngine engine) {
    CamFormula f = formula();
    if (f == null || !engine.supports(f)) {
      return null;
    }
    String mismatch = FormulaCheck.mismatch(engine, f, this::inJava);
    return mismatch == null ? null : f + " (" + name() + "): " + mismatch;
  }

  @Override
  public MethodMaps compute(MethodInput input) {
    MethodMaps onEngine = EngineFormulas.tryEngine(input, formula(), this::inJava);
    return onEngine != null ? onEngine : inJava(input);
  }

  /** The maps computed here, whatever the engine. */
  MethodMaps inJava(MethodInput input) {
    LayerValues v = new LayerValues(input, true);
    int cells = v.cells();
    float[] raw = new float[input.layout().batch() * cells];
    for (int item = 0; item < input.layout().batch(); item++) {
      Contributions of = contributions(v, item);
      double[][] contributions = new double[cells][v.channels()];
      for (int cell = 0; cell < cells; cell++) {
        for (int c = 0; c < v.channels(); c++) {
          contributions[cell][c] = of.of(cell, c);
        }
      }
      EigenSmoothing.fill(raw, item, contributions, input.eigenSmooth());
    }
    return LayerValues.finish(input, raw);
  }
}
