package org.explain4j.engine;

import java.util.List;
import org.explain4j.cam.Interpolation;

/**
 * Small deterministic tasks and a tolerant comparison, for checking an engine against the Java
 * reference before trusting it: both layouts, a negative sign without ReLU, and the three
 * interpolations the native engines have, in a few microseconds. No randomness, no I/O.
 */
final class KnownTasks {
  /** Relative tolerance: the engines sum in other orders and in single precision. */
  static final double TOLERANCE = 1e-4;

  private KnownTasks() {}

  /**
   * The tasks; {@code rectified} makes the activations non-negative, as a ReLU leaves them, which
   * formulas that divide by an activation sum (XGrad-CAM) need to stay well conditioned.
   */
  static List<CamTask> tasks(boolean rectified) {
    CamTask.Layout last = new CamTask.Layout(2, 5, 7, 9, false);
    CamTask.Layout first = new CamTask.Layout(2, 5, 7, 9, true);
    return List.of(
        task(last, new CamTask.Options(1, true, 11, 13, Interpolation.BILINEAR), rectified),
        task(first, new CamTask.Options(-1, false, 11, 13, Interpolation.BICUBIC), rectified),
        task(last, new CamTask.Options(1, true, 3, 4, Interpolation.NEAREST), rectified));
  }

  /** Null when {@code got} matches {@code want} within {@link #TOLERANCE}, else what differed first. */
  static String difference(CamMaps want, CamMaps got) {
    String difference = compare("layer map", want.layerMaps(), got.layerMaps());
    if (difference == null) {
      difference = compare("heat map", want.heatMaps(), got.heatMaps());
    }
    if (difference == null && !java.util.Arrays.equals(want.allZero(), got.allZero())) {
      difference = "all-zero flags differ";
    }
    return difference;
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

  /** Values in [-1, 1] (activations in [0, 1] when rectified) from a linear congruential sequence. */
  private static CamTask task(CamTask.Layout layout, CamTask.Options options, boolean rectified) {
    int n = (int) layout.size();
    float[] acts = new float[n];
    float[] grads = new float[n];
    long x = 12345;
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      acts[i] = ((x >>> 40) % 2001 - 1000) / 1000f;
      if (rectified) {
        acts[i] = Math.abs(acts[i]);
      }
      x = x * 6364136223846793005L + 1442695040888963407L;
      grads[i] = ((x >>> 40) % 2001 - 1000) / 1000f;
    }
    return new CamTask(layout, CamTask.Buffers.of(acts, grads), options);
  }
}
