package org.explain4j.method;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.CamFormula;
import org.explain4j.engine.CamMaps;
import org.explain4j.engine.CamTask;
import org.explain4j.engine.JavaCamEngine;
import org.explain4j.engine.Engines;
import org.explain4j.model.LayerKind;

/**
 * The first time a method hands its formula to an engine other than Java's, the engine's maps on
 * {@link KnownTasks} are compared with the method's own Java computation; an engine that differs
 * is logged once and that formula stays in Java. Kernels that have never run on this machine (a
 * GPU's, say) are not trusted blindly, formula by formula.
 */
final class FormulaCheck {
  private record Key(Class<?> engine, CamFormula formula) {}

  private static final ConcurrentMap<Key, Optional<String>> RESULTS = new ConcurrentHashMap<>();

  private FormulaCheck() {}

  /**
   * Whether {@code engine} computes {@code formula} as {@code reference} does in Java (remembered per
   * engine class and formula).
   */
  static boolean trusted(CamEngine engine, CamFormula formula, Function<MethodInput, MethodMaps> reference) {
    return mismatch(engine, formula, reference) == null;
  }

  /** Null when {@code engine} computes {@code formula} as {@code reference} does, else what differed. */
  static String mismatch(CamEngine engine, CamFormula formula, Function<MethodInput, MethodMaps> reference) {
    if (engine instanceof JavaCamEngine) {
      return null;
    }
    return RESULTS.computeIfAbsent(new Key(engine.getClass(), formula), k -> {
      String mismatch = run(engine, formula, reference);
      if (mismatch != null) {
        System.getLogger("org.explain4j.engine").log(System.Logger.Level.WARNING, "CAM engine " + engine.name()
            + " failed its self-check of " + formula + " against the Java method: " + mismatch + "; that formula runs in Java");
      }
      return Optional.ofNullable(mismatch);
    }).orElse(null);
  }

  private static String run(CamEngine engine, CamFormula formula, Function<MethodInput, MethodMaps> reference) {
    return Engines.formulaDifference(engine, formula, task -> {
      MethodMaps java = reference.apply(new MethodInput(LayerKind.SPATIAL, new int[task.layout().batch()], task.layout(),
          task.buffers(), task.options(), new JavaCamEngine(), null, Perturbation.ALL, false));
      return new CamMaps(java.layerMaps(), java.heatMaps(), java.allZero());
    });
  }

  /** Forgets the results, for tests. */
  static void forget() {
    RESULTS.clear();
  }
}
