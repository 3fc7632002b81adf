package org.explain4j.render.image;

import org.explain4j.HeatMap;

/**
 * Resizes a heat map with a separable filter and half-pixel centres; when shrinking, the filter is
 * widened by the scale so that every source cell counts (no aliasing). Weights are normalised per
 * output cell, and the result is clamped to the map's own range.
 */
final class MapResizer {
  private MapResizer() {}

  /** For each output cell, the first source cell read and the normalised weights from there on. */
  private record Taps(int[] start, double[][] weights) {}

  static float[] resize(HeatMap map, int outHeight, int outWidth, Resampling filter) {
    float[] src = map.values();
    int h = map.height();
    int w = map.width();
    float lo = map.min();
    float hi = map.max();
    Taps cols = taps(w, outWidth, filter);
    Taps rows = taps(h, outHeight, filter);
    float[] wide = new float[h * outWidth];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < outWidth; x++) {
        double[] weights = cols.weights()[x];
        double s = 0;
        for (int k = 0; k < weights.length; k++) {
          s += weights[k] * src[y * w + clamp(cols.start()[x] + k, w)];
        }
        wide[y * outWidth + x] = (float) s;
      }
    }
    float[] out = new float[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      double[] weights = rows.weights()[y];
      for (int x = 0; x < outWidth; x++) {
        double s = 0;
        for (int k = 0; k < weights.length; k++) {
          s += weights[k] * wide[clamp(rows.start()[y] + k, h) * outWidth + x];
        }
        out[y * outWidth + x] = (float) Math.max(lo, Math.min(hi, s));
      }
    }
    return out;
  }

  private static Taps taps(int in, int out, Resampling filter) {
    int[] starts = new int[out];
    double[][] weights = new double[out][];
    double scale = (double) in / out;
    double widen = Math.max(1.0, scale);
    double support = filter.support * widen;
    for (int o = 0; o < out; o++) {
      double centre = (o + 0.5) * scale - 0.5;
      int start = (int) Math.floor(centre - support) + 1;
      int end = Math.max(start, (int) Math.floor(centre + support));
      double[] w = new double[end - start + 1];
      double sum = 0;
      for (int i = start; i <= end; i++) {
        w[i - start] = filter.weight((i - centre) / widen);
        sum += w[i - start];
      }
      if (sum == 0) {
        // Nearest exactly half-way between two cells: take the one the centre rounds to.
        w[Math.min(w.length - 1, Math.max(0, (int) Math.round(centre) - start))] = 1;
        sum = 1;
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= sum;
      }
      starts[o] = start;
      weights[o] = w;
    }
    return new Taps(starts, weights);
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }
}
