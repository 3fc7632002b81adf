package org.explain4j.engine;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Grad-CAM on {@link KnownTasks} run once per engine and compared with the Java reference, so that
 * an engine whose code has never run on this machine (a GPU's, say) is not trusted blindly. The
 * other formulas are checked the first time a method hands one to the engine (the methods hold
 * their Java reference).
 */
final class SelfCheck {
  private static final ConcurrentMap<Class<?>, Optional<String>> RESULTS = new ConcurrentHashMap<>();

  private SelfCheck() {}

  /** Null when {@code engine} matches the reference (remembered per engine class), else what differed. */
  static String of(CamEngine engine) {
    if (engine instanceof JavaCamEngine) {
      return null;
    }
    return RESULTS.computeIfAbsent(engine.getClass(), k -> {
      String mismatch = run(engine);
      if (mismatch != null) {
        // Said once per JVM; later choices only list the engine among those skipped.
        System.getLogger("org.explain4j.engine").log(System.Logger.Level.WARNING,
            "CAM engine " + engine.name() + " failed its self-check against the Java reference: " + mismatch);
      }
      return Optional.ofNullable(mismatch);
    }).orElse(null);
  }

  private static String run(CamEngine engine) {
    JavaCamEngine reference = new JavaCamEngine();
    for (CamTask task : KnownTasks.tasks(false)) {
      try {
        String difference = KnownTasks.difference(reference.gradCam(task), engine.gradCam(task));
        if (difference != null) {
          return difference + " for " + task.layout() + " " + task.options();
        }
      } catch (RuntimeException | LinkageError e) {
        return "it failed on " + task.layout() + ": " + e;
      }
    }
    return null;
  }
}
