package org.explain4j.engine;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.explain4j.cam.Interpolation;

/**
 * A small known task run once per engine and compared with the Java reference, so that an engine
 * whose code has never run on this machine (a GPU's, say) is not trusted blindly. Both layouts, a
 * negative sign without ReLU and the three interpolations are covered in a few microseconds.
 */
final class SelfCheck {
  /** Relative tolerance: the engines sum in other orders and in single precision. */
  private static final double TOLERANCE = 1e-4;
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
    for (CamTask task : tasks()) {
      try {
        CamMaps want = reference.gradCam(task);
        CamMaps got = engine.gradCam(task);
        String difference = compare("layer map", want.layerMaps(), got.layerMaps());
        if (difference == null) {
          difference = compare("heat map", want.heatMaps(), got.heatMaps());
        }
        if (difference == null && !java.util.Arrays.equals(want.allZero(), got.allZero())) {
          difference = "all-zero flags differ";
        }
        if (difference != null) {
          return difference + " for " + task.layout() + " " + task.options();
        }
      } catch (RuntimeException | LinkageError e) {
        return "it failed on " + task.layout() + ": " + e;
      }
    }
    return null;
  }

  private static String compare(String what, float[] want, float[] got) {
    if (want.length != got.length) {
      return what + ": " + got.length + " values, expected " + want.length;
    }
    for (int i = 0; i < want.length; i++) {
      if (!(Math.abs(want[i] - got[i]) <= TOLERANCE * Math.max(1, Math.abs(want[i])))) {
        return what + " value " + i + " is " + got[i] + ", expected " + want[i];
      }
    }
    return null;
  }

  private static CamTask[] tasks() {
    CamTask.Layout last = new CamTask.Layout(2, 5, 7, 9, false);
    CamTask.Layout first = new CamTask.Layout(2, 5, 7, 9, true);
    return new CamTask[] {
        task(last, new CamTask.Options(1, true, 11, 13, Interpolation.BILINEAR)),
        task(first, new CamTask.Options(-1, false, 11, 13, Interpolation.BICUBIC)),
        task(last, new CamTask.Options(1, true, 3, 4, Interpolation.NEAREST))};
  }

  /** Deterministic values in [-1, 1] from a linear congruential sequence: no randomness, no I/O. */
  private static CamTask task(CamTask.Layout layout, CamTask.Options options) {
    int n = (int) layout.size();
    float[] acts = new float[n];
    float[] grads = new float[n];
    long x = 12345;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      acts[i] = ((x >>> 40) % 2001 - 1000) / 1000f;
      x = x * 6364136223846793005L + 1442695040888963407L;
      grads[i] = ((x >>> 40) % 2001 - 1000) / 1000f;
    }
    return new CamTask(layout, CamTask.Buffers.of(acts, grads), options);
  }
}
