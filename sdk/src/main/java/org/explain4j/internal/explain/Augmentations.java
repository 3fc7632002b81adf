package org.explain4j.internal.explain;

import org.explain4j.input.ImageLayout;
import org.explain4j.input.InputBatch;
import org.tensorflow.proto.DataType;

/**
 * The arithmetic of test-time augmentation: the augmented inputs (mirrored, scaled), sums of maps
 * mirrored back, and their means. The explanations around it are the API's.
 */
public final class Augmentations {
  /** The intensities each input is shown at, mirrored and not: six inputs in all. */
  public static final float[] INTENSITIES = {1f, 0.9f, 1.1f};

  private Augmentations() {}

  /** The batch mirrored left-right (when asked) and multiplied by {@code intensity}. */
  public static InputBatch augment(InputBatch batch, boolean mirror, float intensity) {
    long[] d = batch.shape().asArray();
    ImageLayout l = ImageLayout.of(batch, "Augmentation smoothing");
    int n = (int) d[0];
    int h = l.height();
    int w = l.width();
    int c = l.channels();
    int size = l.itemSize();
    float[] in = batch.toFloats();
    float[] out = new float[in.length];
    boolean pixels = batch.dataType() == DataType.DT_UINT8;
    for (int item = 0; item < n; item++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int from = mirror ? w - 1 - x : x;
          for (int ch = 0; ch < c; ch++) {
            int src = item * size + l.at(y * w + from, ch);
            int dst = item * size + l.at(y * w + x, ch);
            float v = in[src] * intensity;
            out[dst] = pixels ? Math.max(0, Math.min(255, Math.round(v))) : v;
          }
        }
      }
    }
    InputBatch floats = InputBatch.ofFloats(out, d);
    return batch.dataType() == DataType.DT_FLOAT ? floats : floats.as(batch.dataType());
  }

  /** Adds a map of width {@code width} to {@code sum}, mirrored back left-right when it was made on a mirrored input. */
  public static void add(double[] sum, float[] values, int width, boolean mirror) {
    for (int i = 0; i < values.length; i++) {
      int x = i % width;
      sum[mirror ? i - x + (width - 1 - x) : i] += values[i];
    }
  }

  public static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** The mean; for heat maps, normalised again by the largest magnitude, as every heat map is. */
  public static float[] mean(double[] sum, int runs, boolean normalise) {
    double scale = 1.0 / runs;
    if (normalise) {
      double max = 0;
      for (double v : sum) {
        max = Math.max(max, Math.abs(v));
      }
      scale = max > 0 ? 1.0 / max : 0;
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] * scale);
    }
    return out;
  }
}
