package org.explain4j.cam;

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
    return channelWeights(gradients, 0, cells, channels, channelsFirst, sign);
  }

  /** {@link #channelWeights(float[], int, int, boolean, float)} for the item starting at {@code offset}. */
  public static float[] channelWeights(float[] gradients, int offset, int cells, int channels, boolean channelsFirst, float sign) {
    double[] sums = new double[channels];
    if (channelsFirst) {
      for (int c = 0; c < channels; c++) {
        sums[c] = sum(gradients, offset + c * cells, cells);
      }
    } else {
      // Float partial sums over blocks of cells, four rows at a time (a loop the JIT vectorises),
      // folded into doubles so that long sums keep their precision.
      float[] partial = new float[channels];
      for (int start = 0; start < cells; start += BLOCK) {
        java.util.Arrays.fill(partial, 0f);
        int end = Math.min(cells, start + BLOCK);
        int i = start;
        for (; i + 3 < end; i += 4) {
          int o = offset + i * channels;
          int o1 = o + channels;
          int o2 = o1 + channels;
          int o3 = o2 + channels;
          for (int c = 0; c < channels; c++) {
            partial[c] += (gradients[o + c] + gradients[o1 + c]) + (gradients[o2 + c] + gradients[o3 + c]);
          }
        }
        for (; i < end; i++) {
          int o = offset + i * channels;
          for (int c = 0; c < channels; c++) {
            partial[c] += gradients[o + c];
          }
        }
        for (int c = 0; c < channels; c++) {
          sums[c] += partial[c];
        }
      }
    }
    float[] weights = new float[channels];
    for (int c = 0; c < channels; c++) {
      weights[c] = (float) (sign * sums[c] / cells);
    }
    return weights;
  }

  private static final int BLOCK = 64;

  /** The map: for each cell, the sum over channels of weight times activation. */
  public static float[] weightedSum(float[] weights, float[] activations, int cells, boolean channelsFirst) {
    checkSize(activations.length, cells, weights.length, "activations");
    return weightedSum(weights, activations, 0, cells, channelsFirst);
  }

  /** {@link #weightedSum(float[], float[], int, boolean)} for the item starting at {@code offset}. */
  public static float[] weightedSum(float[] weights, float[] activations, int offset, int cells, boolean channelsFirst) {
    int channels = weights.length;
    float[] map = new float[cells];
    if (channelsFirst) {
      // Channel planes are contiguous: accumulate plane by plane (vectorised).
      for (int c = 0; c < channels; c++) {
        float w = weights[c];
        for (int i = 0, o = offset + c * cells; i < cells; i++) {
          map[i] += w * activations[o + i];
        }
      }
      return map;
    }
    for (int i = 0, o = offset; i < cells; i++, o += channels) {
      map[i] = dot(weights, activations, o, channels);
    }
    return map;
  }

  /** A dot product with eight independent accumulators, so additions do not wait on each other. */
  private static float dot(float[] w, float[] a, int offset, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    float s4 = 0;
    float s5 = 0;
    float s6 = 0;
    float s7 = 0;
    int c = 0;
    for (; c + 7 < n; c += 8) {
      int o = offset + c;
      s0 += w[c] * a[o];
      s1 += w[c + 1] * a[o + 1];
      s2 += w[c + 2] * a[o + 2];
      s3 += w[c + 3] * a[o + 3];
      s4 += w[c + 4] * a[o + 4];
      s5 += w[c + 5] * a[o + 5];
      s6 += w[c + 6] * a[o + 6];
      s7 += w[c + 7] * a[o + 7];
    }
    for (; c < n; c++) {
      s0 += w[c] * a[offset + c];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  private static double sum(float[] values, int offset, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += values[offset + i];
    }
    return s;
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
    float max = maxAbs(map);
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
    if (map.length != rows.in() * cols.in()) {
      throw new IllegalArgumentException("Expected a " + rows.in() + "x" + cols.in() + " map, got " + map.length + " values");
    }
    float[] out = new float[rows.out() * cols.out()];
    resampleInto(map, 0, 1f, rows, cols, lo, hi, out, 0, new float[rows.in() * cols.out()]);
    return out;
  }

  /**
   * Resamples the map at {@code mapOffset}, times {@code scale} (resampling is linear, so scaling
   * before or after is the same), clamps to {@code [lo, hi]}, and writes at {@code outOffset};
   * {@code wide} is scratch space of {@code rows.in() * cols.out()} floats.
   */
  public static void resampleInto(float[] map, int mapOffset, float scale, AxisResampling rows, AxisResampling cols,
      float lo, float hi, float[] out, int outOffset, float[] wide) {
    int height = rows.in();
    int width = cols.in();
    int outW = cols.out();
    int outH = rows.out();
    int[] colIndex = cols.indices();
    float[] colWeight = cols.weights();
    int colTaps = cols.taps();
    // Columns first, into height x outW, then rows.
    for (int y = 0; y < height; y++) {
      int row = mapOffset + y * width;
      int dst = y * outW;
      for (int x = 0, t = 0; x < outW; x++, t += colTaps) {
        float s = 0;
        for (int k = 0; k < colTaps; k++) {
          s += colWeight[t + k] * map[row + colIndex[t + k]];
        }
        wide[dst + x] = s * scale;
      }
    }
    int[] rowIndex = rows.indices();
    float[] rowWeight = rows.weights();
    int rowTaps = rows.taps();
    for (int y = 0, t = 0; y < outH; y++, t += rowTaps) {
      int dst = outOffset + y * outW;
      java.util.Arrays.fill(out, dst, dst + outW, 0f);
      for (int k = 0; k < rowTaps; k++) {
        float weight = rowWeight[t + k];
        int src = rowIndex[t + k] * outW;
        for (int x = 0; x < outW; x++) {
          out[dst + x] += weight * wide[src + x];
        }
      }
      for (int x = 0; x < outW; x++) {
        out[dst + x] = Math.max(lo, Math.min(hi, out[dst + x]));
      }
    }
  }

  /** The largest absolute value (0 for an empty map). */
  public static float maxAbs(float[] map) {
    float max = 0;
    for (float v : map) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
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
