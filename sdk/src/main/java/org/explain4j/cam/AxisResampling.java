package org.explain4j.cam;

/**
 * Source indices and weights for resampling one axis from {@code in} to {@code out} cells: the one
 * resampler of explain4j, used by the CAM engines (layer map to input size) and by the image and
 * text renderers (heat map to image size, map to tokens).
 *
 * <p>Each output cell reads {@code taps} source cells (clamped at the borders; unused taps weigh
 * 0); computing them once per axis keeps the 2-D resampling a pair of cheap weighted sums.
 */
public record AxisResampling(int in, int out, int taps, int[] indices, float[] weights) {

  /**
   * The engines' resampling: nearest, bilinear or bicubic with a fixed number of taps, as the
   * native engines compute it ({@code cam_math.h}); Lanczos as {@link #of(int, int, Interpolation, boolean)}.
   */
  public static AxisResampling of(int in, int out, Interpolation kind) {
    return of(in, out, kind, false);
  }

  /**
   * The resampling of one axis. With {@code antialias}, shrinking widens the filter by the scale so
   * that every source cell counts (as image resizers do); growing is the same either way.
   */
  public static AxisResampling of(int in, int out, Interpolation kind, boolean antialias) {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException("Axis sizes must be positive, got in=" + in + ", out=" + out);
    }
    if (kind == Interpolation.LANCZOS || (antialias && in > out)) {
      return filtered(in, out, kind);
    }
    return fixed(in, out, kind);
  }

  /** The filter's support (half-width, in source cells) and weight at distance {@code x}. */
  private static double support(Interpolation kind) {
    return switch (kind) {
      case NEAREST -> 0.5;
      case BILINEAR -> 1;
      case BICUBIC -> 2;
      case LANCZOS -> 3;
    };
  }

  private static double weight(Interpolation kind, double x) {
    double ax = Math.abs(x);
    return switch (kind) {
      case NEAREST -> ax < 0.5 || x == -0.5 ? 1 : 0;
      case BILINEAR -> ax < 1 ? 1 - ax : 0;
      case BICUBIC -> keys(x);
      case LANCZOS -> ax < 1e-9 ? 1 : ax < 3 ? 3 * Math.sin(Math.PI * ax) * Math.sin(Math.PI * ax / 3) / (Math.PI * Math.PI * ax * ax) : 0;
    };
  }

  /** A filter evaluated at every source cell in its (widened) support, weights normalised per output cell. */
  private static AxisResampling filtered(int in, int out, Interpolation kind) {
    double scale = (double) in / out;
    double widen = Math.max(1.0, scale);
    double support = support(kind) * widen;
    int taps = (int) Math.ceil(2 * support) + 1;
    int[] indices = new int[out * taps];
    float[] weights = new float[out * taps];
    double[] w = new double[taps];
    for (int o = 0; o < out; o++) {
      double centre = (o + 0.5) * scale - 0.5;
      int start = (int) Math.floor(centre - support) + 1;
      double sum = 0;
      for (int k = 0; k < taps; k++) {
        int i = start + k;
        w[k] = Math.abs(i - centre) <= support ? weight(kind, (i - centre) / widen) : 0;
        sum += w[k];
      }
      if (sum == 0) {
        // Nearest exactly half-way between two cells: take the one the centre rounds to.
        w[Math.min(taps - 1, Math.max(0, (int) Math.round(centre) - start))] = 1;
        sum = 1;
      }
      for (int k = 0; k < taps; k++) {
        indices[o * taps + k] = (int) clamp(start + k, 0, in - 1);
        weights[o * taps + k] = (float) (w[k] / sum);
      }
    }
    return new AxisResampling(in, out, taps, indices, weights);
  }

  /** Nearest, bilinear and bicubic with 1, 2 and 4 taps per output cell. */
  private static AxisResampling fixed(int in, int out, Interpolation kind) {
    int taps = switch (kind) {
      case NEAREST -> 1;
      case BILINEAR -> 2;
      default -> 4;
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
        default -> {
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
