package org.explain4j.metric;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.explain4j.input.ImageLayout;

/** The image edits the metrics make, on one item's values; each returns a new array. */
final class Perturbations {
  private Perturbations() {}

  /** Pixel indices from the most to the least relevant (ties: lower index first). */
  static int[] mostRelevantFirst(float[] heat) {
    return IntStream.range(0, heat.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(p -> -heat[p]).thenComparingInt(p -> p))
        .mapToInt(Integer::intValue).toArray();
  }

  /** The item with pixels {@code order[0..count)} set to {@code baseline} in every channel. */
  static float[] delete(float[] item, ImageLayout l, int[] order, int count, float baseline) {
    float[] out = item.clone();
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < l.channels(); c++) {
        out[l.at(order[i], c)] = baseline;
      }
    }
    return out;
  }

  /** {@code background} with pixels {@code order[0..count)} taken from {@code item}. */
  static float[] insert(float[] item, float[] background, ImageLayout l, int[] order, int count) {
    float[] out = background.clone();
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < l.channels(); c++) {
        out[l.at(order[i], c)] = item[l.at(order[i], c)];
      }
    }
    return out;
  }

  /** The item blurred by a Gaussian of {@code sigma} pixels (separable, edges clamped), each channel alone. */
  static float[] blur(float[] item, ImageLayout l, double sigma) {
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    int h = l.height();
    int w = l.width();
    float[] out = item.clone();
    double[] row = new double[h * w];
    for (int c = 0; c < l.channels(); c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = 0;
          for (int k = -radius; k <= radius; k++) {
            v += kernel[k + radius] * item[l.at(y * w + Math.min(w - 1, Math.max(0, x + k)), c)];
          }
          row[y * w + x] = v;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = 0;
          for (int k = -radius; k <= radius; k++) {
            v += kernel[k + radius] * row[Math.min(h - 1, Math.max(0, y + k)) * w + x];
          }
          out[l.at(y * w + x, c)] = (float) v;
        }
      }
    }
    return out;
  }

  /** The item with every channel multiplied by the map, min-max normalised to [0, 1] (an all-equal map leaves it). */
  static float[] multiply(float[] item, ImageLayout l, float[] heat) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : heat) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    float[] out = item.clone();
    if (!(hi > lo)) {
      return out;
    }
    for (int p = 0; p < l.pixels(); p++) {
      float weight = (heat[p] - lo) / (hi - lo);
      for (int c = 0; c < l.channels(); c++) {
        out[l.at(p, c)] *= weight;
      }
    }
    return out;
  }

  /** Pixels values rounded and clamped to 0..255, for models that take uint8 pixels. */
  static float[] asPixels(float[] values) {
    float[] out = Arrays.copyOf(values, values.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, Math.min(255, Math.round(out[i])));
    }
    return out;
  }
}
