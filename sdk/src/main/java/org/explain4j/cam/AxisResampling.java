package org.explain4j.cam;

/**
 * Source indices and weights for resampling one axis from {@code in} to {@code out} cells.
 *
 * <p>Each output cell reads {@code taps} source cells; computing them once per axis keeps the 2-D
 * resampling a pair of cheap weighted sums.
 */
public record AxisResampling(int in, int out, int taps, int[] indices, float[] weights) {

  /** Computes the indices and weights for one axis. */
  public static AxisResampling of(int in, int out, Interpolation kind) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("Axis sizes must be positive, got in=" + in + ", out=" + out);
    }
    int taps = switch (kind) {
      case NEAREST -> 1;
      case BILINEAR -> 2;
      case BICUBIC -> 4;
    };
    int[] indices = new int[out * taps];
    float[] weights = new float[out * taps];
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      int base = o * taps;
      switch (kind) {
        case NEAREST -> {
          indices[base] = Math.min((int) Math.floor((o + 0.5) * scale), in - 1);
          weights[base] = 1f;
        }
        case BILINEAR -> {
          double src = clamp((o + 0.5) * scale - 0.5, 0, in - 1);
          int i0 = (int) Math.floor(src);
          int i1 = Math.min(i0 + 1, in - 1);
          double t = src - i0;
          indices[base] = i0;
          indices[base + 1] = i1;
          weights[base] = (float) (1 - t);
          weights[base + 1] = (float) t;
        }
        case BICUBIC -> {
          double src = (o + 0.5) * scale - 0.5;
          int i1 = (int) Math.floor(src);
          double t = src - i1;
          for (int k = 0; k < 4; k++) {
            indices[base + k] = (int) clamp(i1 - 1 + k, 0, in - 1);
            weights[base + k] = (float) keys(t - (k - 1));
          }
        }
      }
    }
    return new AxisResampling(in, out, taps, indices, weights);
  }

  /** Keys' cubic convolution kernel with a = -0.5. */
  static double keys(double x) {
    double a = -0.5;
    double ax = Math.abs(x);
    if (ax <= 1) {
      return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
    }
    if (ax < 2) {
      return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
    }
    return 0;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
