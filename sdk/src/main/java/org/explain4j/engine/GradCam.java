package org.explain4j.engine;

/**
 * The Grad-CAM arithmetic for one item, step by step, in plain Java.
 *
 * <p>This is the reference the faster engines are tested against, and the low-level layer for
 * users who build their own methods: {@link #channelWeights} (global average pooling of the
 * gradients), {@link #weightedSum} (the map), {@link #normalise} and {@link #resample}. Arrays are
 * one item's values, channels-last ({@code [height, width, channels]}) unless
 * {@code channelsFirst}.
 */
public final class GradCam {
  private GradCam() {}

  /** The spatial mean of each channel's gradients, times {@code sign}. */
  public static float[] channelWeights(float[] gradients, int cells, int channels, boolean channelsFirst, float sign) {
    checkSize(gradients.length, cells, channels, "gradients");
    double[] sums = new double[channels];
    if (channelsFirst) {
      for (int c = 0; c < channels; c++) {
        double s = 0;
        for (int i = 0, o = c * cells; i < cells; i++) {
          s += gradients[o + i];
        }
        sums[c] = s;
      }
    } else {
      for (int i = 0, o = 0; i < cells; i++, o += channels) {
        for (int c = 0; c < channels; c++) {
          sums[c] += gradients[o + c];
        }
      }
    }
    float[] weights = new float[channels];
    for (int c = 0; c < channels; c++) {
      weights[c] = (float) (sign * sums[c] / cells);
    }
    return weights;
  }

  /** The map: for each cell, the sum over channels of weight times activation. */
  public static float[] weightedSum(float[] weights, float[] activations, int cells, boolean channelsFirst) {
    int channels = weights.length;
    checkSize(activations.length, cells, channels, "activations");
    float[] map = new float[cells];
    for (int i = 0; i < cells; i++) {
      double s = 0;
      for (int c = 0; c < channels; c++) {
        s += (double) weights[c] * activations[channelsFirst ? c * cells + i : i * channels + c];
      }
      map[i] = (float) s;
    }
    return map;
  }

  /** Cuts negative values to zero, in place. */
  public static void relu(float[] map) {
    for (int i = 0; i < map.length; i++) {
      if (map[i] < 0) {
        map[i] = 0;
      }
    }
  }

  /**
   * Divides by the largest absolute value, so that values fall in {@code [-1, 1]} (in {@code [0, 1]}
   * after a ReLU). Returns false, leaving the map all zero, where there is nothing to divide by.
   */
  public static boolean normalise(float[] map) {
    float max = 0;
    for (float v : map) {
      max = Math.max(max, Math.abs(v));
    }
    if (!(max > 0)) {
      java.util.Arrays.fill(map, 0f);
      return false;
    }
    for (int i = 0; i < map.length; i++) {
      map[i] /= max;
    }
    return true;
  }

  /** Resamples a {@code height x width} map and clamps the result to {@code [lo, hi]}. */
  public static float[] resample(float[] map, AxisResampling rows, AxisResampling cols, float lo, float hi) {
    int width = cols.in();
    if (map.length != rows.in() * width) {
      throw new IllegalArgumentException("Expected a " + rows.in() + "x" + width + " map, got " + map.length + " values");
    }
    // Columns first, into rows.in() x cols.out(), then rows.
    float[] wide = new float[rows.in() * cols.out()];
    for (int y = 0; y < rows.in(); y++) {
      for (int x = 0; x < cols.out(); x++) {
        double s = 0;
        for (int k = 0; k < cols.taps(); k++) {
          s += cols.weights()[x * cols.taps() + k] * map[y * width + cols.indices()[x * cols.taps() + k]];
        }
        wide[y * cols.out() + x] = (float) s;
      }
    }
    float[] out = new float[rows.out() * cols.out()];
    for (int y = 0; y < rows.out(); y++) {
      for (int x = 0; x < cols.out(); x++) {
        double s = 0;
        for (int k = 0; k < rows.taps(); k++) {
          s += rows.weights()[y * rows.taps() + k] * wide[rows.indices()[y * rows.taps() + k] * cols.out() + x];
        }
        out[y * cols.out() + x] = (float) Math.max(lo, Math.min(hi, s));
      }
    }
    return out;
  }

  /** Whether every value is finite. */
  public static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void checkSize(int length, int cells, int channels, String what) {
    if (length != cells * channels) {
      throw new IllegalArgumentException("Expected " + cells + " x " + channels + " " + what + ", got " + length + " values");
    }
  }
}
